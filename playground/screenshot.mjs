#!/usr/bin/env node
/**
 * The README's picture of the playground (docs/img/playground.png), taken from the real page:
 * `dtrain playground --port 0` serves the build (npm run build first), headless Chromium runs
 * the bundled quickstart to its last round and clicks node c in round 12 of s1s4 for explain.
 *
 *   node playground/screenshot.mjs [--out docs/img/playground.png] [--url URL]
 *
 * Needs Debian's chromium (or CHROMIUM=/path/to/chrome).
 */
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, fallback) => {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1] : fallback;
};
const out = arg('--out', join(ROOT, 'docs', 'img', 'playground.png'));

async function serve() {
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'dtrain.js'), 'playground', '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  let text = '';
  const url = await new Promise((found, failed) => {
    child.stdout.on('data', (chunk) => {
      text += chunk;
      const match = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(text);
      if (match !== null) found(match[1]);
    });
    child.on('exit', (code) => failed(new Error(`dtrain playground exited with ${code}: ${text}`)));
  });
  return { child, url };
}

const given = arg('--url', undefined);
const server = given === undefined ? await serve() : { child: null, url: given };
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  const page = await browser.newPage({ viewport: { width: 1500, height: 1400 }, deviceScaleFactor: 1 });
  await page.goto(server.url);
  await page.waitForFunction(() => document.getElementById('status')?.textContent?.startsWith('Ready') === true, undefined, { timeout: 120_000 });
  await page.waitForFunction(() => !document.getElementById('run').disabled, undefined, { timeout: 30_000 });
  await page.click('#run');
  await page.locator('#download').waitFor({ state: 'visible', timeout: 300_000 });
  // round 12 of s1s4, node c (the third row): the S1 efficiency heat map of the first panel
  const canvas = page.locator('.heat-panel canvas.overlay').first();
  const cell = await canvas.evaluate((c) => ({ left: Number(c.dataset.left), width: Number(c.dataset.cellWidth), height: Number(c.dataset.cellHeight) }));
  await canvas.click({ position: { x: cell.left + cell.width * 11.5, y: cell.height * 2.5 } });
  await page.waitForFunction(() => {
    const text = document.getElementById('explain')?.textContent ?? '';
    return text !== 'Explaining…' && !text.startsWith('Click a node');
  }, undefined, { timeout: 60_000 });
  await page.evaluate(() => window.scrollTo(0, 0));
  mkdirSync(dirname(out), { recursive: true });
  await page.screenshot({ path: out });
  process.stdout.write(`${out}\n`);
} finally {
  await browser.close();
  server.child?.kill();
}
