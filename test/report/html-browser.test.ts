/**
 * The HTML report as a user opens it: a file:// page in Debian's headless Chromium. It
 * must log no error, request nothing but itself, draw every chart (an SVG with data marks)
 * and not screenshot blank.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCharts } from '../../src/report/html/charts.js';
import { renderHtmlReport } from '../../src/report/html/page.js';
import type { RunResult } from '../../src/sim/records.js';
import { INSTALL_TIMEOUT_MS, inspectReport, launchChromium, type ReportInspection } from './browser/chromium.js';
import { generatedResult, tinyResult } from './fixtures.js';

const OPTIONS = { version: '0.1.0', timing: false };

async function open(browser: Browser, result: RunResult, name: string): Promise<ReportInspection> {
  const file = join(mkdtempSync(join(tmpdir(), 'dtrain-html-')), `${name}.html`);
  writeFileSync(file, await renderHtmlReport(result, OPTIONS));
  return inspectReport(browser, file);
}

function expectCleanPage(page: ReportInspection): void {
  expect(page.consoleErrors).toEqual([]);
  expect(page.pageErrors).toEqual([]);
  expect(page.requests).toEqual([page.fileUrl]);
  // a blank page is one colour; a drawn report has text, axes and colour scales
  expect(page.screenshot.distinctColors).toBeGreaterThan(100);
  expect(page.screenshot.inkShare).toBeGreaterThan(0.03);
}

describe('HTML report in headless Chromium', () => {
  let browser: Browser;
  // a fresh root machine installs chromium here first (apt-get), which takes minutes
  beforeAll(async () => {
    browser = await launchChromium();
  }, INSTALL_TIMEOUT_MS + 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('a two-strategy run opens cleanly and draws every chart with its marks', async () => {
    const result = tinyResult();
    const page = await open(browser, result, 'tiny');

    expectCleanPage(page);
    expect(page.charts.map((chart) => chart.id)).toEqual(buildCharts(result).map((chart) => chart.id));
    for (const chart of page.charts) {
      expect(chart.svgCount, chart.id).toBe(1);
      expect(chart.marks, chart.id).toBeGreaterThan(0);
      expect(chart.widthPx, chart.id).toBeGreaterThan(100);
      expect(chart.heightPx, chart.id).toBeGreaterThan(50);
    }
    const byId = new Map(page.charts.map((chart) => [chart.id, chart]));
    // 2 strategy lines + 4 round points
    expect(byId.get('chart-accuracy')!.marks).toBe(6);
    // 4 nodes × 2 rounds cells; 4 nodes × 2 rounds weight segments; 4 nodes × 5 phases
    for (const s of [1, 2]) {
      expect(byId.get(`chart-efficiency-${s}`)!.rectMarks).toBe(8);
      expect(byId.get(`chart-batch-${s}`)!.rectMarks).toBe(8);
      expect(byId.get(`chart-weights-${s}`)!.rectMarks).toBe(8);
      expect(byId.get(`chart-breakdown-${s}`)!.rectMarks).toBe(20);
    }
  });

  it('300 nodes: the per-node charts draw the 64 lowest-efficiency nodes, the weights 9 + others', async () => {
    const page = await open(browser, generatedResult(300, 3), 'large');

    expectCleanPage(page);
    const byId = new Map(page.charts.map((chart) => [chart.id, chart]));
    expect(byId.get('chart-efficiency-1')!.rectMarks).toBe(64 * 3);
    expect(byId.get('chart-batch-1')!.rectMarks).toBe(64 * 3);
    expect(byId.get('chart-breakdown-1')!.rectMarks).toBe(64 * 5);
    expect(byId.get('chart-weights-1')!.rectMarks).toBe(10 * 3);
  });
});
