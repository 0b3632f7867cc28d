/**
 * The HTML report without a browser: chart data agrees with the JSON of the same run, large
 * runs are cut down as documented, the page is offline, escaped and deterministic.
 */
import { describe, expect, it } from 'vitest';
import {
  breakdownRows, heatCells, linePointsFor, OTHERS_LABEL, progressRows, roundColumns, roundColumnsFor, selectNodes, weightRows, weightSeries,
} from '../../src/report/html/chart-data.js';
import { buildCharts } from '../../src/report/html/charts.js';
import { renderHtmlReport } from '../../src/report/html/page.js';
import { renderSvg } from '../../src/report/html/render.js';
import { parseDatasetCsv } from '../../src/scenario/dataset-csv.js';
import { toJsonReport } from '../../src/report/json.js';
import type { RunResult } from '../../src/sim/records.js';
import { ownTransferTimes } from '../../src/report/round-phases.js';
import { generatedResult, tinyResult } from './fixtures.js';
import { linkResult } from './link-fixture.js';
import { traceSamples } from '../helpers/trace-samples.js';

const OPTIONS = { version: '0.1.0', timing: false };

function ids(result: RunResult): string[] {
  return result.scenario.cluster.nodes.map((node) => node.id);
}

function jsonOf(result: RunResult): any {
  return JSON.parse(toJsonReport(result, { version: '0', trace: false, timing: false }));
}

describe('chart data agrees with the JSON of the same run', () => {
  it('accuracy and loss: one point per strategy × round at the round’s end time', () => {
    const result = tinyResult();
    const expected = jsonOf(result).runs.flatMap((run: any, rank: number) => run.rounds.map((round: any) => ({
      strategy: run.strategy.name, rank, round: round.round, timeS: round.endMs / 1000, accuracy: round.accuracy, loss: round.loss,
    })));
    expect(progressRows(result.runs)).toEqual(expected);
  });

  it('heat maps: one cell per node × round holding its efficiency and dispatched batch', () => {
    const result = tinyResult();
    jsonOf(result).runs.forEach((run: any, s: number) => {
      const expected = run.rounds.flatMap((round: any) => round.nodes.map((node: any, rank: number) => ({
        node: node.id, rank, round: round.round, efficiency: node.efficiency, batch: node.batch,
      })));
      const live = result.runs[s]!;
      expect(heatCells(live, selectNodes(result.runs, ids(result)), roundColumns(live))).toEqual(expected);
    });
  });

  it('weights: every node’s weight per round; ≤ 10 nodes are all drawn, in scenario order for every strategy', () => {
    const result = tinyResult();
    const json = jsonOf(result);
    const series = weightSeries(result.runs, ids(result));
    expect(series.map((one) => one.label)).toEqual(['a', 'b', 'c', 'd']);
    result.runs.forEach((run, s) => {
      const rows = weightRows(run, roundColumns(run), series);
      expect(rows).toHaveLength(2 * 4);
      for (const row of rows) {
        const node = json.runs[s].rounds[row.round - 1].nodes.find((n: any) => n.id === row.series);
        expect(row.weight).toBe(node.weight);
      }
    });
  });

  it('weights beyond 10 nodes: 9 heaviest drawn, the rest summed as “others”, columns still sum as in the JSON', () => {
    const result = generatedResult(40, 2);
    const json = jsonOf(result);
    const series = weightSeries(result.runs, ids(result));
    const rows = weightRows(result.runs[0]!, roundColumns(result.runs[0]!), series);
    // weight ∝ node number among participants (n-40 is idle): the heaviest are n-39 … n-31
    expect(series.map((one) => one.label))
      .toEqual(['n-39', 'n-38', 'n-37', 'n-36', 'n-35', 'n-34', 'n-33', 'n-32', 'n-31', OTHERS_LABEL]);
    for (const round of json.runs[0].rounds) {
      const total = round.nodes.reduce((sum: number, n: any) => sum + n.weight, 0);
      const drawn = rows.filter((row) => row.round === round.round).reduce((sum, row) => sum + row.weight, 0);
      expect(drawn).toBeCloseTo(total, 12);
      const labels = series.map((one) => one.label);
      const others = round.nodes.filter((n: any) => !labels.includes(n.id)).reduce((sum: number, n: any) => sum + n.weight, 0);
      expect(rows.find((row) => row.round === round.round && row.series === OTHERS_LABEL)!.weight).toBeCloseTo(others, 12);
    }
  });

  it('time breakdown: each node’s phases add up to the run’s simulated time (hand-checked for node a)', () => {
    const result = tinyResult();
    const rows = breakdownRows(result.runs[0]!, selectNodes(result.runs, ids(result)));
    expect(rows.filter((row) => row.node === 'a').map((row) => [row.phase, row.seconds])).toEqual([
      ['download', 7.5], ['compute', 0.04], ['upload', 0.04], ['waiting', 0.535], ['idle', 0],
    ]);
    const simulatedS = jsonOf(result).runs[0].summary.simulatedMs / 1000;
    for (const id of ['a', 'b', 'c', 'd']) {
      const total = rows.filter((row) => row.node === id).reduce((sum, row) => sum + row.seconds, 0);
      expect(total).toBeCloseTo(simulatedS, 12);
    }
  });

  it('time breakdown behind a server link: the time an upload waited for the link is its own phase (link-fixture.ts)', () => {
    const result = linkResult();
    const rows = breakdownRows(result.runs[0]!, selectNodes(result.runs, ids(result)), ownTransferTimes(result));
    expect(rows.filter((row) => row.node === 'a').map((row) => [row.phase, row.seconds])).toEqual([
      ['download', 7.5], ['compute', 0.04], ['upload', 0.03], ['link', 0.01], ['waiting', 0.535], ['idle', 0],
    ]);
    const legend = (r: RunResult) => (buildCharts(r).find((chart) => chart.kind === 'breakdown')!.spec as any).encoding.color.scale.domain;
    expect(legend(result)).toEqual(['download', 'compute', 'upload', 'waiting for the server link', 'waiting at barrier', 'idle (not taking part)']);
    expect(legend(tinyResult())).toEqual(['download', 'compute', 'upload', 'waiting at barrier', 'idle (not taking part)']);
  });

  it('every chart spec carries exactly the rows the builders derive (no other data source)', () => {
    const result = tinyResult();
    const charts = buildCharts(result);
    const accuracy = charts.find((chart) => chart.id === 'chart-accuracy')!;
    expect((accuracy.spec as any).data.values).toEqual(progressRows(result.runs));
    for (const chart of charts) {
      expect(Object.keys((chart.spec as any).data)).toEqual(['values']);
    }
    // strategies are compared on one batch colour scale: 0 … the largest dispatched batch
    const domains = charts.filter((c) => c.kind === 'batch').map((c) => (c.spec as any).encoding.color.scale.domain);
    expect(domains).toEqual([[0, 32], [0, 32]]);
  });
});

