/**
 * The playground as a teacher opens it: `dtrain playground --port 0` serves the build and
 * Debian's headless Chromium (playwright-core) loads it. Every request is routed: one outside
 * the page's origin fails the test. The simulator worker runs quickstart with the real core
 * on TF.js wasm and its JSON is the CLI's byte for byte; the page's Run, its download, a click
 * on a node for explain, a share link made by the CLI, no console errors, a screenshot that is
 * not blank, and the build's size budget.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FromWorker } from '../../src/browser/protocol.js';
import { INSTALL_TIMEOUT_MS, launchChromium, screenshotStats } from '../report/browser/chromium.js';

const ROOT = join(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'bin', 'dtrain.js');
const BUILD = join(ROOT, 'dist', 'playground');
const BUDGET_BYTES = 15 * 1024 * 1024;

let server: ChildProcess;
let origin: string;
let browser: Browser;

/** `dtrain playground --port 0` and the URL it prints. */
async function startServer(args: string[] = []): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [CLI, 'playground', '--port', '0', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const url = await new Promise<string>((found, failed) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /^dtrain playground: (http:\/\/127\.0\.0\.1:\d+\/\S*)$/m.exec(out);
      if (match !== null) found(match[1]!);
    });
    child.on('exit', (code) => failed(new Error(`dtrain playground exited with ${code}: ${out}`)));
  });
  return { child, url };
}

function cliRun(args: string[], cwd = ROOT): { json: string } {
  const dir = mkdtempSync(join(tmpdir(), 'dtrain-playground-'));
  const out = join(dir, 'out.json');
  execFileSync(process.execPath, [CLI, 'simulate', ...args, '--backend', 'wasm', '--json', out, '--quiet'], { cwd, stdio: 'pipe' });
  return { json: readFileSync(out, 'utf8') };
}

interface Watched {
  context: BrowserContext;
  page: Page;
  consoleErrors: string[];
  outside: string[];
}

/** A page whose every request is checked: same origin goes on, anything else is refused and recorded. */
async function watchedPage(): Promise<Watched> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const consoleErrors: string[] = [];
  const outside: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (new URL(url).origin === origin) return route.continue();
    outside.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  context.on('weberror', (error) => consoleErrors.push(error.error().message));
  return { context, page, consoleErrors, outside };
}

function sizeOf(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((sum, entry) => {
    const path = join(dir, entry.name);
    return sum + (entry.isDirectory() ? sizeOf(path) : statSync(path).size);
  }, 0);
}

