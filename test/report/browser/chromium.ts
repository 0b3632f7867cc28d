/**
 * Opens an HTML report in Debian's headless Chromium (playwright-core drives it; no
 * browser download) and reports what a user's browser would see: console errors, page
 * errors, every network request, each chart's SVG and its data marks, and how varied a
 * full-page screenshot is. Each launch uses a fresh temporary profile.
 *
 * A fresh clone must pass `npm test` on its own, so the browser is found (/usr/bin/chromium,
 * then `chromium` on PATH) or, when we are root and have apt-get, installed once; otherwise
 * the test fails with one line saying how to install it (never a skip: a skipped browser test
 * would hide a broken report).
 */
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
export const INSTALL_HINT = "Debian's chromium is missing (looked for /usr/bin/chromium and chromium on PATH): install it as root with `apt-get install chromium`, then run the tests again";
/** apt-get update + install of a ~100 MB package on a slow mirror */
export const INSTALL_TIMEOUT_MS = 15 * 60_000;
const INSTALL_LOCK = join(tmpdir(), 'dtrain-chromium-install.lock');

/** What the finder may look at: injected so that its choices can be tested without a machine to match. */
export interface ChromiumHost {
  isExecutable(path: string): boolean;
  /** the PATH entries, in order */
  pathDirs: string[];
  isRoot: boolean;
}

export function currentHost(): ChromiumHost {
  return {
    isExecutable: (path) => {
      try {
        accessSync(path, constants.X_OK);
        return true;
      } catch {
        return false;
      }
    },
    pathDirs: (process.env.PATH ?? '').split(delimiter).filter((dir) => dir !== ''),
    isRoot: process.getuid?.() === 0,
  };
}

function onPath(host: ChromiumHost, name: string): string | null {
  for (const dir of host.pathDirs) {
    const candidate = join(dir, name);
    if (host.isExecutable(candidate)) return candidate;
  }
  return null;
}

export function locateChromium(host: ChromiumHost): string | null {
  return host.isExecutable(CHROMIUM_PATH) ? CHROMIUM_PATH : onPath(host, 'chromium');
}

export type ChromiumPlan =
  | { kind: 'found'; path: string }
  | { kind: 'install' }
  | { kind: 'missing'; message: string };

export function planChromium(host: ChromiumHost): ChromiumPlan {
  const path = locateChromium(host);
  if (path !== null) return { kind: 'found', path };
  if (host.isRoot && onPath(host, 'apt-get') !== null) return { kind: 'install' };
  return { kind: 'missing', message: INSTALL_HINT };
}

/**
 * Installs chromium with apt-get under an flock(1) lock: test files run in parallel forks, and
 * two apt-gets would fight over dpkg's lock. The shell re-checks after taking the lock, so only
 * the first caller installs and the others find it.
 */
export function aptInstallChromium(): Promise<void> {
  const script = 'command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || { apt-get update && apt-get install -y chromium; }';
  const command = onPath(currentHost(), 'flock') === null ? ['sh', '-c', script] : ['flock', INSTALL_LOCK, 'sh', '-c', script];
  return new Promise((resolve, reject) => {
    execFile(command[0]!, command.slice(1), {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      timeout: INSTALL_TIMEOUT_MS,
      maxBuffer: 64 * 1024 * 1024,
    }, (error, _stdout, stderr) => {
      if (error === null) {
        resolve();
        return;
      }
      const lastLine = stderr.trim().split('\n').pop() ?? '';
      reject(new Error(`installing chromium with apt-get failed (${lastLine || error.message}); ${INSTALL_HINT}`));
    });
  });
}

/** The browser's path: found, or installed once when we can; a one-line error otherwise. */
export async function ensureChromium(host: ChromiumHost = currentHost(), install: () => Promise<void> = aptInstallChromium): Promise<string> {
  const plan = planChromium(host);
  if (plan.kind === 'found') return plan.path;
  if (plan.kind === 'missing') throw new Error(plan.message);
  await install();
  const path = locateChromium(host);
  if (path === null) throw new Error(`apt-get finished but chromium is still not found; ${INSTALL_HINT}`);
  return path;
}

export async function launchChromium(): Promise<Browser> {
  const executablePath = await ensureChromium();
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS });
}

export interface ChartInspection {
  id: string;
  kind: string;
  svgCount: number;
  /** data marks: the paths vega draws inside `role-mark` groups (one per rect, one per line, …) */
  marks: number;
  /** rects of rect/bar marks (heat-map cells, bar segments) */
  rectMarks: number;
  widthPx: number;
  heightPx: number;
}

export interface ScreenshotStats {
  distinctColors: number;
  /** share of pixels that are not pure white */
  inkShare: number;
}

export interface ReportInspection {
  fileUrl: string;
  consoleErrors: string[];
  pageErrors: string[];
  requests: string[];
  charts: ChartInspection[];
  screenshot: ScreenshotStats;
}

/** Decodes the PNG in a blank page's canvas and counts its colours (no PNG library needed). */
export async function screenshotStats(browser: Browser, png: Buffer): Promise<ScreenshotStats> {
  const probe = await browser.newPage();
  try {
    return await probe.evaluate(async (base64) => {
      const image = new Image();
      image.src = `data:image/png;base64,${base64}`;
      await image.decode();
      const canvas = document.createElement('canvas');
      canvas.width = image.width;
      canvas.height = image.height;
      const context = canvas.getContext('2d')!;
      context.drawImage(image, 0, 0);
      const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
      const colors = new Set<number>();
      let ink = 0;
      for (let i = 0; i < pixels.length; i += 4) {
        const rgb = (pixels[i]! << 16) | (pixels[i + 1]! << 8) | pixels[i + 2]!;
        colors.add(rgb);
        if (rgb !== 0xffffff) ink += 1;
      }
      return { distinctColors: colors.size, inkShare: ink / (pixels.length / 4) };
    }, png.toString('base64'));
  } finally {
    await probe.close();
  }
}

export async function inspectReport(browser: Browser, file: string, screenshotPath?: string): Promise<ReportInspection> {
  const fileUrl = pathToFileURL(file).href;
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const consoleErrors: string[] = [];
  const pageErrors: string[] = [];
  const requests: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('request', (request) => requests.push(request.url()));
  try {
    await page.goto(fileUrl, { waitUntil: 'load' });
    const charts = await page.$$eval('figure.chart', (figures) => figures.map((figure) => {
      const svg = figure.querySelector('svg');
      const box = svg?.getBoundingClientRect();
      return {
        id: figure.id,
        kind: figure.getAttribute('data-chart') ?? '',
        svgCount: figure.querySelectorAll('svg').length,
        marks: figure.querySelectorAll('g.role-mark path').length,
        rectMarks: figure.querySelectorAll('g.mark-rect.role-mark path').length,
        widthPx: box?.width ?? 0,
        heightPx: box?.height ?? 0,
      };
    }));
    const png = await page.screenshot({ fullPage: true, ...(screenshotPath === undefined ? {} : { path: screenshotPath }) });
    return { fileUrl, consoleErrors, pageErrors, requests, charts, screenshot: await screenshotStats(browser, png) };
  } finally {
    await page.close();
  }
}