describe('large runs', () => {
  it('above 64 nodes the per-node charts keep the 64 lowest mean efficiencies, in scenario order', () => {
    const result = generatedResult(100, 2);
    const selection = selectNodes(result.runs, ids(result));
    const efficiency = jsonOf(result).runs[0].rounds[0].nodes.map((n: any, i: number) => [n.efficiency, i]);
    const expected = [...efficiency].sort((a, b) => a[0] - b[0] || a[1] - b[1]).slice(0, 64).map((p) => p[1]).sort((a, b) => a - b);
    expect(selection).toEqual({ indices: expected, ids: expected.map((i: number) => `n-${i + 1}`), total: 100, limited: true });
    const chart = buildCharts(result).find((c) => c.id === 'chart-efficiency-1')!;
    expect(chart.notes).toEqual(['Showing the 64 nodes with the lowest mean efficiency (over all strategies) of 100, in scenario order.']);
  });

  it('above 150 rounds consecutive rounds are averaged into columns', () => {
    const result = generatedResult(3, 301);
    const columns = roundColumns(result.runs[0]!);
    expect(columns).toHaveLength(101);
    expect(columns[0]).toEqual({ first: 1, last: 3, positions: [0, 1, 2] });
    expect(columns.at(-1)).toEqual({ first: 301, last: 301, positions: [300] });
  });

  it('past four strategies each strategy\'s grids get fewer columns, 600 over the page and at least 20', () => {
    expect([1, 4, 5, 6, 7, 29, 30, 31, 48].map(roundColumnsFor)).toEqual([150, 150, 120, 100, 85, 20, 20, 20, 20]);
    // five strategies of 130 rounds: 120 columns each, so two rounds a column (65 columns)
    const one = generatedResult(3, 130);
    const five = { ...one, runs: Array.from({ length: 5 }, (_, k) => ({ ...one.runs[0]!, strategy: { ...one.runs[0]!.strategy, name: `s${k}` } })) };
    const charts = buildCharts(five);
    const grid = charts.find((c) => c.id === 'chart-efficiency-5')!;
    expect((grid.spec as any).data.values).toHaveLength(3 * 65);
    expect(grid.notes).toEqual(['Each column is the mean of 2 consecutive rounds (labelled by its first round).']);
    expect((charts.find((c) => c.id === 'chart-weights-1')!.spec as any).data.values.filter((row: any) => row.series === 'n-1')).toHaveLength(65);
    // one strategy of 130 rounds: a column a round
    expect((buildCharts(one).find((c) => c.id === 'chart-efficiency-1')!.spec as any).data.values).toHaveLength(3 * 130);
  });

  it('a long run\'s lines draw every k-th round and the last: 20,000 points over the page, at least 500 a strategy', () => {
    expect([1, 2, 3, 40, 41, 100].map(linePointsFor)).toEqual([20_000, 10_000, 6_666, 500, 500, 500]);
    const roundsOf = (count: number) => Array.from({ length: count }, (_, r) => ({ round: r + 1, endMs: 1000 * (r + 1), accuracy: r / count, loss: 1 - r / count }));
    const run = (name: string, count: number) => ({ strategy: { name }, rounds: roundsOf(count) }) as unknown as RunResult['runs'][number];
    // two strategies: 10,000 points each; 10,001 rounds → every 2nd round (1, 3, …, 10,001), the last among them: 5,001
    // 10,000 rounds → every round; 25,000 → every 3rd (1, 4, …, 24,997) and the last, 25,000: 8,334
    const rows = progressRows([run('a', 10_001), run('b', 10_000)]);
    expect(rows.filter((row) => row.strategy === 'a').map((row) => row.round)).toEqual(Array.from({ length: 5001 }, (_, k) => 1 + 2 * k));
    expect(rows.filter((row) => row.strategy === 'b')).toHaveLength(10_000);
    const long = progressRows([run('a', 25_000), run('b', 10)]).filter((row) => row.strategy === 'a').map((row) => row.round);
    expect(long).toHaveLength(8334);
    expect([long[0], long[1], long.at(-2), long.at(-1)]).toEqual([1, 4, 24_997, 25_000]);
    expect(rows[0]).toEqual({ strategy: 'a', rank: 0, round: 1, timeS: 1, accuracy: 0, loss: 1 });
  });
});

