/**
 * A transformers.js causal LM as a degen-guard {@link LanguageModel}, with its KV cache kept across
 * steps behind the stateless `forward(sequences)` interface: each sequence run leaves an entry (its
 * past keys/values, last logits and hidden state) in a prefix cache; a later sequence that extends a
 * cached one is fed only its new tokens, a reordered beam finds its own parent, and a shorter
 * sequence (a back-off rewind) reuses the first positions of a longer entry.
 */
import { checkOptionKeys } from '../../core/option-keys.js';
import { checkInteger } from '../../core/validate.js';
import type { ForwardOptions, LanguageModel, ModelOutput } from '../../decoding/language-model.js';
import { throwIfAborted } from '../../decoding/model-call.js';
import { checkPresent, gatherPast, type PastRow } from './past-tensors.js';
import { PrefixCache } from './prefix-cache.js';
import { findTensorClass, HIDDEN, inspectModel } from './inspect-model.js';
import type { TensorClass, TensorLike, TransformersJsCausalLM } from './types.js';

/** Options of {@link transformersJsModel}. */
export interface TransformersJsModelOptions {
  /** transformers.js's `Tensor` class; found through the model when omitted. */
  Tensor?: TensorClass;
  /**
   * Sequences whose KV cache is kept (least recently used ones are dropped), default 16; 0 turns the
   * cache off (every call runs each whole sequence). Keep it ≥ `numBeams` (beam search) or `topK`
   * (contrastive search).
   */
  maxCacheEntries?: number;
}

/** Counters of a {@link TransformersJsLanguageModel} since it was made (or since `clearCache`). */
export interface TransformersJsModelStats {
  /** `model.forward` calls made. */
  calls: number;
  /** Token positions fed to the model (rows × new tokens, summed over calls). */
  tokensFed: number;
  /** Token positions taken from the KV cache instead of being fed again. */
  tokensReused: number;
  /** Sequences answered from the cache without a model call (the same sequence asked again). */
  hits: number;
}

/** What {@link transformersJsModel} returns: a {@link LanguageModel} with a KV cache. */
export interface TransformersJsLanguageModel extends LanguageModel {
  /** The prompt's hidden states (length × hiddenSize), for contrastive search; caches the prompt too. */
  hiddenStates(sequence: Int32Array, options?: { signal?: AbortSignal }): Promise<Float32Array>;
  /** Counters of model calls and cache use. */
  readonly stats: TransformersJsModelStats;
  /** Drops every cached sequence (and resets `stats`). */
  clearCache(): void;
}

interface PastBlock {
  tensors: TensorLike[];
  refs: number;
}

interface CacheEntry {
  key: Int32Array;
  block: PastBlock | null;
  row: number;
  logits: Float32Array;
  hidden: Float32Array | null;
}

const OPTION_KEYS = ['Tensor', 'maxCacheEntries'] as const;

/**
 * Wraps a transformers.js causal LM (`AutoModelForCausalLM.from_pretrained(…)`) as a
 * {@link LanguageModel} for `generate`, `beamSearch` and `contrastiveSearch`, keeping the KV cache
 * of the sequences it runs (see docs/transformers-js.md). Hidden states (contrastive search) come
 * from the export's `last_hidden_state` output.
 *
 * @example
 * ```ts integration
 * import { env, AutoModelForCausalLM } from '@huggingface/transformers';
 * import { generate } from 'degen-guard';
 * import { transformersJsModel } from 'degen-guard/transformers-js';
 *
 * env.allowRemoteModels = false;
 * env.localModelPath = 'test/fixtures/models/';
 * const model = transformersJsModel(await AutoModelForCausalLM.from_pretrained('kjv-genesis-gpt2'));
 * const { tokens } = await generate(model, [275, 372, 318], { maxNewTokens: 6 });
 * Array.from(tokens); // → [12, 300, 578, 300, 389, 663]
 * model.stats.tokensFed; // → 8
 * ```
 */
