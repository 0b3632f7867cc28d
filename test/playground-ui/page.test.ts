/**
 * The playground page as a teacher uses it, in headless Chromium on the real build
 * (`dtrain playground --port 0` serving dist/playground, the real simulator worker): located
 * problems without running, Step from idle, Pause/Resume/Reset, a share link reloaded, a
 * large scenario's confirmation, a divergence that keeps its rounds, and a strategy name made
 * of markup shown as text. No console error and no request outside the page's origin.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { INSTALL_TIMEOUT_MS, launchChromium } from '../report/browser/chromium.js';

const ROOT = join(import.meta.dirname, '..', '..');
const QUICKSTART = readFileSync(join(ROOT, 'scenarios', 'quickstart.yaml'), 'utf8');

/** The 1-based line of the first line of `text` that starts with `start` (so an edit of quickstart's description above it moves the expected positions too). */
function lineOf(text: string, start: string): number {
  const index = text.split('\n').findIndex((line) => line.startsWith(start));
  if (index < 0) throw new Error(`no line starting with ${start}`);
  return index + 1;
}

let server: ChildProcess;
let origin: string;
let browser: Browser;
let context: BrowserContext;
let problems: string[];

beforeAll(async () => {
  server = spawn(process.execPath, [join(ROOT, 'bin', 'dtrain.js'), 'playground', '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  origin = await new Promise<string>((found, failed) => {
    server.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /(http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
      if (match !== null) found(match[1]!);
    });
    server.on('exit', (code) => failed(new Error(`dtrain playground exited with ${code}: ${out}`)));
  });
  browser = await launchChromium();
}, INSTALL_TIMEOUT_MS + 60_000);

afterAll(async () => {
  await browser?.close();
  server?.kill();
});

afterEach(async () => {
  await context?.close();
  expect(problems).toEqual([]);
});

async function openPage(hash = ''): Promise<Page> {
  context = await browser.newContext({ viewport: { width: 1400, height: 2000 } });
  problems = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (new URL(url).origin === origin) return route.continue();
    problems.push(`request outside the origin: ${url}`);
    return route.abort();
  });
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  await page.goto(`${origin}/${hash}`);
  await page.waitForFunction(() => document.getElementById('status')?.textContent?.startsWith('Ready') === true, undefined, { timeout: 60_000 });
  return page;
}

/** Replaces the editor's text as typing would (one undoable edit), then lets validation answer. */
async function setText(page: Page, text: string): Promise<void> {
  await page.click('.cm-content');
  await page.keyboard.press('Control+a');
  await page.keyboard.insertText(text);
  await page.waitForFunction((expected) => {
    const lines = [...document.querySelectorAll('.cm-line')].map((line) => line.textContent).join('\n');
    return lines === expected;
  }, text.replace(/\n$/, '\n'), { timeout: 10_000 });
  await page.waitForTimeout(700);
}

function editorText(page: Page): Promise<string> {
  return page.evaluate(() => [...document.querySelectorAll('.cm-line')].map((line) => line.textContent).join('\n'));
}

const runOn = (page: Page) => page.waitForFunction(() => !(document.getElementById('run') as HTMLButtonElement).disabled, undefined, { timeout: 30_000 });

/**
 * A fresh page asked to Run quickstart widened to 2,000 rounds of a [1024, 1024] model (about
 * half an hour of compute, over a tab's budget): the page and its confirmation dialog.
 */
async function askToRunHuge(): Promise<{ page: Page; dialog: Locator }> {
  const page = await openPage();
  await runOn(page);
  await setText(page, QUICKSTART.replace('rounds: 30', 'rounds: 2000').replace('hidden: [32]', 'hidden: [1024, 1024]'));
  await runOn(page);
  await page.click('#run');
  const dialog = page.locator('[role=alertdialog]');
  await dialog.waitFor();
  return { page, dialog };
}

