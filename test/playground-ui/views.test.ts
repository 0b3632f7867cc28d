import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { JsonRound, RoundMessage, StartMessage, TimelinePhase } from '../../src/browser/protocol.js';
import { cellAt, cellText, roundTicks, scaleText, groupOf, heatColour, heatDomain, heatLayout, heatRows, nodeValue, representative, rowValue } from '../../playground/ui/heatmap.js';
import { addRound, followSelection, NO_SELECTION, selectedRound, startRun } from '../../playground/ui/model.js';
import { nearestPoint, progressSeries, scoreboard } from '../../playground/ui/progress.js';
import { scenarioSummary } from '../../src/browser/session.js';
import { loadScenario } from '../../src/scenario/load.js';
import { nodeHost } from '../../src/node/host.js';
import { extent, linear, niceTicks } from '../../playground/ui/scale.js';
import { tableNodes, tableRows } from '../../playground/ui/table.js';
import { duration, fixed, significant } from '../../playground/ui/format.js';
import { kindsPresent, nodeAtY, rowHeight, timelineLayout } from '../../playground/ui/timeline.js';

interface Report { runs: Array<{ strategy: { name: string }; rounds: JsonRound[] }> }
const report = JSON.parse(readFileSync(new URL('../golden/quickstart.json', import.meta.url), 'utf8')) as Report;
const start: StartMessage = {
  type: 'start', strategies: ['s1s4', 'sync-sgd'], nodes: ['a', 'b', 'c', 'd'], rounds: 30,
  scenario: { name: 'quickstart', file: 'scenarios/quickstart.yaml', seed: 7 }, backend: 'wasm', targetAccuracy: 0.9, localSteps: 1,
};
function roundMessage(s: number, r: number): RoundMessage {
  return { type: 'round', strategy: start.strategies[s]!, strategyIndex: s, round: report.runs[s]!.rounds[r]!, timeline: [] };
}

