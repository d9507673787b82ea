/**
 * A stand-in for a transformers.js causal LM (same session names, tensor shapes and KV-cache
 * protocol as an optimum GPT-2 export) whose outputs are exact integer functions of the tokens, so a
 * wrong, reordered or mis-truncated past changes the logits. `reference(seq)` is what a correct run
 * must give for a sequence, computed without any cache.
 */
import type { TensorData, TensorLike, TransformersJsCausalLM } from '../../../src/integrations/transformers-js/index.js';

export class FakeTensor implements TensorLike {
  readonly location = 'cpu';
  constructor(
    readonly type: string,
    readonly data: TensorData,
    readonly dims: number[],
  ) {
    const size = dims.reduce((a, b) => a * b, 1);
    if (data.length !== size) throw new Error(`FakeTensor: ${data.length} values for dims [${dims}]`);
  }
}

export const V = 7;
const H = 2; // heads
const D = 3; // head size
export const HIDDEN = 4;
const LAYERS = 2;

/** Key and value of one position: exact small integers (as float32) of the token, position, head and layer. */
function kv(token: number, pos: number, h: number, d: number, layer: number, isValue: boolean): number {
  return ((token + 1) * 13 + (pos + 1) * 7 + h * 5 + d * 3 + layer * 11 + (isValue ? 17 : 0)) % 101;
}

/** Logits and hidden state of the last position of a context whose keys/values are `feats` (one number per position). */
function outputsOf(feats: number[]): { logits: number[]; hidden: number[] } {
  let s = 0;
  for (let j = 0; j < feats.length; j++) s = (s * 31 + feats[j] * (j + 1)) % 1000003;
  const logits = Array.from({ length: V }, (_, v) => ((s * (v + 3) + v * 7919) % 997) / 10);
  const hidden = Array.from({ length: HIDDEN }, (_, i) => 1 + ((s + i * 131) % 89));
  return { logits, hidden };
}

/** One number summarising a position's keys and values across layers and heads (what the fake attention reads). */
function featOf(keys: (i: number, h: number, d: number, layer: number, isValue: boolean) => number, i: number): number {
  let f = 0;
  for (let l = 0; l < LAYERS; l++) for (let h = 0; h < H; h++) for (let d = 0; d < D; d++) {
    f = (f * 3 + keys(i, h, d, l, false) + 2 * keys(i, h, d, l, true)) % 1000003;
  }
  return f;
}

/** The logits and hidden state a correct model gives for the last position of `seq`. */
export function reference(seq: ArrayLike<number>): { logits: number[]; hidden: number[] } {
  const feats: number[] = [];
  for (let j = 0; j < seq.length; j++) feats.push(featOf((i, h, d, l, isV) => kv(seq[i], i, h, d, l, isV), j));
  return outputsOf(feats);
}

export interface FakeCall {
  rows: number;
  fed: number;
  past: number;
}

/** The fake model; `calls` records each forward's rows, new tokens and past length. */
export function fakeModel(options: { hidden?: boolean; numLogitsToKeep?: boolean } = {}): TransformersJsCausalLM & { calls: FakeCall[] } {
  const pastNames: string[] = [];
  for (let l = 0; l < LAYERS; l++) pastNames.push(`past_key_values.${l}.key`, `past_key_values.${l}.value`);
  const inputNames = ['input_ids', 'attention_mask', 'position_ids', ...pastNames];
  if (options.numLogitsToKeep) inputNames.push('num_logits_to_keep');
  const outputNames = ['logits', ...pastNames.map((n) => n.replace('past_key_values', 'present'))];
  if (options.hidden !== false) outputNames.push('last_hidden_state');
  const calls: FakeCall[] = [];
  return {
    calls,
    config: { vocab_size: V, n_embd: HIDDEN },
    sessions: { model: { inputNames, outputNames } },
    prepare_inputs_for_generation(_ids: unknown, inputs: Record<string, { dims: number[] }>) {
      const [b, n] = inputs.input_ids.dims;
      return { ...inputs, attention_mask: new FakeTensor('int64', new BigInt64Array(b * n).fill(1n), [b, n]) };
    },
    async forward(inputs: Record<string, unknown>) {
      const ids = inputs.input_ids as FakeTensor;
      const mask = inputs.attention_mask as FakeTensor;
      const past = inputs.past_key_values as Record<string, FakeTensor> | undefined;
      const [G, n] = ids.dims;
      const m = past ? past[pastNames[0]].dims[2] : 0;
      if (mask.dims[0] !== G || mask.dims[1] !== m + n) throw new Error(`fake: attention_mask [${mask.dims}] for ${G} × (${m} + ${n})`);
      for (const x of mask.data as BigInt64Array) if (x !== 1n) throw new Error('fake: padding not expected');
      if (options.numLogitsToKeep && !(inputs.num_logits_to_keep instanceof FakeTensor)) throw new Error('fake: num_logits_to_keep missing');
      calls.push({ rows: G, fed: n, past: m });
      const L = m + n;
      const present: Record<string, FakeTensor> = {};
      for (let l = 0; l < LAYERS; l++) {
        for (const isV of [false, true]) {
          const name = `past_key_values.${l}.${isV ? 'value' : 'key'}`;
          const p = past?.[name];
          if (past && (!p || p.dims.length !== 4 || p.dims[0] !== G || p.dims[1] !== H || p.dims[2] !== m || p.dims[3] !== D)) {
            throw new Error(`fake: ${name} dims [${p?.dims}]`);
          }
          const out = new Float32Array(G * H * L * D);
          for (let g = 0; g < G; g++) for (let h = 0; h < H; h++) {
            for (let j = 0; j < m; j++) for (let d = 0; d < D; d++) out[((g * H + h) * L + j) * D + d] = (p!.data as Float32Array)[((g * H + h) * m + j) * D + d];
            for (let i = 0; i < n; i++) for (let d = 0; d < D; d++) {
              out[((g * H + h) * L + m + i) * D + d] = kv(Number((ids.data as BigInt64Array)[g * n + i]), m + i, h, d, l, isV);
            }
          }
          present[name.replace('past_key_values', 'present')] = new FakeTensor('float32', out, [G, H, L, D]);
        }
      }
      const T = options.numLogitsToKeep ? 1 : n;
      const logits = new Float32Array(G * T * V);
      const hidden = new Float32Array(G * n * HIDDEN);
      for (let g = 0; g < G; g++) {
        const at = (name: string) => (present[name] as FakeTensor).data as Float32Array;
        const keys = (i: number, h: number, d: number, l: number, isV: boolean) =>
          at(`present.${l}.${isV ? 'value' : 'key'}`)[((g * H + h) * L + i) * D + d];
        const feats: number[] = [];
        for (let j = 0; j < L; j++) {
          feats.push(featOf(keys, j));
          if (j >= m) {
            const o = outputsOf(feats);
            hidden.set(o.hidden, (g * n + j - m) * HIDDEN);
            const t = j - m - (n - T);
            if (t >= 0) logits.set(o.logits, (g * T + t) * V);
          }
        }
      }
      const result: Record<string, TensorLike> = { logits: new FakeTensor('float32', logits, [G, T, V]), ...present };
      if (options.hidden !== false) result.last_hidden_state = new FakeTensor('float32', hidden, [G, n, HIDDEN]);
      return result;
    },
  };
}
