/**
 * The playground's speed target: quickstart (both strategies, 30 rounds each) run in the
 * browser's worker within 2× of the CLI's time on the same machine. The worker's time runs from
 * the `run` message to the finished report (parsing and setup included); the CLI's is its time
 * in the strategies (`summary.wallMs` of `simulate --timing`, start-up and setup left out), the
 * faster of `REPETITIONS` each, so that the first run's compiling is not counted on either side.
 * Headless Chromium (Debian's `chromium`) through playwright-core, the page served by
 * `dtrain playground --port 0` from the built package; skipped, and said, without a Chromium.
 * (A timed check, so here and not in a test: the machine is shared and noisy.)
 */
import { execFileSync, spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
const CLI = join(ROOT, 'bin', 'dtrain.js');
const REPETITIONS = 3;
const SCENARIO = 'scenarios/quickstart.yaml';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

function executable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Debian's chromium, or one on PATH; null if none. */
function findChromium() {
  const candidates = ['/usr/bin/chromium', ...(process.env.PATH ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, 'chromium'))];
  return candidates.find(executable) ?? null;
}

/** `dtrain playground --port 0` and the origin it prints. */
function startServer() {
  const child = spawn(process.execPath, [CLI, 'playground', '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const origin = new Promise((found, failed) => {
    child.stdout.on('data', (chunk) => {
      out += chunk.toString();
      const match = /^dtrain playground: (http:\/\/127\.0\.0\.1:\d+)\//m.exec(out);
      if (match !== null) found(match[1]);
    });
    child.on('exit', (code) => failed(new Error(`dtrain playground exited with ${code}: ${out}`)));
  });
  return { child, origin };
}

/** The CLI's time in quickstart's strategies (simulate --timing), in ms. */
function cliStrategiesMs() {
  const out = execFileSync(process.execPath, [CLI, 'simulate', SCENARIO, '--backend', 'wasm', '--timing', '--json', '-', '--quiet'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return JSON.parse(out).runs.reduce((sum, run) => sum + run.summary.wallMs, 0);
}

/** quickstart run `repetitions` times in the playground's worker: each run's ms and JSON. */
async function workerRuns(page, repetitions) {
  return page.evaluate(async ({ name, repetitions }) => {
    const worker = new Worker('/worker.js', { type: 'module' });
    const next = (type) => new Promise((found) => {
      const listener = (event) => {
        if (event.data.type === type || event.data.type === 'error' || event.data.type === 'failed') {
          worker.removeEventListener('message', listener);
          found(event.data);
        }
      };
      worker.addEventListener('message', listener);
    });
    try {
      const ready = await next('ready');
      if (ready.type !== 'ready') return { failed: JSON.stringify(ready) };
      const yaml = ready.scenarios.find((scenario) => scenario.name === name).yaml;
      const runs = [];
      for (let i = 0; i < repetitions; i++) {
        const started = performance.now();
        worker.postMessage({ type: 'run', yaml });
        const done = await next('done');
        if (done.type !== 'done') return { failed: JSON.stringify(done) };
        runs.push({ ms: performance.now() - started, json: done.json });
      }
      return { runs };
    } finally {
      worker.terminate();
    }
  }, { name: 'quickstart', repetitions });
}

export async function measurePlayground(log) {
  const executablePath = findChromium();
  if (executablePath === null) {
    log('playground: skipped, no chromium found (Debian: apt-get install chromium)');
    return null;
  }
  const { chromium } = await import('playwright-core');
  const server = startServer();
  let browser = null;
  try {
    const origin = await server.origin;
    browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
    const page = await browser.newPage();
    await page.goto(`${origin}/bundle.json`);
    const worker = await workerRuns(page, REPETITIONS);
    if (worker.failed !== undefined) throw new Error(`the playground's worker failed: ${worker.failed}`);
    const cliMs = Math.min(...Array.from({ length: REPETITIONS }, cliStrategiesMs));
    const workerMs = Math.min(...worker.runs.map((run) => run.ms));
    const ratio = workerMs / cliMs;
    log(`playground: quickstart in the browser's worker ${workerMs.toFixed(0)} ms, the CLI's strategies ${cliMs.toFixed(0)} ms (faster of ${REPETITIONS} each)`);
    return { contender: 'playground:quickstart', wallMs: workerMs, cliMs, ratio, targetRatio: 2 };
  } finally {
    await browser?.close();
    server.child.kill();
  }
}