describe('the run model', () => {
  it('collects rounds per strategy and follows the newest one until the user picks', () => {
    const model = startRun(start);
    expect(addRound(model, roundMessage(0, 0))).toBe(true);
    expect(addRound(model, roundMessage(0, 1))).toBe(true);
    let selection = followSelection(model, NO_SELECTION);
    expect(selection).toEqual({ strategyIndex: 0, round: 2, node: null, follow: true });
    addRound(model, roundMessage(1, 0));
    selection = followSelection(model, selection);
    expect(selection).toMatchObject({ strategyIndex: 1, round: 1 });
    const picked = { strategyIndex: 0, round: 1, node: 2, follow: false };
    addRound(model, roundMessage(1, 1));
    expect(followSelection(model, picked)).toBe(picked);
    expect(selectedRound(model, picked)!.round.round).toBe(1);
    expect(selectedRound(model, { ...picked, round: 9 })).toBeNull();
  });

  it('refuses a round whose strategy does not match the run', () => {
    const model = startRun(start);
    expect(addRound(model, { ...roundMessage(0, 0), strategy: 'fedavg' })).toBe(false);
    expect(addRound(model, { ...roundMessage(0, 0), strategyIndex: 5 })).toBe(false);
    expect(model.strategies[0]!.rounds).toHaveLength(0);
  });

  it('progress series: accuracy and loss at each round end in seconds; the scoreboard side by side', () => {
    const model = startRun(start);
    for (let r = 0; r < 3; r += 1) addRound(model, roundMessage(0, r));
    addRound(model, roundMessage(1, 0));
    const series = progressSeries(model);
    const round3 = report.runs[0]!.rounds[2]!;
    expect(series[0]!.points[2]).toEqual({ timeS: round3.endMs! / 1000, round: 3, accuracy: round3.accuracy, loss: round3.loss });
    expect(series[1]!.points).toHaveLength(1);
    const board = scoreboard(model);
    expect(board[0]).toMatchObject({ strategy: 's1s4', rounds: '3 / 30', accuracy: round3.accuracy, simulatedMs: round3.endMs, toTargetMs: null, drops: 0 });
    expect(board[0]!.bestAccuracy).toBe(Math.max(...report.runs[0]!.rounds.slice(0, 3).map((r) => r.accuracy!)));
  });

  it('time to target and samples trained are the CLI summary\'s, for every bundled scenario', async () => {
    const dir = new URL('../golden/', import.meta.url);
    const names = ['data-matters', 'flaky-network', 'large-cluster', 'noisy-labels', 'noisy-neighbours', 'quickstart', 'shared-server', 'straggler', 'trace-replay'];
    for (const name of names) {
      const golden = JSON.parse(readFileSync(new URL(`${name}.json`, dir), 'utf8')) as {
        runs: Array<{ strategy: { name: string }; rounds: JsonRound[]; summary: { timeToTargetMs: number | null; samplesTrained: number; bestAccuracy: number } }>;
      };
      // the figures the worker sends the page: the real parse's
      const scenario = scenarioSummary(await loadScenario(new URL(`../../scenarios/${name}.yaml`, import.meta.url).pathname, { host: nodeHost }));
      const model = startRun({ ...start, strategies: golden.runs.map((r) => r.strategy.name), nodes: golden.runs[0]!.rounds[0]!.nodes.map((n) => n.id) });
      golden.runs.forEach((run, s) => {
        for (const round of run.rounds) addRound(model, { type: 'round', strategy: run.strategy.name, strategyIndex: s, round, timeline: [] });
      });
      const rows = scoreboard(model, scenario.targetAccuracy, scenario.localSteps);
      expect(rows.map((row) => [name, row.strategy, row.toTargetMs, row.samples, row.bestAccuracy])).toEqual(
        golden.runs.map((run) => [name, run.strategy.name, run.summary.timeToTargetMs, run.summary.samplesTrained, run.summary.bestAccuracy]));
    }
  });

  it('no target, a target never reached, and a skipped round reach nothing', () => {
    const model = startRun(start);
    for (let r = 0; r < 30; r += 1) addRound(model, roundMessage(0, r));
    expect(scoreboard(model, null)[0]!.toTargetMs).toBeNull();
    expect(scoreboard(model, 0.99)[0]!.toTargetMs).toBeNull();
    const skipped = startRun(start);
    addRound(skipped, { ...roundMessage(0, 0), round: { ...report.runs[0]!.rounds[0]!, skipped: true } });
    expect(scoreboard(skipped, 0.1)[0]!.toTargetMs).toBeNull();
  });

  it('a click near a line picks that strategy\'s round; far from every point, nothing', () => {
    const series = [
      { strategy: 'a', points: [{ timeS: 1, round: 1, accuracy: 0.5, loss: 0.7 }, { timeS: 2, round: 2, accuracy: 0.6, loss: 0.8 }] },
      { strategy: 'b', points: [{ timeS: 1, round: 1, accuracy: 0.2, loss: null }, { timeS: 2.5, round: 2, accuracy: 0.3, loss: 0.9 }] },
    ];
    const x = linear(0, 3, 0, 300); // 100 px per second
    const y = linear(0, 1, 100, 0); // 100 px per unit, upwards
    expect(nearestPoint(series, 'accuracy', 205, 42, x, y)).toEqual({ strategyIndex: 0, round: 2 });
    expect(nearestPoint(series, 'accuracy', 250, 70, x, y)).toEqual({ strategyIndex: 1, round: 2 });
    expect(nearestPoint(series, 'accuracy', 150, 0, x, y)).toBeNull();
    // a missing loss is no point to pick
    expect(nearestPoint(series, 'loss', 100, 0, x, y, 10)).toBeNull();
  });

  it('counts drops for retries and deadline only', () => {
    const model = startRun(start);
    const round = structuredClone(report.runs[0]!.rounds[0]!);
    round.nodes[1]!.participated = false;
    round.nodes[1]!.dropReason = 'retries';
    round.nodes[2]!.participated = false;
    round.nodes[2]!.dropReason = null;
    addRound(model, { ...roundMessage(0, 0), round });
    expect(scoreboard(model)[0]!.drops).toBe(1);
  });
});