export function transformersJsModel(model: TransformersJsCausalLM, options: TransformersJsModelOptions = {}): TransformersJsLanguageModel {
  checkOptionKeys('transformersJsModel options', options, OPTION_KEYS);
  const maxEntries = checkInteger('maxCacheEntries', options.maxCacheEntries ?? 16, 0);
  const { V, pastNames, presentNames, keepLogits, hasHidden, D, noHidden } = inspectModel(model);
  const Tensor = options.Tensor ?? findTensorClass(model);
  if (typeof Tensor !== 'function') throw new TypeError(`transformersJsModel: options.Tensor must be transformers.js's Tensor class, got ${String(Tensor)}`);
  const capacity = pastNames.length === 0 ? 0 : maxEntries; // a model without cache inputs reruns each sequence

  const stats: TransformersJsModelStats = { calls: 0, tokensFed: 0, tokensReused: 0, hits: 0 };
  const release = (e: CacheEntry): void => {
    const b = e.block;
    if (b !== null && --b.refs === 0) {
      for (const t of b.tensors) if (t.location !== undefined && t.location !== 'cpu' && typeof t.dispose === 'function') t.dispose();
    }
  };
  const cache = new PrefixCache<CacheEntry>(capacity, release);
  const store = (entries: readonly CacheEntry[]): void => {
    for (const e of entries) {
      if (e.block !== null) cache.set(e.key, e);
    }
  };

  /** Runs rows that share (past length m, new tokens n) as one batch; returns their entries (not yet cached). */
  async function run(seqs: readonly Int32Array[], pasts: readonly PastRow[] | null, m: number, allHidden: boolean): Promise<{ entries: CacheEntry[]; hidden: TensorLike | null }> {
    const G = seqs.length;
    const n = seqs[0].length - m;
    const ids = new BigInt64Array(G * n);
    for (let g = 0; g < G; g++) for (let i = 0; i < n; i++) ids[g * n + i] = BigInt(seqs[g][m + i]);
    const inputs: Record<string, unknown> = {
      input_ids: new Tensor('int64', ids, [G, n]),
      attention_mask: new Tensor('int64', new BigInt64Array(G * (m + n)).fill(1n), [G, m + n]),
    };
    if (keepLogits) inputs.num_logits_to_keep = new Tensor('int64', BigInt64Array.of(1n), []);
    if (pasts !== null) {
      const past: Record<string, TensorLike> = {};
      for (let k = 0; k < pastNames.length; k++) past[pastNames[k]] = gatherPast(Tensor, pasts, k, m, pastNames[k]);
      inputs.past_key_values = past;
    }
    const out = await model.forward(inputs);
    stats.calls++;
    stats.tokensFed += G * n;
    stats.tokensReused += G * m;
    let logits = out?.logits;
    if (logits == null || !Array.isArray(logits.dims) || logits.dims.length !== 3 || logits.dims[0] !== G || logits.dims[2] !== V) {
      throw new Error(`transformersJsModel: the model returned logits of shape [${logits?.dims?.join(', ')}], expected [${G}, ${n}, ${V}]`);
    }
    if (logits.type !== 'float32') {
      if (typeof logits.to !== 'function') throw new TypeError(`transformersJsModel: logits of type ${logits.type} cannot be converted to float32`);
      logits = logits.to('float32');
    }
    const T = logits.dims[1];
    const ld = logits.data as Float32Array;
    if (!Number.isInteger(T) || T < 1 || T > n || !(ld instanceof Float32Array) || ld.length !== G * T * V) {
      throw new Error(`transformersJsModel: the model returned logits of shape [${logits.dims.join(', ')}] holding ${describeData(ld)}, expected [${G}, ${n}, ${V}] of float32`);
    }
    const hid = hasHidden ? out[HIDDEN] : null;
    const hd = hid ? (hid.type === 'float32' ? hid : hid.to!('float32')).data as Float32Array : null;
    const Th = hid ? hid.dims[1] : 0;
    if (hasHidden && hid == null) throw new Error(`transformersJsModel: the model returned no ${HIDDEN}, which its session lists as an output`);
    if (hid && (!(hd instanceof Float32Array) || !Number.isInteger(Th) || Th < 1 || hd.length !== G * Th * D!)) {
      throw new Error(`transformersJsModel: the model returned ${HIDDEN} of shape [${hid.dims?.join(', ')}] holding ${describeData(hd)}, expected [${G}, ${n}, ${D}] of float32`);
    }
    let block: PastBlock | null = null;
    if (capacity > 0) {
      block = { tensors: presentNames.map((name) => checkPresent(out[name], name, G, m + n)), refs: 0 };
    }
    const entries: CacheEntry[] = [];
    for (let g = 0; g < G; g++) {
      const lo = (g * T + T - 1) * V;
      const ho = hd ? (g * Th + Th - 1) * D! : 0;
      const e: CacheEntry = {
        key: Int32Array.from(seqs[g]),
        block,
        row: g,
        logits: ld.slice(lo, lo + V),
        hidden: hd ? hd.slice(ho, ho + D!) : null,
      };
      if (block !== null) block.refs++;
      entries.push(e);
    }
    return { entries, hidden: allHidden ? hid : null };
  }

  async function forward(sequences: readonly Int32Array[], opts: ForwardOptions = {}): Promise<ModelOutput> {
    const signal = opts.signal;
    throwIfAborted(signal);
    if (!Array.isArray(sequences) || sequences.length === 0) {
      throw new TypeError(`transformersJsModel: sequences must be a non-empty array of Int32Array, got ${String(sequences)}`);
    }
    const wantHidden = opts.hidden === true;
    if (wantHidden && !hasHidden) throw noHidden();
    const B = sequences.length;
    const logits = new Float32Array(B * V);
    const hidden = wantHidden ? new Float32Array(B * D!) : undefined;
    const put = (b: number, e: CacheEntry): void => {
      logits.set(e.logits, b * V);
      if (hidden) hidden.set(e.hidden!, b * D!);
    };

    // plan: rows answered from the cache, duplicates of earlier rows, and groups to run
    const groups = new Map<string, { rows: number[]; m: number; pasts: PastRow[] | null }>();
    const sameAs = new Int32Array(B).fill(-1);
    const superseded: CacheEntry[] = [];
    for (let b = 0; b < B; b++) {
      const s = sequences[b];
      if (!(s instanceof Int32Array) || s.length === 0) {
        throw new TypeError(`transformersJsModel: sequences[${b}] must be a non-empty Int32Array, got ${Object.prototype.toString.call(s)}`);
      }
      for (let u = 0; u < b; u++) {
        if (sameAs[u] < 0 && equal(sequences[u], s)) {
          sameAs[b] = u;
          break;
        }
      }
      if (sameAs[b] >= 0) continue;
      const hit = cache.lookup(s);
      const e = hit.value;
      if (e !== null && hit.depth === s.length && hit.length === s.length) {
        put(b, e);
        stats.hits++;
        sameAs[b] = -2;
        continue;
      }
      const m = e === null || e.block === null ? 0 : Math.min(hit.depth, s.length - 1);
      if (m > 0 && m === hit.length) superseded.push(e!);
      const key = `${m}:${s.length - m}`;
      let grp = groups.get(key);
      if (grp === undefined) groups.set(key, (grp = { rows: [], m, pasts: m > 0 ? [] : null }));
      grp.rows.push(b);
      if (m > 0) grp.pasts!.push({ tensors: e!.block!.tensors, row: e!.row });
    }
    const made: CacheEntry[] = [];
    for (const grp of groups.values()) {
      throwIfAborted(signal);
      const { entries } = await run(grp.rows.map((b) => sequences[b]), grp.pasts, grp.m, false);
      grp.rows.forEach((b, i) => put(b, entries[i]));
      made.push(...entries);
    }
    // cache the new entries only now: an eviction must not drop a past a later group still needs
    store(made);
    throwIfAborted(signal);
    for (let b = 0; b < B; b++) if (sameAs[b] >= 0) {
      logits.copyWithin(b * V, sameAs[b] * V, sameAs[b] * V + V);
      if (hidden) hidden.copyWithin(b * D!, sameAs[b] * D!, sameAs[b] * D! + D!);
    }
    // an entry extended in full is covered by its extensions (they hold its positions too)
    for (const e of superseded) cache.delete(e.key, e);
    return hidden ? { logits, hidden } : { logits };
  }

  async function hiddenStates(sequence: Int32Array, opts: { signal?: AbortSignal } = {}): Promise<Float32Array> {
    if (!hasHidden) throw noHidden();
    throwIfAborted(opts.signal);
    if (!(sequence instanceof Int32Array) || sequence.length === 0) {
      throw new TypeError(`transformersJsModel: hiddenStates needs a non-empty Int32Array, got ${Object.prototype.toString.call(sequence)}`);
    }
    const { entries, hidden } = await run([sequence], null, 0, true);
    store(entries);
    throwIfAborted(opts.signal);
    const h = hidden!;
    return Float32Array.from((h.type === 'float32' ? h : h.to!('float32')).data as Float32Array);
  }

  const lm: TransformersJsLanguageModel = {
    vocabSize: V,
    forward,
    hiddenStates,
    stats,
    clearCache(): void {
      cache.clear();
      stats.calls = stats.tokensFed = stats.tokensReused = stats.hits = 0;
    },
  } as TransformersJsLanguageModel;
  Object.defineProperty(lm, 'hiddenSize', {
    enumerable: true,
    get(): number {
      if (!hasHidden) throw noHidden();
      return D!;
    },
  });
  return lm;
}

function equal(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = a.length - 1; i >= 0; i--) if (a[i] !== b[i]) return false;
  return true;
}

function describeData(d: unknown): string {
  if (d != null && typeof (d as ArrayLike<unknown>).length === 'number') return `${(d as ArrayLike<unknown>).length} values (${Object.prototype.toString.call(d).slice(8, -1)})`;
  return String(d);
}
