// Headless Chromium runs the page (transformers.js web build, ONNX Runtime WebAssembly, degen-guard's
// dist/) and must produce the same tokens as Node (transformers.js with onnxruntime-node, the same
// dist/) for the same prompt, strategy and seed.
//   npm run build                                         (at the repository root: dist/)
//   npm install --prefix examples/browser --ignore-scripts
//   node --test examples/browser/test/                    (CHROMIUM=/path/to/chromium to use another browser)
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { env, AutoModelForCausalLM, AutoTokenizer } from '@huggingface/transformers';
import { serve } from '../server.mjs';
import { runStrategy, STRATEGIES } from '../strategies.mjs';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const dist = join(repo, 'dist');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const PROMPTS = ['And God said', 'In the beginning'];
const TOKENS = 48;
const SEED = 3;

let server;
let context;
let page;
let profile;
let node; // { dg, lm, tokenizer }
const pageErrors = [];

before(async () => {
  assert.ok(existsSync(join(dist, 'index.js')) && existsSync(join(dist, 'transformers-js.js')), `${dist} has no build: run npm run build at the repository root first`);
  assert.ok(existsSync(CHROMIUM), `no Chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM)`);
  // Node: the same built library, transformers.js on onnxruntime-node.
  const dg = await import(pathToFileURL(join(dist, 'index.js')).href);
  const { transformersJsModel } = await import(pathToFileURL(join(dist, 'transformers-js.js')).href);
  env.allowRemoteModels = false;
  env.localModelPath = join(repo, 'test', 'fixtures', 'models') + '/';
  const model = await AutoModelForCausalLM.from_pretrained('kjv-genesis-gpt2');
  const tokenizer = await AutoTokenizer.from_pretrained('kjv-genesis-gpt2');
  node = { dg, lm: transformersJsModel(model), tokenizer };
  // The browser: the page from the example's own static server.
  server = await serve({ port: 0 });
  profile = mkdtempSync(join(tmpdir(), 'degen-guard-chromium-'));
  context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: FLAGS, viewport: { width: 1100, height: 900 } });
  page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && pageErrors.push(m.text()));
  const remote = [];
  page.on('request', (r) => !r.url().startsWith(`http://127.0.0.1:${server.address().port}/`) && !r.url().startsWith('data:') && remote.push(r.url()));
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  await page.evaluate(() => window.demo.ready);
  assert.deepEqual(remote, [], 'the page asks for nothing outside the local server');
});

after(async () => {
  await context?.close();
  server?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

describe('the browser page against Node, same prompt and seed', () => {
  it('offers the five strategies and loaded the model', async () => {
    assert.deepEqual(await page.evaluate(() => window.demo.strategies), ['greedy', 'beam', 'contrastive', 'top-p', 'monitor']);
    assert.deepEqual(Object.keys(STRATEGIES), ['greedy', 'beam', 'contrastive', 'top-p', 'monitor']);
    assert.match(await page.textContent('#status'), /model loaded in \d+ ms/);
  });

  for (const strategy of Object.keys(STRATEGIES)) {
    for (const prompt of PROMPTS) {
      it(`${strategy}, "${prompt}": the same token ids as Node`, async () => {
        const opts = { prompt, strategy, maxNewTokens: TOKENS, seed: SEED };
        const inBrowser = await page.evaluate((o) => window.demo.run(o), opts);
        const promptIds = Array.from(node.tokenizer.encode(prompt));
        const inNode = await runStrategy(node.dg, node.lm, promptIds, { strategy, maxNewTokens: TOKENS, seed: SEED });
        assert.deepEqual(inBrowser.promptIds, promptIds);
        assert.deepEqual(inBrowser.tokens, inNode.tokens);
        assert.equal(inBrowser.backoffs, inNode.backoffs);
        assert.equal(inBrowser.tokens.length, TOKENS);
        // and the page shows that text and a chart point per token
        const shown = (await page.textContent('#output')).replace(/\s+/g, ' ');
        assert.equal(shown, node.tokenizer.decode([...promptIds, ...inNode.tokens], { skip_special_tokens: true }).replace(/\s+/g, ' '));
        assert.equal(await page.textContent('#s-length'), String(TOKENS));
        const points = await page.evaluate(() => document.querySelector('#chart polyline[stroke="#2451b7"]').getAttribute('points').trim().split(/\s+/).length);
        assert.equal(points, TOKENS);
      });
    }
  }

  it('greedy loops on the page; the monitor-guarded loop does not', async () => {
    const greedy = await page.evaluate(() => window.demo.run({ prompt: 'And God said', strategy: 'greedy', maxNewTokens: 64, seed: 1 }));
    assert.ok(greedy.seqRep4 > 0.5, `greedy seq-rep-4 ${greedy.seqRep4}`);
    assert.match(await page.textContent('#s-alarm'), /loop/);
    const guarded = await page.evaluate(() => window.demo.run({ prompt: 'And God said', strategy: 'monitor', maxNewTokens: 64, seed: 1 }));
    assert.ok(guarded.seqRep4 < 0.05, `monitor seq-rep-4 ${guarded.seqRep4}`);
    assert.ok(guarded.backoffs > 0);
    assert.equal(await page.textContent('#s-backoffs'), String(guarded.backoffs));
    await page.screenshot({ path: join(tmpdir(), 'degen-guard-browser-example.png'), fullPage: true });
  });

  it('no error in the page', () => {
    assert.deepEqual(pageErrors, []);
  });
});
