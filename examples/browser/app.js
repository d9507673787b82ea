// The page: loads the bundled GPT-2 through transformers.js's web build (ONNX Runtime WebAssembly
// from /vendor/ort/, the model from /models/, nothing remote), wraps it with degen-guard's
// transformersJsModel (KV cache), and streams a strategy's text with live repetition numbers.
import { env, AutoModelForCausalLM, AutoTokenizer } from '@huggingface/transformers';
import * as dg from 'degen-guard';
import { transformersJsModel } from 'degen-guard/transformers-js';
import { STRATEGIES, runStrategy } from './strategies.mjs';

const MODEL_ID = 'kjv-genesis-gpt2';
const $ = (id) => document.getElementById(id);

env.allowRemoteModels = false; // never ask the Hugging Face hub
env.allowLocalModels = true;
env.localModelPath = '/models/';
env.useBrowserCache = false;
env.backends.onnx.wasm.wasmPaths = new URL('/vendor/ort/', location.href).href; // ONNX Runtime's .wasm, served here
env.backends.onnx.wasm.numThreads = 1; // no cross-origin isolation needed; the same arithmetic on every machine
env.backends.onnx.wasm.proxy = false;

for (const [id, s] of Object.entries(STRATEGIES)) $('strategy').add(new Option(s.label, id));
const showSettings = () => ($('settings').textContent = STRATEGIES[$('strategy').value].settings);
$('strategy').addEventListener('change', showSettings);
showSettings();

let lm;
let tokenizer;
let controller = null;

const ready = (async () => {
  const t0 = performance.now();
  const model = await AutoModelForCausalLM.from_pretrained(MODEL_ID, { device: 'wasm', dtype: 'fp32' });
  tokenizer = await AutoTokenizer.from_pretrained(MODEL_ID);
  lm = transformersJsModel(model);
  const ms = Math.round(performance.now() - t0);
  $('status').textContent = `model loaded in ${ms} ms: GPT-2, 2 layers, vocabulary ${lm.vocabSize}, WebAssembly (1 thread), KV cache`;
  $('status').className = 'status ready';
  $('go').disabled = false;
})();
ready.catch((e) => {
  $('status').textContent = `could not load the model: ${e?.message ?? e}`;
  $('status').className = 'status error';
});

/** What the page shows, kept in step with the stream (tokens, per-token numbers, markers). */
function newView(promptText) {
  return { promptText, tokens: [], pieces: [], runRep: [], winRep: [], alarms: [], rewinds: [], ghosts: [], backoffs: 0, monitor: new dg.RepetitionMonitor(), state: null };
}

function onEvent(view, ev) {
  if (ev.type === 'rewind') {
    // keep what was dropped as a faint line on the chart, ending at its alarm
    view.ghosts.push({ from: Math.max(0, ev.length - 1), values: view.runRep.slice(Math.max(0, ev.length - 1)) });
    view.tokens.length = ev.length;
    view.pieces.length = ev.length;
    view.runRep.length = ev.length;
    view.winRep.length = ev.length;
    view.alarms = view.alarms.filter((i) => i < ev.length);
    view.rewinds.push(ev.length);
    view.backoffs++;
    view.monitor.reset(); // what generate() does with its own monitor: replay the kept tokens
    view.state = null;
    for (const t of view.tokens) view.state = { ...view.monitor.push(t) };
    return;
  }
  view.tokens.push(ev.token);
  view.pieces.push(tokenizer.decode([ev.token]));
  view.state = { ...view.monitor.push(ev.token) };
  view.runRep.push(view.tokens.length >= 4 ? dg.seqRep(view.tokens, 4) : 0); // seq-rep-4 needs 4 tokens
  view.winRep.push(view.state.seqRep);
  if (view.state.triggered) view.alarms.push(view.tokens.length - 1);
}

function render(view, msPerToken) {
  const out = $('output');
  out.replaceChildren();
  const p = document.createElement('span');
  p.className = 'prompt';
  p.textContent = view.promptText;
  out.append(p);
  const mask = view.tokens.length >= 4 ? dg.ngramRepeatMask(view.tokens, 4) : [];
  let run = null;
  view.pieces.forEach((piece, i) => {
    const rep = mask[i] === 1;
    if (!run || run.rep !== rep) {
      run = { rep, el: document.createElement('span') };
      if (rep) run.el.className = 'rep';
      out.append(run.el);
    }
    run.el.textContent += piece;
  });
  const st = view.state;
  $('s-length').textContent = String(view.tokens.length);
  $('s-seqrep').textContent = (view.runRep.at(-1) ?? 0).toFixed(3);
  $('s-window').textContent = (st?.seqRep ?? 0).toFixed(3);
  $('s-loop').textContent = st && st.period > 0 ? `period ${st.period} × ${st.repeats}` : 'none';
  $('s-alarm').textContent = st?.triggered ? st.reason : 'no';
  $('s-alarm').className = st?.triggered ? 'alarm' : '';
  $('s-backoffs').textContent = String(view.backoffs);
  $('s-speed').textContent = msPerToken ? msPerToken.toFixed(1) : '–';
  drawChart(view);
}

