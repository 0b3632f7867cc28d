/**
 * Opens an HTML report in Debian's headless Chromium (playwright-core drives it; no
 * browser download) and reports what a user's browser would see: console errors, page
 * errors, every network request, each chart's SVG and its data marks, and how varied a
 * full-page screenshot is. Each launch uses a fresh temporary profile.
 */
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`${CHROMIUM_PATH} is missing: install Debian's chromium (apt-get install -y chromium; .ci/run does)`);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
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
async function screenshotStats(browser: Browser, png: Buffer): Promise<ScreenshotStats> {
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