describe('the playground in headless Chromium', () => {
  beforeAll(async () => {
    const started = await startServer();
    server = started.child;
    origin = new URL(started.url).origin;
    browser = await launchChromium();
  }, INSTALL_TIMEOUT_MS + 60_000);
  afterAll(async () => {
    await browser?.close();
    server?.kill();
  });

  it('the build fits the size budget and holds the page, the worker, TF.js\'s wasm and the bundled files', () => {
    const files = readdirSync(BUILD);
    expect(files).toEqual(expect.arrayContaining(['index.html', 'main.js', 'worker.js', 'bundle.json', 'tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm']));
    expect(sizeOf(BUILD)).toBeLessThan(BUDGET_BYTES);
  });

  // its speed against the CLI's is measured by `npm run bench` (bench/playground.mjs), not here
  it('the worker runs quickstart off the UI thread: its JSON is simulate --json\'s byte for byte, explain is dtrain explain\'s', async () => {
    const { context, page, consoleErrors, outside } = await watchedPage();
    try {
      // any page of the origin will do (a file of the build): the worker is driven through the protocol directly
      await page.goto(`${origin}/bundle.json`);
      const result = await page.evaluate(async () => {
        const worker = new Worker('/worker.js', { type: 'module' });
        const seen: FromWorker[] = [];
        const next = (type: FromWorker['type']): Promise<FromWorker> => new Promise((found) => {
          const listener = (event: MessageEvent<FromWorker>): void => {
            if (event.data.type === type || event.data.type === 'error' || event.data.type === 'failed') {
              worker.removeEventListener('message', listener);
              found(event.data);
            }
          };
          worker.addEventListener('message', listener);
        });
        worker.addEventListener('message', (event: MessageEvent<FromWorker>) => seen.push(event.data));
        const ready = await next('ready');
        if (ready.type !== 'ready') return { failed: JSON.stringify(ready) };
        const yaml = ready.scenarios.find((s) => s.name === 'quickstart')!.yaml;
        worker.postMessage({ type: 'run', yaml });
        const done = await next('done');
        worker.postMessage({ type: 'explain', requestId: 1, strategy: 's1s4', node: 'c', round: 3 });
        const explained = await next('explain');
        worker.terminate();
        return {
          backend: ready.backend, names: ready.scenarios.map((s) => s.name), done, explained,
          rounds: seen.slice(seen.map((m) => m.type).lastIndexOf('start')).filter((m) => m.type === 'round').length,
        };
      });
      expect(result).not.toHaveProperty('failed');
      const cli = cliRun(['scenarios/quickstart.yaml']);
      expect(result.backend).toBe('wasm');
      expect(result.names![0]).toBe('quickstart');
      expect(result.done).toMatchObject({ type: 'done', fileName: 'quickstart.json' });
      expect((result.done as { json: string }).json).toBe(cli.json);
      const report = JSON.parse(cli.json) as { runs: Array<{ rounds: unknown[] }> };
      expect(result.rounds).toBe(report.runs.reduce((sum, run) => sum + run.rounds.length, 0));
      const explainCli = execFileSync(process.execPath, [CLI, 'explain', 'scenarios/quickstart.yaml', '--strategy', 's1s4', '--round', '3', '--node', 'c', '--backend', 'wasm'], { cwd: ROOT, encoding: 'utf8' });
      expect(result.explained).toEqual({ type: 'explain', requestId: 1, text: explainCli });
      expect(consoleErrors).toEqual([]);
      expect(outside).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('every bundled scenario run in the worker gives the CLI\'s JSON byte for byte (data-matters\' lognormal latency once differed in the 17th digit)', async () => {
    const { context, page, consoleErrors, outside } = await watchedPage();
    try {
      await page.goto(`${origin}/bundle.json`);
      const reports = await page.evaluate(async () => {
        const worker = new Worker('/worker.js', { type: 'module' });
        const next = (types: string[]): Promise<FromWorker> => new Promise((found) => {
          const listener = (event: MessageEvent<FromWorker>): void => {
            if (types.includes(event.data.type)) {
              worker.removeEventListener('message', listener);
              found(event.data);
            }
          };
          worker.addEventListener('message', listener);
        });
        const ready = await next(['ready', 'error']);
        if (ready.type !== 'ready') return { error: JSON.stringify(ready) };
        const out: Record<string, string> = {};
        for (const scenario of ready.scenarios) {
          worker.postMessage({ type: 'run', yaml: scenario.yaml });
          const end = await next(['done', 'failed']);
          out[scenario.name] = end.type === 'done' ? end.json : JSON.stringify(end);
        }
        worker.terminate();
        return out;
      });
      const names = readdirSync(join(ROOT, 'scenarios')).filter((f) => f.endsWith('.yaml')).map((f) => f.slice(0, -5)).sort();
      expect(Object.keys(reports).sort()).toEqual(names);
      for (const name of names) expect([name, reports[name] === cliRun([`scenarios/${name}.yaml`]).json]).toEqual([name, true]);
      expect(consoleErrors).toEqual([]);
      expect(outside).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('a teacher runs quickstart on the page: the downloaded JSON is the CLI\'s, a node click explains, nothing outside the origin, not blank', async () => {
    const { context, page, consoleErrors, outside } = await watchedPage();
    try {
      await page.goto(`${origin}/`);
      await page.waitForFunction(() => document.getElementById('status')?.textContent?.startsWith('Ready') === true, undefined, { timeout: 60_000 });
      await page.waitForFunction(() => !(document.getElementById('run') as HTMLButtonElement).disabled, undefined, { timeout: 30_000 });
      await page.click('#run');
      const download = page.locator('#download');
      await download.waitFor({ state: 'visible', timeout: 60_000 });
      const json = await page.evaluate(async () => {
        const link = document.getElementById('download') as HTMLAnchorElement;
        return { name: link.download, text: await (await fetch(link.href)).text() };
      });
      expect(json.name).toBe('quickstart.json');
      expect(json.text).toBe(cliRun(['scenarios/quickstart.yaml']).json);

      const row = page.locator('#node-table tbody tr').nth(2);
      const node = (await row.locator('th').textContent())!.trim();
      await row.click();
      await page.waitForFunction(() => {
        const text = document.getElementById('explain')?.textContent ?? '';
        return text !== '' && text !== 'Explaining…' && !text.startsWith('Click a node');
      }, undefined, { timeout: 30_000 });
      const explained = await page.locator('#explain').textContent();
      expect(explained).not.toContain('Cannot explain');
      expect(explained).toContain(`node ${node}:`);

      const png = await page.screenshot({ fullPage: true, path: join(mkdtempSync(join(tmpdir(), 'dtrain-shot-')), 'playground.png') });
      const { distinctColors: distinct } = await screenshotStats(browser, png);
      expect(distinct).toBeGreaterThan(100);
      expect(consoleErrors).toEqual([]);
      expect(outside).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('a share link made by dtrain playground FILE opens that scenario, edited threshold and all, and runs it as the CLI does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dtrain-share-'));
    const edited = readFileSync(join(ROOT, 'scenarios', 'quickstart.yaml'), 'utf8').replace(/thresholdMs: \d+/, 'thresholdMs: 35').replace(/^rounds: \d+$/m, 'rounds: 6');
    expect(edited).toContain('thresholdMs: 35');
    writeFileSync(join(dir, 'scenario.yaml'), edited);
    const shared = await startServer([join(dir, 'scenario.yaml')]);
    const { context, page, consoleErrors, outside } = await watchedPage();
    try {
      const url = new URL(shared.url);
      expect(url.hash).toMatch(/^#s=[A-Za-z0-9_-]+$/);
      await page.goto(`${origin}/${url.hash}`);
      await page.waitForFunction(() => document.getElementById('status')?.textContent?.startsWith('Ready') === true, undefined, { timeout: 60_000 });
      await page.waitForFunction(() => !(document.getElementById('run') as HTMLButtonElement).disabled, undefined, { timeout: 30_000 });
      await page.click('#run');
      await page.locator('#download').waitFor({ state: 'visible', timeout: 60_000 });
      const text = await page.evaluate(async () => (await fetch((document.getElementById('download') as HTMLAnchorElement).href)).text());
      expect(text).toBe(cliRun(['scenario.yaml'], dir).json);
      expect(consoleErrors).toEqual([]);
      expect(outside).toEqual([]);
    } finally {
      await context.close();
      shared.child.kill();
    }
  });
});