function drawChart(view) {
  const svg = $('chart');
  const W = 600;
  const H = 160;
  const pad = 8;
  const n = Math.max(view.maxTokens ?? 64, view.tokens.length, 2);
  const x = (i) => pad + (i / (n - 1)) * (W - 2 * pad);
  const y = (v) => H - pad - v * (H - 2 * pad);
  const line = (vals, cls) => (vals.length ? `<polyline class="${cls}" points="${vals.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ')}"/>` : '');
  const grid = [0, 0.25, 0.5, 0.75, 1].map((v) => `<line x1="${pad}" x2="${W - pad}" y1="${y(v)}" y2="${y(v)}" stroke="#eceef2"/><text x="${pad + 2}" y="${y(v) - 2}" font-size="9" fill="#9aa1ad">${v}</text>`).join('');
  const rewinds = view.rewinds.map((i) => `<line x1="${x(i)}" x2="${x(i)}" y1="${pad}" y2="${H - pad}" stroke="#b3261e" stroke-dasharray="4 3"/>`).join('');
  const alarms = view.alarms.map((i) => `<circle cx="${x(i)}" cy="${y(view.runRep[i] ?? 0)}" r="3.5" fill="#b3261e"/>`).join('');
  const ghosts = view.ghosts
    .map((g) => {
      const pts = g.values.map((v, k) => `${x(g.from + k).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
      const last = g.values.length - 1;
      return `<polyline points="${pts}" fill="none" stroke="#b3261e" stroke-opacity="0.45" stroke-width="1.5"/><circle cx="${x(g.from + last)}" cy="${y(g.values[last] ?? 0)}" r="3.5" fill="#b3261e"/>`;
    })
    .join('');
  svg.innerHTML =
    `${grid}${rewinds}${ghosts}` +
    `<g fill="none" stroke-width="2">${line(view.winRep, 'win').replace('class="win"', 'stroke="#e08a00" stroke-dasharray="5 3"')}${line(view.runRep, 'run').replace('class="run"', 'stroke="#2451b7"')}</g>${alarms}`;
}

/**
 * Generates with `strategy` after `prompt` and updates the page as it goes; resolves to
 * `{ promptIds, tokens, text, backoffs, stopReason }` (what the browser test compares with Node).
 */
async function run({ prompt, strategy, maxNewTokens, seed }) {
  await ready;
  controller?.abort();
  controller = new AbortController();
  const signal = controller.signal;
  const promptIds = Array.from(tokenizer.encode(prompt));
  $('prompt').value = prompt; // the form shows what runs
  $('strategy').value = strategy;
  $('tokens').value = String(maxNewTokens);
  $('seed').value = String(seed);
  showSettings();
  const view = newView(prompt);
  view.maxTokens = maxNewTokens;
  const calls0 = lm.stats.calls;
  const t0 = performance.now();
  $('go').disabled = true;
  $('stop').disabled = false;
  render(view);
  try {
    const r = await runStrategy(dg, lm, promptIds, { strategy, maxNewTokens, seed, signal }, async (ev) => {
      onEvent(view, ev);
      const calls = lm.stats.calls - calls0;
      render(view, calls ? (performance.now() - t0) / calls : 0);
      await new Promise((res) => setTimeout(res, 0)); // let the page paint
    });
    const text = tokenizer.decode([...promptIds, ...r.tokens], { skip_special_tokens: true });
    return { promptIds, ...r, text, seqRep4: dg.seqRep(r.tokens, 4) };
  } finally {
    $('go').disabled = false;
    $('stop').disabled = true;
  }
}

$('controls').addEventListener('submit', (e) => {
  e.preventDefault();
  const maxNewTokens = Math.max(1, Math.min(200, Number($('tokens').value) || 64));
  run({ prompt: $('prompt').value, strategy: $('strategy').value, maxNewTokens, seed: Number($('seed').value) || 0 }).catch((err) => {
    if (err?.name !== 'AbortError' && !String(err).includes('abort')) {
      $('status').textContent = `error: ${err?.message ?? err}`;
      $('status').className = 'status error';
    }
  });
});
$('stop').addEventListener('click', () => controller?.abort());

// For scripts (and the headless test): window.demo.ready, window.demo.run({ prompt, strategy, maxNewTokens, seed }).
window.demo = { ready, run, strategies: Object.keys(STRATEGIES) };

// ?prompt=…&strategy=…&tokens=…&seed=…&run fills the form (and generates with `run`).
const q = new URLSearchParams(location.search);
if (q.has('prompt')) $('prompt').value = q.get('prompt');
if (q.has('strategy') && STRATEGIES[q.get('strategy')]) $('strategy').value = q.get('strategy');
if (q.has('tokens')) $('tokens').value = q.get('tokens');
if (q.has('seed')) $('seed').value = q.get('seed');
showSettings();
if (q.has('run')) ready.then(() => $('go').click());