describe('the page', () => {
  it('has no http(s) reference except the SVG namespace declarations', async () => {
    const html = await renderHtmlReport(tinyResult(), OPTIONS);
    const outside = html
      .replaceAll('xmlns="http://www.w3.org/2000/svg"', '')
      .replaceAll('xmlns:xlink="http://www.w3.org/1999/xlink"', '');
    expect(outside).not.toMatch(/https?:/i);
    expect(html).not.toMatch(/<script|<link|<iframe|src=/i);
    expect(html.match(/<svg /g)).toHaveLength(buildCharts(tinyResult()).length);
  });

  it('element ids are unique across the page (each chart’s SVG ids carry its chart id)', async () => {
    const html = await renderHtmlReport(tinyResult(), OPTIONS);
    const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((match) => match[1]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toContain('chart-efficiency-1-1');
  });

  it('is deterministic: the same run gives the same bytes', async () => {
    expect(await renderHtmlReport(tinyResult(), OPTIONS)).toBe(await renderHtmlReport(tinyResult(), OPTIONS));
  });

  it('shows the summary with the terminal’s formatting; wall time only with timing', async () => {
    const result = tinyResult();
    result.runs[0]!.summary.wallMs = 1234;
    const html = await renderHtmlReport(result, OPTIONS);
    expect(html).toContain('<td>s1s4</td><td class="num">0.8833</td><td class="num">0.8833</td>'
      + '<td class="num">8.115 s</td><td class="num">8.115 s</td><td class="num">134</td></tr>');
    expect(html).toContain('<td>sync-sgd</td><td class="num">0.6100</td><td class="num">0.6100</td>'
      + '<td class="num">8.000 s</td><td class="num">–</td><td class="num">128</td></tr>');
    expect(html).not.toContain('wall time');
    expect(await renderHtmlReport(result, { ...OPTIONS, timing: true })).toContain('<td class="num">1.234 s</td>');
  });

  it('escapes names from the scenario in text and in charts', async () => {
    const result = tinyResult();
    result.scenario = { ...result.scenario, name: 'a<b>&"c"', description: '<script>x</script>' };
    result.runs[0]!.strategy = { ...result.runs[0]!.strategy, name: '<i>mine</i>' };
    const html = await renderHtmlReport(result, OPTIONS);
    expect(html).toContain('<h1>a&lt;b&gt;&amp;&quot;c&quot;</h1>');
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<i>mine</i>');
    expect(html).toContain('&lt;i&gt;mine&lt;/i&gt;');
  });

  it('a run cut short (diverged in round 1: no rounds) still renders, and says why', async () => {
    const result = tinyResult();
    result.runs = [{ ...result.runs[0]!, rounds: [] }];
    result.diverged = { strategy: 's1s4', round: 1, node: 'b', kind: 'training', message: 'loss is NaN' };
    const html = await renderHtmlReport(result, OPTIONS);
    expect(html).toContain('<p class="alert">The run diverged: s1s4, round 1: loss is NaN.');
    expect(html.match(/<figure class="chart"/g)).toHaveLength(6);
  });

  it('renders a spec to one SVG element with its data marks', async () => {
    const chart = buildCharts(tinyResult()).find((c) => c.id === 'chart-efficiency-1')!;
    const svg = await renderSvg(chart.spec, 'x');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    const marks = svg.split('class="mark-rect role-mark')[1]!.split('</g>')[0]!;
    expect(marks.match(/<path /g)).toHaveLength(8);
  });
});

describe('names and paths from the user', () => {
  const PROTOTYPE_NAMES = ['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__'];

  function renamed(result: RunResult, index: number, id: string): RunResult {
    result.scenario.cluster.nodes[index] = { ...result.scenario.cluster.nodes[index]!, id };
    for (const run of result.runs) for (const round of run.rounds) round.nodes[index] = { ...round.nodes[index]!, id };
    return result;
  }

  it.each(PROTOTYPE_NAMES)('a node and a strategy named %s render (no vega crash), shown as given', async (name) => {
    const result = renamed(tinyResult(), 0, name);
    result.runs[1]!.strategy = { ...result.runs[1]!.strategy, name };
    const html = await renderHtmlReport(result, OPTIONS);
    expect(html.match(/<svg /g)).toHaveLength(buildCharts(result).length);
    // axis label of the heat map and the legend of the accuracy chart
    expect(html).toContain(`>${name}</text>`);
    expect(html).toContain(`<td>${name}</td>`);
  });

  it('a node name with markup is escaped inside the SVG charts too', async () => {
    const result = tinyResult();
    result.runs[0]!.strategy = { ...result.runs[0]!.strategy, name: '<b>&x' };
    const html = await renderHtmlReport(result, OPTIONS);
    expect(html).not.toContain('<b>&x');
    expect(html).toContain('&lt;b&gt;&amp;x</text>');
  });

  it('a node named “others” keeps its own weight; the sum of the undrawn nodes is a separate series', () => {
    const result = renamed(generatedResult(40, 2), 38, 'others');
    const series = weightSeries(result.runs, ids(result));
    expect(series[0]).toEqual({ label: 'others', node: 38 });
    expect(series.at(-1)).toEqual({ label: OTHERS_LABEL, node: null });
    const rows = weightRows(result.runs[0]!, roundColumns(result.runs[0]!), series).filter((row) => row.round === 1);
    expect(rows.find((row) => row.series === 'others')!.weight).toBe(result.runs[0]!.rounds[0]!.nodes[38]!.weight);
    expect(new Set(rows.map((row) => row.series)).size).toBe(10);
  });

  it('shows no absolute path of the author’s machine: paths inside the working directory relative, others by base name', async () => {
    const result = tinyResult();
    const nodes = result.scenario.cluster.nodes;
    nodes[0] = { ...nodes[0]!, latency: { ...nodes[0]!.latency, process: { kind: 'trace', file: '/home/alice/lab/traces/ping.txt', loop: true, samples: traceSamples([]) } } };
    result.scenario = {
      ...result.scenario,
      file: '/home/alice/lab/scenarios/tiny.yaml',
      data: { ...result.scenario.data, dataset: { kind: 'csv', file: '/work/project/data/points.csv', sha256: '', parsed: parseDatasetCsv('x,label\n1,0\n2,1\n', 'points.csv') } },
    } as RunResult['scenario'];
    const { pathDisplayFrom } = await import('../../src/node/display-path.js');
    const html = await renderHtmlReport(result, { ...OPTIONS, showPath: pathDisplayFrom('/work/project') });
    expect(html).not.toContain('/home/alice');
    expect(html).not.toContain('/work/project');
    expect(html).toContain('<p class="meta">dtrain 0.1.0 · seed 7 · tiny.yaml</p>');
    expect(html).toContain('<td>file</td><td>tiny.yaml</td>');
    expect(html).toContain('csv data/points.csv, test fraction');
    expect(html).toContain('<td>trace ping.txt (loop)</td>');
  });

  it('a relative path given inside the working directory is shown as given; one climbing out by base name', async () => {
    const { displayPath } = await import('../../src/node/display-path.js');
    expect(displayPath('scenarios/tiny.yaml', '/work/project')).toBe('scenarios/tiny.yaml');
    expect(displayPath('../secret/tiny.yaml', '/work/project')).toBe('tiny.yaml');
    expect(displayPath('/work/project-b/tiny.yaml', '/work/project')).toBe('tiny.yaml');
  });

  it('without a path display from its host, the page shows every path by its base name', async () => {
    const result = tinyResult();
    result.scenario = { ...result.scenario, file: '/home/alice/lab/scenarios/tiny.yaml' };
    const html = await renderHtmlReport(result, OPTIONS);
    expect(html).not.toContain('/home/alice');
    expect(html).toContain('<td>file</td><td>tiny.yaml</td>');
  });
});
