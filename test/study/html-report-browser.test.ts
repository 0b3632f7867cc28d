/**
 * The study's HTML report as a user opens it: a file:// page in Debian's headless Chromium
 * (test/report/browser/chromium.ts). It must log no error, request nothing but itself, draw
 * every chart with data marks and not screenshot blank; a strategy named `constructor` must
 * not break vega.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeStudy } from '../../src/study/analyze.js';
import { renderStudyReport } from '../../src/study/html-report.js';
import type { StudyManifest } from '../../src/study/manifest.js';
import { INSTALL_TIMEOUT_MS, inspectReport, launchChromium } from '../report/browser/chromium.js';
import { handStudy } from './study-report-fixture.js';

const STRATEGIES = ['s1s4', 'sync-sgd', 'constructor'];

/** The parts of study.json the report reads. */
function manifest(): StudyManifest {
  return {
    studyVersion: 1, seeds: [1, 2, 3], baseline: 'sync-sgd', target: null, ablate: false, store: 'compact',
    grid: { scenario: { name: 'hand <made>', file: 'hand.yaml' }, strategies: STRATEGIES } as unknown as StudyManifest['grid'],
  };
}

async function page(): Promise<string> {
  const records = handStudy();
  const analysis = analyzeStudy({ records, strategies: STRATEGIES, baseline: 'sync-sgd', target: null });
  return renderStudyReport(manifest(), analysis, records, '0.1.0');
}

describe('study HTML report', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  }, INSTALL_TIMEOUT_MS + 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('is deterministic and escapes names', async () => {
    const html = await page();
    expect(await page()).toBe(html);
    expect(html).toContain('<h1>hand &lt;made&gt;</h1>');
    expect(html).not.toContain('<script');
  });

  it('opens cleanly in Chromium and draws the bands, one difference chart per tested metric and the mechanism table', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'dtrain-study-html-')), 'study.html');
    writeFileSync(file, await page());
    const seen = await inspectReport(browser, file);
    expect(seen.consoleErrors).toEqual([]);
    expect(seen.pageErrors).toEqual([]);
    expect(seen.requests).toEqual([seen.fileUrl]);
    expect(seen.screenshot.distinctColors).toBeGreaterThan(100);
    expect(seen.screenshot.inkShare).toBeGreaterThan(0.03);
    // time to target has no pairs without a target: no chart for it (the page says so)
    expect(seen.charts.map((c) => c.id)).toEqual([
      'chart-accuracy-time', 'chart-accuracy-samples',
      ...[1, 2, 3, 4, 6, 7, 8, 9, 10, 11].map((k) => `chart-difference-${k}`),
    ]);
    for (const chart of seen.charts) {
      expect(chart.svgCount, chart.id).toBe(1);
      expect(chart.marks, chart.id).toBeGreaterThan(0);
      expect(chart.widthPx, chart.id).toBeGreaterThan(100);
      expect(chart.heightPx, chart.id).toBeGreaterThan(50);
    }
    const byId = new Map(seen.charts.map((c) => [c.id, c]));
    // 3 strategies × (band area + mean line)
    expect(byId.get('chart-accuracy-time')!.marks).toBe(6);
    expect(byId.get('chart-accuracy-samples')!.marks).toBe(6);
    // one dot per strategy against the baseline (the whiskers and the 0 rule are lines)
    expect(byId.get('chart-difference-1')!.marks).toBe(2);
  });
});