describe('heat maps', () => {
  it('one row per node for a small cluster', () => {
    expect(heatRows(['a', 'b'])).toEqual([{ label: 'a', members: [0] }, { label: 'b', members: [1] }]);
  });

  it('a big cluster by count group, and by bands of nodes when the groups are too many', () => {
    const ids = [...Array.from({ length: 96 }, (_, i) => `edge-${i + 1}`), ...Array.from({ length: 8 }, (_, i) => `flaky-${i + 1}`), 'solo'];
    const rows = heatRows(ids);
    expect(rows.map((r) => r.label)).toEqual(['edge (96)', 'flaky (8)', 'solo']);
    expect(rows[1]!.members).toEqual([96, 97, 98, 99, 100, 101, 102, 103]);
    const many = Array.from({ length: 100 }, (_, i) => `n${i}`);
    const bands = heatRows(many, 48);
    expect(bands).toHaveLength(34);
    expect(bands[0]).toEqual({ label: 'n0 … n2', members: [0, 1, 2] });
    expect(bands[33]).toEqual({ label: 'n99 … n99', members: [99] });
    const one = heatRows(Array.from({ length: 64 }, (_, i) => `w-${i + 1}`));
    expect(one).toHaveLength(32);
    expect(one[0]).toEqual({ label: 'w-1 … w-2', members: [0, 1] });
    expect(groupOf('edge-12')).toBe('edge');
    expect(groupOf('edge-0')).toBe('edge-0');
    expect(groupOf('-3')).toBe('-3');
  });

  it('values: efficiency and batch as reported, weight times participants, null when absent', () => {
    const round = structuredClone(report.runs[0]!.rounds[0]!);
    expect(nodeValue(round, 1, 'efficiency')).toBe(0.9);
    expect(nodeValue(round, 1, 'batch')).toBe(30);
    expect(nodeValue(round, 0, 'weight')).toBe(1); // 0.25 × 4 participants
    round.nodes[3]!.participated = false;
    round.nodes[3]!.weight = 0;
    expect(nodeValue(round, 3, 'weight')).toBeNull();
    expect(nodeValue(round, 0, 'weight')).toBe(0.75);
    round.nodes[2]!.efficiency = null;
    expect(nodeValue(round, 2, 'efficiency')).toBeNull();
    expect(rowValue(round, { label: 'x', members: [1, 2] }, 'efficiency')).toBe(0.9);
    expect(rowValue(round, { label: 'x', members: [0, 1] }, 'weight')).toBe(0.75);
    expect(rowValue(round, { label: 'x', members: [2] }, 'efficiency')).toBeNull();
  });

  it('a click on a shared row explains its lowest member in that round', () => {
    const round = report.runs[0]!.rounds[0]!;
    expect(representative(round, { label: 'all', members: [0, 1, 2, 3] }, 'efficiency')).toBe(1);
    expect(representative(round, { label: 'c', members: [2] }, 'efficiency')).toBe(2);
    expect(representative(undefined, { label: 'all', members: [3, 1] }, 'efficiency')).toBe(3);
  });

  it('colour scale ends and clamping; batch domain from the largest batch', () => {
    expect(heatColour(0, [0, 1])).toBe('rgb(68, 1, 84)');
    expect(heatColour(1, [0, 1])).toBe('rgb(253, 231, 37)');
    expect(heatColour(7, [0, 1])).toBe('rgb(253, 231, 37)');
    expect(heatColour(-1, [0, 1])).toBe('rgb(68, 1, 84)');
    expect(heatDomain('batch', report.runs[0]!.rounds)).toEqual([0, 32]);
    // a growing list is scanned as it grows
    const growing: JsonRound[] = [];
    expect(heatDomain('batch', growing)).toEqual([0, 1]);
    const big = structuredClone(report.runs[0]!.rounds[0]!);
    big.nodes[2]!.batch = 50;
    growing.push(report.runs[0]!.rounds[0]!);
    expect(heatDomain('batch', growing)).toEqual([0, 32]);
    growing.push(big);
    expect(heatDomain('batch', growing)).toEqual([0, 50]);
    expect(heatDomain('weight', [])).toEqual([0, 2]);
  });

  it('a cell says whose value it is, in which round; a caption says what the colours run over', () => {
    const round = structuredClone(report.runs[0]!.rounds[0]!);
    expect(cellText(round, { label: 'b', members: [1] }, 'efficiency')).toBe('b, round 1: 0.90');
    expect(cellText(round, { label: 'all (4)', members: [0, 1, 2, 3] }, 'batch')).toBe('all (4), mean of 4 nodes, round 1: 31.5');
    round.nodes[3]!.participated = false;
    expect(cellText(round, { label: 'd', members: [3] }, 'weight')).toBe('d, round 1: not sent or dropped');
    expect(scaleText('efficiency', [0, 1])).toBe('0.00 → 1.00');
    expect(scaleText('batch', [0, 32])).toBe('0 → 32');
  });

  it('labels round 1 and round multiples apart enough, never crowding round 1', () => {
    expect(roundTicks(10, 1)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(roundTicks(30, 2)).toEqual([1, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30]);
    expect(roundTicks(30, 3)).toEqual([1, 5, 10, 15, 20, 25, 30]);
    expect(roundTicks(1000, 37)).toEqual([1, 50, 100, 150, 200, 250, 300, 350, 400, 450, 500, 550, 600, 650, 700, 750, 800, 850, 900, 950, 1000]);
    expect(roundTicks(0, 1)).toEqual([]);
  });

  it('maps a click to its row and round, and nothing outside the cells', () => {
    const layout = heatLayout(414, 108, 4, 30, 110, 20);
    expect(layout.cellWidth).toBeCloseTo(10);
    expect(layout.cellHeight).toBe(22);
    expect(cellAt(layout, 110, 0)).toEqual({ row: 0, column: 0 });
    expect(cellAt(layout, 135.5, 50)).toEqual({ row: 2, column: 2 });
    expect(cellAt(layout, 100, 50)).toBeNull();
    expect(cellAt(layout, 120, 90)).toBeNull();
    expect(cellAt(layout, 411, 10)).toBeNull();
  });
});

describe('the round timeline', () => {
  const phases: TimelinePhase[][] = [
    [{ kind: 'download', startMs: 100, endMs: 110 }, { kind: 'compute', startMs: 110, endMs: 150 }, { kind: 'upload', startMs: 150, endMs: 160 }, { kind: 'waiting', startMs: 160, endMs: 200 }],
    [{ kind: 'download', startMs: 100, endMs: 130 }, { kind: 'link', startMs: 130, endMs: 140, transfer: 'download' }, { kind: 'idle', startMs: 140, endMs: 200, reason: 'retries' }],
    [{ kind: 'idle', startMs: 100, endMs: 200, reason: 'notDispatched' }],
  ];

  it('bars on the round clock and a drop mark where a dropped node went idle', () => {
    const layout = timelineLayout(phases, 100, 200, 50, 1000);
    expect(layout.bars.slice(0, 4)).toEqual([
      { node: 0, kind: 'download', x: 50, width: 100 },
      { node: 0, kind: 'compute', x: 150, width: 400 },
      { node: 0, kind: 'upload', x: 550, width: 100 },
      { node: 0, kind: 'waiting', x: 650, width: 400 },
    ]);
    expect(layout.drops).toEqual([{ node: 1, x: 450, reason: 'retries' }]);
    expect(kindsPresent(phases)).toEqual(['download', 'compute', 'upload', 'link', 'waiting', 'idle']);
    expect(kindsPresent([phases[2]!])).toEqual(['idle']);
    expect(layout.steps).toEqual([]);
  });

  it('a mark where each local step but the last ended, inside the compute bar', () => {
    const stepped: TimelinePhase[][] = [[{ ...phases[0]![1]!, stepEndsMs: [120, 130, 140] }], phases[1]!];
    expect(timelineLayout(stepped, 100, 200, 50, 1000).steps).toEqual([{ node: 0, x: 250 }, { node: 0, x: 350 }, { node: 0, x: 450 }]);
    // steps of 4 px are marked; of 2 px, not (the lines would hide the bar)
    expect(timelineLayout(stepped, 100, 200, 0, 40).steps.map((mark) => mark.x)).toEqual([8, 12, 16]);
    expect(timelineLayout(stepped, 100, 200, 0, 20).steps).toEqual([]);
  });

  it('a zero-length round draws at the left edge; rows shrink with many nodes; clicks find the row', () => {
    expect(timelineLayout([[{ kind: 'idle', startMs: 5, endMs: 5 }]], 5, 5, 10, 100).bars[0]).toEqual({ node: 0, kind: 'idle', x: 10, width: 0 });
    expect(rowHeight(4)).toBe(22);
    expect(rowHeight(240)).toBe(2);
    expect(rowHeight(256)).toBe(1.875);
    expect(rowHeight(1000)).toBe(0.48);
    expect(nodeAtY(479.9, 0, 0.48, 1000)).toBe(999);
    expect(rowHeight(40)).toBe(12);
    expect(nodeAtY(23, 0, 22, 4)).toBe(1);
    expect(nodeAtY(88, 0, 22, 4)).toBeNull();
    expect(nodeAtY(-1, 0, 22, 4)).toBeNull();
  });
});

describe('the node table', () => {
  it('one row per node with every stage decision, times from the round start', () => {
    const round = report.runs[0]!.rounds[0]!;
    const { rows, hidden } = tableRows(round, null);
    expect(hidden).toBe(0);
    expect(rows[1]).toEqual({ node: 1, absent: false, cells: ['b', 'yes', '0.90', '30', '4', '7', '+172 ms', '0.250', '2.045'] });
  });

  it('dropped, unsent and replanned nodes say so; missing values are a dash', () => {
    const round = structuredClone(report.runs[0]!.rounds[0]!);
    Object.assign(round.nodes[0]!, { participated: false, dropReason: 'deadline', finishMs: null, weight: null });
    Object.assign(round.nodes[1]!, { participated: false, dropReason: null, batch: 0, plannedBatch: 0 });
    Object.assign(round.nodes[2]!, { batch: 20, plannedBatch: 32 });
    const { rows } = tableRows(round, null);
    expect(rows[0]!.cells.slice(0, 2)).toEqual(['a', 'dropped (deadline)']);
    expect(rows[0]!.cells[6]).toBe('–');
    expect(rows[0]!.cells[7]).toBe('–');
    expect(rows[0]!.absent).toBe(true);
    expect(rows[1]!.cells[1]).toBe('not sent (batch 0)');
    expect(rows[2]!.cells[3]).toBe('20 (planned 32)');
  });

  it('a big cluster lists the first rows and the selected node, and counts the rest', () => {
    const base = report.runs[0]!.rounds[0]!;
    const round = { ...base, nodes: Array.from({ length: 100 }, (_, i) => ({ ...base.nodes[0]!, id: `n${i}` })) };
    const { rows, hidden } = tableRows(round, 77, 40);
    expect(rows).toHaveLength(41);
    expect(rows[40]!.cells[0]).toBe('n77');
    expect(hidden).toBe(59);
    expect(tableRows(round, 3, 40).hidden).toBe(60);
  });
});

describe('the node table of a big cluster', () => {
  it('lists the dropped, the unsent and the last to finish, then the selected node, in scenario order', () => {
    const base = report.runs[0]!.rounds[0]!;
    const nodes = Array.from({ length: 10 }, (_, i) => ({ ...base.nodes[0]!, id: `n${i}`, finishMs: 100 + i }));
    Object.assign(nodes[2]!, { participated: false, dropReason: 'deadline', finishMs: null });
    Object.assign(nodes[5]!, { participated: false, dropReason: null, batch: 0, finishMs: null });
    const round = { ...base, nodes };
    expect(tableNodes(round, null, 4)).toEqual([2, 5, 8, 9]);
    expect(tableNodes(round, 0, 4)).toEqual([0, 2, 5, 8, 9]);
    expect(tableNodes(round, 9, 4)).toEqual([2, 5, 8, 9]);
    expect(tableNodes(round, null, 10)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(tableRows(round, null, 4).hidden).toBe(6);
  });
});

describe('numbers as the page writes them', () => {
  it('a diverging loss in exponent form, small weights with significant digits, durations', () => {
    expect(fixed(2.4977158670981515e23, 3)).toBe('2.50e+23');
    expect(fixed(0.3634, 3)).toBe('0.363');
    expect(fixed(0.00001, 3)).toBe('1.00e-5');
    expect(fixed(0, 3)).toBe('0.000');
    expect(fixed(null, 3)).toBe('–');
    expect(significant(0.0039062, 3)).toBe('0.00391');
    expect(significant(0.25, 3)).toBe('0.250');
    expect(significant(0, 3)).toBe('0');
    expect(significant(Number.NaN, 3)).toBe('–');
    expect(duration(5.07712)).toBe('5.1 ms');
    expect(duration(172.2)).toBe('172 ms');
    expect(duration(8451)).toBe('8.45 s');
    expect(duration(125_000)).toBe('2 min 05 s');
  });
});

describe('axes', () => {
  it('round ticks and finite extents', () => {
    expect(niceTicks(0, 1, 4)).toEqual([0, 0.5, 1]);
    expect(niceTicks(0, 6.3, 6)).toEqual([0, 2, 4, 6]);
    expect(niceTicks(0, 172, 6)).toEqual([0, 50, 100, 150]);
    expect(niceTicks(2, 2)).toEqual([2]);
    expect(niceTicks(0, Number.NaN)).toEqual([]);
    expect(extent([3, null, Number.NaN, -1, 7])).toEqual([-1, 7]);
    expect(extent([null])).toBeNull();
  });
});