describe('the playground page', () => {
  it('a bad threshold and round count are shown at their lines as dtrain validate words them, and Run stays off', async () => {
    const page = await openPage();
    await runOn(page);
    await setText(page, QUICKSTART.replace('thresholdMs: 50', 'thresholdMs: -50').replace('rounds: 30', 'rounds: many'));
    await page.waitForSelector('#issues button.issue');
    expect(await page.locator('#issues button.issue').allTextContents()).toEqual([
      `scenario.yaml:${lineOf(QUICKSTART, 'rounds: ')}:9  rounds: expected an integer from 1 to 100000, found "many" (a string)`,
      `scenario.yaml:${lineOf(QUICKSTART, '  s1: ')}:53  pipeline.s1.thresholdMs: expected a duration (ms, or a string like 250ms, 2s, 1.5m) ≥ 0, found -50`,
    ]);
    expect(await page.locator('.cm-lintRange-error').allTextContents()).toEqual(['many', '-50']);
    expect(await page.isDisabled('#run')).toBe(true);
    expect(await page.isDisabled('#step')).toBe(true);
    expect(await page.textContent('#why')).toBe('Run is off: the scenario has problems (see the editor).');
    expect(await page.locator('#scoreboard table').count()).toBe(0);
  });

  it('the strategies side by side end with the figures of the CLI summary', async () => {
    const page = await openPage();
    await runOn(page);
    await page.click('#run');
    await page.locator('#download').waitFor({ state: 'visible', timeout: 60_000 });
    // the download link is offered at once, the scoreboard painted at the next animation frame:
    // under load the table can still show an earlier round when the link appears
    await page.waitForFunction(() => {
      const rows = [...document.querySelectorAll('#scoreboard tbody tr')];
      return rows.length === 2 && rows.every((row) => row.children[1]?.textContent === '30 / 30' && !(row.textContent ?? '').includes('…'));
    });
    expect(await page.locator('#scoreboard thead th').allTextContents()).toEqual(
      ['strategy', 'rounds', 'accuracy', 'best', 'loss', 'simulated time', 'to 90 %', 'samples', 'drops']);
    // dtrain simulate --quiet: s1s4 0.9164 0.9220 8.451 s 6.585 s 3,646; sync-sgd 0.9136 0.9248 8.601 s 6.643 s 3,840
    const rows = await page.locator('#scoreboard tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((cell) => cell.textContent)));
    expect(rows).toEqual([
      ['s1s4', '30 / 30', '91.6 %', '92.2 %', '0.363', '8.45 s', '6.59 s', '3,646', '0'],
      ['sync-sgd', '30 / 30', '91.4 %', '92.5 %', '0.355', '8.60 s', '6.64 s', '3,840', '0'],
    ]);
  });

  it('25 problems: the first 20 listed as dtrain validate lists them, all 25 marked in the editor', async () => {
    const page = await openPage();
    await runOn(page);
    const head = QUICKSTART.slice(0, QUICKSTART.indexOf('  nodes:\n') + '  nodes:\n'.length);
    const nodes = Array.from({ length: 25 }, (_, i) => `    - { id: n${i + 1}, latency: { constant: -1 } }\n`).join('');
    await setText(page, head + nodes);
    await page.waitForSelector('#issues button.issue');
    const listed = await page.locator('#issues button.issue').allTextContents();
    expect(listed).toHaveLength(20);
    // the 20th node's line: 20 lines below `  nodes:`
    expect(listed[19]).toBe(`scenario.yaml:${lineOf(head, '  nodes:') + 20}:39  cluster.nodes[19].latency.constant: expected a duration (ms, or a string like 250ms, 2s, 1.5m) ≥ 0, found -1`);
    expect(await page.locator('#issues p.muted').textContent()).toBe('… and 5 more, marked in the editor');
    expect(await page.locator('.cm-lintRange-error').count()).toBe(25);
    expect(await page.locator('#issues p.bad').textContent()).toBe('25 problems found (as dtrain validate prints them):');
  });

  it('Step from idle runs one round and pauses; Step, Run (resume), Pause and Reset do what they say', async () => {
    const page = await openPage();
    await runOn(page);
    await page.selectOption('#speed', { label: '5 rounds/s' });
    await page.click('#step');
    await page.waitForFunction(() => document.getElementById('round-title')?.textContent?.startsWith('Round 1 of 30, s1s4') === true);
    await page.waitForFunction(() => document.getElementById('run')?.textContent === 'Resume');
    await page.click('#step');
    await page.waitForFunction(() => document.getElementById('round-title')?.textContent?.startsWith('Round 2 of 30, s1s4') === true);
    expect(await page.locator('#scoreboard tbody tr').first().locator('td').first().textContent()).toBe('2 / 30');
    await page.click('#run');
    await page.waitForFunction(() => document.getElementById('round-title')?.textContent?.startsWith('Round 4 of 30') === true, undefined, { timeout: 30_000 });
    await page.click('#pause');
    await page.waitForFunction(() => document.getElementById('run')?.textContent === 'Resume');
    // `paused` comes after the round under way when Pause arrived: what shows then stays
    const paused = await page.textContent('#round-title');
    await page.waitForTimeout(800);
    expect(await page.textContent('#round-title')).toBe(paused);
    // an edit while paused offers to run the new text; undone, Resume comes back
    await setText(page, QUICKSTART.replace('thresholdMs: 50', 'thresholdMs: 35'));
    expect(await page.textContent('#run')).toBe('Run again');
    await page.keyboard.press('Control+z');
    await page.waitForFunction(() => document.getElementById('run')?.textContent === 'Resume');
    await page.click('#reset');
    await page.waitForFunction(() => document.getElementById('round-title')?.textContent === 'This round');
    expect(await page.locator('#scoreboard table').count()).toBe(0);
    expect(await page.textContent('#run')).toBe('Run');
  });

  it('Copy link carries an edited threshold; the link reopened puts that text in the editor', async () => {
    const page = await openPage();
    await runOn(page);
    const edited = QUICKSTART.replace('thresholdMs: 50', 'thresholdMs: 35');
    await setText(page, edited);
    await page.click('#copy-link');
    await page.waitForFunction(() => (document.getElementById('share-note')?.textContent ?? '') !== '');
    const link = page.url();
    expect(new URL(link).hash).toMatch(/^#s=[A-Za-z0-9_-]+$/);
    await context.close();
    const reopened = await openPage(new URL(link).hash);
    await reopened.waitForFunction(() => document.querySelector('#issues p.ok') !== null);
    expect(await editorText(reopened)).toBe(edited);
    expect(await reopened.inputValue('#picker')).toBe('');
  });

  it('Copy link refuses a link longer than a Chromium browser opens, and says what to send instead', async () => {
    const page = await openPage();
    await runOn(page);
    // random base64 in a comment hardly compresses: the link is about as long as the text
    const big = `# ${randomBytes(1_700_000).toString('base64')}\n${QUICKSTART}`;
    await page.click('.cm-content');
    await page.keyboard.press('Control+a');
    await page.keyboard.insertText(big);
    await page.click('#copy-link');
    await page.waitForFunction(() => (document.getElementById('share-note')?.textContent ?? '') !== '', undefined, { timeout: 30_000 });
    expect(await page.textContent('#share-note')).toMatch(/^Not copied: the link would be [\d,]+ characters, over the 2,097,152 a Chromium browser opens\. Send the YAML file instead \(it opens with dtrain playground FILE, or paste it into the editor\)\.$/);
    expect(new URL(page.url()).hash).toBe('');
  });

  it('the build opened as a file (file://) says to serve the folder instead of loading forever', async () => {
    context = await browser.newContext();
    problems = [];
    const page = await context.newPage();
    await page.goto(pathToFileURL(join(ROOT, 'dist', 'playground', 'index.html')).href);
    await page.waitForFunction(() => document.getElementById('status')?.className === 'notice error', undefined, { timeout: 10_000 });
    expect(await page.textContent('#status')).toBe('This page was opened as a file, and browsers run no simulator from file:// addresses. '
      + 'Serve this folder with a web server and open it over http: for example run python3 -m http.server 8000 in this folder and open http://localhost:8000/ (or run dtrain playground).');
  });

  it('Pause at 5, 10 and 30 rounds/s: once the page says paused (Resume), no further round comes', async () => {
    const page = await openPage();
    await runOn(page);
    await setText(page, QUICKSTART.replace('rounds: 30', 'rounds: 200'));
    const roundShown = (text: string | null) => Number(/^Round (\d+)/.exec(text ?? '')?.[1] ?? NaN);
    for (const label of ['5 rounds/s', '10 rounds/s', '30 rounds/s']) {
      await page.selectOption('#speed', { label });
      await runOn(page);
      await page.click('#run');
      await page.waitForFunction(() => /^Round [3-9]/.test(document.getElementById('round-title')?.textContent ?? ''), undefined, { timeout: 30_000 });
      await page.click('#pause');
      // the round shown in the same frame as Resume: the page and the worker agree the run stopped there
      const atPause = await page.waitForFunction(() => (document.getElementById('run')?.textContent === 'Resume' ? document.getElementById('round-title')!.textContent : null));
      const paused = roundShown(await atPause.jsonValue());
      await page.waitForTimeout(600);
      expect([label, roundShown(await page.textContent('#round-title'))]).toEqual([label, paused]);
      await page.click('#reset');
      await page.waitForFunction(() => document.getElementById('round-title')?.textContent === 'This round');
    }
  });

  it('a broken link says so and opens quickstart instead', async () => {
    const page = await openPage('#s=not$base64');
    await page.waitForFunction(() => document.getElementById('picker')?.getAttribute('disabled') === null);
    expect(await page.textContent('#notice')).toBe("This link's scenario could not be opened: its text is not base64url (was the link cut or changed?). Showing a bundled scenario instead.");
    await page.waitForFunction(() => (document.getElementById('picker') as HTMLSelectElement).value === 'quickstart');
  });

  it('a huge scenario shows its estimate and runs nothing unless confirmed', async () => {
    const { page, dialog } = await askToRunHuge();
    expect(await dialog.locator('pre').textContent()).toMatch(/estimated [\d.]+ (min|h) of compute and [\d.]+ [MG]iB of memory/);
    await dialog.getByText('Cancel').click();
    await page.waitForTimeout(500);
    expect(await page.locator('#scoreboard table').count()).toBe(0);
    expect(await page.textContent('#run')).toBe('Run');
  });

  it('an edit while the large-scenario confirmation is up withdraws it: the old text is never run', async () => {
    const { page, dialog } = await askToRunHuge();
    await setText(page, QUICKSTART.replace('rounds: 30', 'rounds: 3'));
    expect(await dialog.count()).toBe(0);
    await page.waitForTimeout(500);
    expect(await page.locator('#scoreboard table').count()).toBe(0);
    // Run now runs the new text
    await runOn(page);
    await page.click('#run');
    // the title is painted at the next animation frame, the download link at once: wait for the title
    await page.waitForFunction(() => /^Round 3 of 3, /.test(document.getElementById('round-title')?.textContent ?? ''), undefined, { timeout: 60_000 });
    expect(await page.locator('[role=alertdialog]').count()).toBe(0);
  });

  it('picking another bundled scenario starts with all its strategies ticked', async () => {
    const page = await openPage();
    await runOn(page);
    await page.waitForFunction(() => document.querySelector('#strategies input[value="sync-sgd"]') !== null);
    await page.locator('#strategies input[value="sync-sgd"]').uncheck();
    await page.locator('#strategies input[value="s1s4"]').uncheck();
    await page.selectOption('#picker', 'flaky-network');
    await page.waitForFunction(() => document.querySelectorAll('#strategies input').length === 3);
    expect(await page.locator('#strategies input').evaluateAll((inputs) => inputs.map((input) => [(input as HTMLInputElement).value, (input as HTMLInputElement).checked]))).toEqual([
      ['s1s4', true], ['sync-sgd', true], ['fedavg', true],
    ]);
  });

  it('a scenario whose report no browser string can hold is not run, and says why', async () => {
    const page = await openPage();
    await runOn(page);
    await setText(page, QUICKSTART.replace('rounds: 30', 'rounds: 100000').replace('- { id: a, latency', '- { id: a, count: 1000, latency'));
    await page.click('#run');
    await page.waitForSelector('.notice.error');
    expect(await page.textContent('.notice.error')).toMatch(/^Not run: the JSON report would be about [\d.]+ GiB/);
    expect(await page.locator('#scoreboard table').count()).toBe(0);
  });

  it('a run that diverges shows the message and keeps its finished rounds', async () => {
    const page = await openPage();
    await runOn(page);
    await setText(page, QUICKSTART.replace('learningRate: 0.3', 'learningRate: 1e12'));
    await page.click('#run');
    await page.waitForSelector('.notice.error', { timeout: 60_000 });
    expect(await page.textContent('.notice.error')).toMatch(/^The run stopped: s1s4: training diverged in round 2: /);
    await page.waitForFunction(() => document.getElementById('run')?.textContent === 'Run again');
    expect(await page.locator('#scoreboard tbody tr').first().locator('td').first().textContent()).toBe('1 / 30');
    expect(await page.textContent('#round-title')).toMatch(/^Round 1 of 30, s1s4/);
    expect(await page.locator('#download').isVisible()).toBe(true);
  });

  it('Run right after an edit to compare runs the new list less the unticked ones (the worker names them first)', async () => {
    const page = await openPage();
    await runOn(page);
    await page.waitForFunction(() => document.querySelector('#strategies input[value="sync-sgd"]') !== null);
    await page.locator('#strategies input[value="sync-sgd"]').uncheck();
    await page.click('.cm-content');
    await page.keyboard.press('Control+a');
    await page.keyboard.insertText(QUICKSTART.replace(/^compare: .*$/m, 'compare: [s1s4, sync-sgd, fedavg]').replace('rounds: 30', 'rounds: 2'));
    // before the check of the new text has answered
    await page.click('#run');
    await page.locator('#download').waitFor({ state: 'visible', timeout: 60_000 });
    expect(await page.locator('.heat-panel h3').allTextContents()).toEqual(['s1s4', 'fedavg']);
    expect(await page.locator('#strategies label').allTextContents()).toEqual(['s1s4', 'sync-sgd', 'fedavg']);
  });

  it('a strategy named with markup is shown as text everywhere, never parsed', async () => {
    const page = await openPage();
    await runOn(page);
    const name = '<img src=x onerror=window.pwned=1>';
    await setText(page, QUICKSTART.replace(/^compare: .*$/m, `compare: [s1s4, { batch: fixed, resources: fixed, aggregation: mean, name: "${name}" }]`).replace('rounds: 30', 'rounds: 2'));
    await page.waitForFunction((n) => document.getElementById('strategies')?.textContent?.includes(n) === true, name);
    await runOn(page);
    await page.click('#run');
    await page.locator('#download').waitFor({ state: 'visible', timeout: 60_000 });
    await page.locator('#node-table tbody tr').first().click();
    await page.waitForFunction(() => !['Explaining…', ''].includes(document.getElementById('explain')?.textContent ?? ''));
    expect(await page.locator('.heat-panel h3').allTextContents()).toEqual(['s1s4', name]);
    expect(await page.textContent('#explain-title')).toBe(`Explain: node a, round 2, ${name}`);
    expect(await page.evaluate(() => ({ images: document.querySelectorAll('img').length, pwned: (window as { pwned?: number }).pwned }))).toEqual({ images: 0, pwned: undefined });
  });
});
