/**
 * Streamed outputs (issue 14): a run that keeps no node records (`retainNodes: false`) and
 * builds its outputs as the rounds finish gives, byte for byte, what the outputs built from a
 * run that kept every record give — the JSON, the round tables, the insights, the HTML
 * report's charts, the CSV files, the timeline — and the NDJSON lines carry the JSON's rounds.
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/index.js';
import { parseScenarioText } from '../../src/node/load.js';
import { detectInsights, InsightStream } from '../../src/insights/index.js';
import { HtmlColumnsStream } from '../../src/report/html/accumulate.js';
import { CsvStream, toNodesCsv, toRoundsCsv } from '../../src/report/csv.js';
import { buildCharts } from '../../src/report/html/charts.js';
import { renderHtmlReport } from '../../src/report/html/page.js';
import { nodesTable } from '../../src/report/html/tables.js';
import { nodeToJson, toJsonReport } from '../../src/report/json.js';
import { JsonReportStream } from '../../src/report/json-stream.js';
import { NdjsonStream } from '../../src/report/ndjson.js';
import { nodeGroups } from '../../src/report/node-groups.js';
import { renderRunTables, RunTablesStream } from '../../src/report/table.js';
import { SpooledBlocks } from '../../src/node/text-spool.js';
import { TimelineStream, toTimelineJson } from '../../src/report/timeline.js';
import type { NodeRoundRecord, RunResult } from '../../src/sim/records.js';
import { generatedResult, tinyResult } from './fixtures.js';
import { LINK_SCENARIO_TEXT } from './link-fixture.js';

const OPTIONS = { version: '0.1.0', trace: false, timing: false, scenarioHash: 'abc' };

/** A generated cluster of `count:` groups (mixed links and compute), small model, few rounds. */
function groupedScenarioText(perGroup: number, rounds: number): string {
  return `
name: streamed
seed: 3
rounds: ${rounds}
compare: [s1s4, sync-sgd]
data:
  dataset: { blobs: { samples: 4000, features: 8, classes: 3, spread: 1.5 } }
model: { hidden: [4], learningRate: 0.1 }
cluster:
  roundTimeoutMs: 2s
  defaults: { msPerSample: 1, cores: 4 }
  nodes:
    - { id: rack, count: ${perGroup}, latency: { constant: 2 } }
    - { id: edge, count: ${perGroup}, latency: { lognormal: { median: 25, sigma: 0.6 } } }
    - { id: wan, count: ${perGroup}, latency: { normal: { mean: 45, std: 20 }, loss: 0.05 } }
    - { id: solo, latency: { constant: 400 } }
`;
}

/** Every streamed sink fed from one run, as simulate feeds them. */
async function streamedRun(text: string, retainNodes: boolean) {
  const scenario = parseScenarioText(text, 'streamed.yaml');
  let json = '';
  let ndjson = '';
  const nodesCsv: string[] = [];
  const csvStream = new CsvStream((piece) => nodesCsv.push(piece));
  let timeline = '';
  const timelineStream = new TimelineStream(scenario, { version: '0.1.0' }, (piece) => (timeline += piece));
  const jsonStream = new JsonReportStream(scenario, OPTIONS, (piece) => (json += piece));
  const ndjsonStream = new NdjsonStream(scenario, OPTIONS, (piece) => (ndjson += piece));
  const tables = new RunTablesStream({ color: false, quiet: false });
  // as simulate keeps them: the first blocks in memory, the rest in a temporary file
  const spoolDir = mkdtempSync(join(tmpdir(), 'dtrain-spool-'));
  const spool = new SpooledBlocks(2000, spoolDir);
  const spooledTables = new RunTablesStream({ color: false, quiet: false }, spool);
  const insights = new InsightStream(scenario);
  const html = new HtmlColumnsStream(scenario);
  const result = await runScenario(scenario, {
    backend: 'cpu',
    retainNodes,
    onSetting: (setting) => {
      html.setting(setting);
      timelineStream.setting(setting);
    },
    onRound: (record, strategy, backend) => {
      jsonStream.round(record, strategy, backend);
      ndjsonStream.round(record, strategy, backend);
      csvStream.round(record, strategy.name);
      timelineStream.round(record, strategy.name);
      tables.round(record, strategy);
      spooledTables.round(record, strategy);
      insights.round(record, strategy);
      html.round(record, strategy);
    },
    onRunEnd: (run) => {
      jsonStream.runEnd(run);
      timelineStream.runEnd(run);
      tables.runEnd(run);
      spooledTables.runEnd(run);
      insights.runEnd(run);
      html.runEnd(run);
    },
  });
  jsonStream.finish(result);
  ndjsonStream.finish(result);
  timelineStream.finish();
  const spooled = { tables: spooledTables.render(result), inFile: spool.spooledCount, of: spool.length, left: readdirSync(spoolDir) };
  spooledTables.dispose();
  return {
    result, json, ndjson, timeline, roundsCsv: csvStream.roundsCsv(), nodesCsv, tables: tables.render(result), spooled, insights: insights.insights(), columns: html.columns(),
  };
}

/** The JSON stream fed from a result that kept its records: the same bytes as toJsonReport. */
function streamJson(result: RunResult, options = OPTIONS): string {
  let text = '';
  const stream = new JsonReportStream(result.scenario, options, (piece) => (text += piece));
  for (const run of result.runs) {
    for (const round of run.rounds) stream.round(round, run.strategy, run.backend);
    stream.runEnd(run);
  }
  stream.finish(result);
  return text;
}

describe('the JSON report written round by round', () => {
  it('is byte-identical to toJsonReport for complete, interrupted, diverged and empty runs', () => {
    const tiny = tinyResult();
    const cases: RunResult[] = [
      tiny,
      generatedResult(40, 3),
      { ...tiny, interrupted: true, runs: [{ ...tiny.runs[0]!, rounds: tiny.runs[0]!.rounds.slice(0, 1), interrupted: true }] },
      { ...tiny, interrupted: true, runs: [{ ...tiny.runs[0]!, rounds: [], interrupted: true }] },
      { ...tiny, runs: [{ ...tiny.runs[0]!, rounds: [] }, ...tiny.runs.slice(1)] },
      {
        ...tiny,
        runs: [{ ...tiny.runs[0]!, diverged: { round: 2, node: 'a', kind: 'training', message: 'loss is NaN' } }],
        diverged: { strategy: 's1s4', round: 2, node: 'a', kind: 'training', message: 'loss is NaN' },
      },
      { ...tiny, runs: [] },
    ];
    for (const result of cases) {
      expect(streamJson(result)).toBe(toJsonReport(result, OPTIONS));
      const traced = { ...OPTIONS, trace: true, timing: true, run: { engine: 'fast', node: 'v20', overrides: { rounds: 2 } } };
      expect(streamJson(result, traced)).toBe(toJsonReport(result, traced));
    }
  });
});

describe('node records written without building them', () => {
  /** tinyResult with values JSON.stringify treats specially in every kind of field */
  function oddResult(): RunResult {
    const tiny = tinyResult();
    const run = tiny.runs[0]!;
    const [first, second] = run.rounds;
    const odd = (node: NodeRoundRecord, k: number): NodeRoundRecord => ({
      ...node,
      id: ['quote " back \\ slash', 'line\nfeed\ttab\u0001', 'lone \ud800 surrogate, é and 😀', '</script>'][k]!,
      efficiency: [-0, 1e21, 5e-324, Number.NaN][k]!,
      effectiveMs: [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0.1 + 0.2, -1.5e-7][k]!,
      samplesMs: [[1.5, null, Number.NaN], [], undefined, [-0, 1e300]][k],
    });
    const rounds = [first!, { ...second!, nodes: second!.nodes.map(odd) }];
    return { ...tiny, runs: [{ ...run, rounds }, ...tiny.runs.slice(1)] };
  }

  it('the JSON: the same bytes as JSON.stringify of the report, with and without --trace', () => {
    const result = oddResult();
    expect(streamJson(result)).toBe(toJsonReport(result, OPTIONS));
    const traced = { ...OPTIONS, trace: true };
    expect(streamJson(result, traced)).toBe(toJsonReport(result, traced));
    expect(streamJson(result, traced)).toContain('"samplesMs": [\n                1.5,\n                null,\n                null\n              ]');
  });

  it('the NDJSON: each node as JSON.stringify writes its record, with and without --trace', () => {
    const result = oddResult();
    for (const trace of [false, true]) {
      const options = { ...OPTIONS, trace };
      let text = '';
      const stream = new NdjsonStream(result.scenario, options, (piece) => (text += piece));
      const run = result.runs[0]!;
      for (const round of run.rounds) stream.round(round, run.strategy, run.backend);
      stream.finish(result);
      const roundTwo = text.split('\n')[2]!;
      const nodes = run.rounds[1]!.nodes.map((node) => JSON.stringify(nodeToJson(node, run.rounds[1]!, options)));
      expect(roundTwo.endsWith(`"nodes":[${nodes.join(',')}]}`)).toBe(true);
      expect(JSON.parse(roundTwo).nodes[2].id).toBe('lone \ud800 surrogate, é and 😀');
    }
  });
});

describe('a run of 3,073 nodes in groups that keeps no node records', () => {
  it('gives the outputs of the same run that kept them, byte for byte; NDJSON has a header, a line per round and a summary', async () => {
    const text = groupedScenarioText(1024, 2);
    const kept = await streamedRun(text, true);
    const streamed = await streamedRun(text, false);

    // the run kept the round figures only
    for (const run of streamed.result.runs) {
      expect(run.rounds).toHaveLength(2);
      for (const round of run.rounds) {
        expect(round.nodes).toEqual([]);
        expect(round.working).toBeUndefined();
      }
    }
    expect(streamed.result.runs.map((run) => run.summary)).toEqual(kept.result.runs.map((run) => run.summary));

    const json = toJsonReport(kept.result, OPTIONS);
    expect(kept.json).toBe(json);
    expect(streamed.json).toBe(json);

    // nodes.csv as it goes: its header, then each round's 3,073 rows (two rounds of two strategies)
    const nodesCsv = toNodesCsv(kept.result);
    expect(nodesCsv.split('\n')).toHaveLength(1 + 4 * 3073 + 1);
    expect(kept.nodesCsv.join('')).toBe(nodesCsv);
    expect(streamed.nodesCsv.join('')).toBe(nodesCsv);
    expect(streamed.nodesCsv.map((piece) => piece.split('\n').length - 1)).toEqual([1, 3073, 3073, 3073, 3073]);
    expect(streamed.roundsCsv).toBe(toRoundsCsv(kept.result));
    const timeline = toTimelineJson(kept.result, { version: '0.1.0' });
    expect(kept.timeline).toBe(timeline);
    expect(streamed.timeline).toBe(timeline);

    expect(streamed.tables).toBe(renderRunTables(kept.result, { color: false, quiet: false }));
    // the blocks past 2,000 characters read back from the temporary file: the same text, no file left in its folder
    expect(streamed.spooled.tables).toBe(streamed.tables);
    expect([streamed.spooled.inFile, streamed.spooled.of]).toEqual([3, 4]);
    expect(streamed.spooled.left).toEqual([]);
    expect(streamed.insights).toEqual(detectInsights(kept.result));
    expect(JSON.stringify(buildCharts(streamed.result, streamed.columns))).toBe(JSON.stringify(buildCharts(kept.result)));

    const lines = streamed.ndjson.split('\n');
    expect(lines.pop()).toBe('');
    const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records.map((record) => record.type)).toEqual(['header', 'round', 'round', 'round', 'round', 'summary']);
    const report = JSON.parse(json) as { runs: Array<{ strategy: { name: string }; rounds: unknown[]; summary: unknown }> };
    const { type: _header, ...head } = records[0]!;
    expect(head).toEqual({ schemaVersion: 2, tool: { name: 'dtrain', version: '0.1.0' }, scenario: { name: 'streamed', seed: 3, file: 'streamed.yaml', hash: 'abc' }, run: (JSON.parse(json) as { run: unknown }).run });
    const rounds = report.runs.flatMap((run) => run.rounds.map((round) => ({ type: 'round', strategy: run.strategy.name, ...(round as object) })));
    expect(records.slice(1, 5)).toEqual(rounds);
    expect(records[5]).toEqual({
      type: 'summary',
      runs: report.runs.map(({ rounds: _rounds, ...run }) => run),
    });
  }, 120_000);

  it('shows one screen per round: the worst nodes and a row per group, not a row per node', async () => {
    const { tables } = await streamedRun(groupedScenarioText(1024, 1), false);
    const block = tables.split('\n\n').find((part) => part.startsWith('round 1'))!;
    expect(block.split('\n').length).toBeLessThanOrEqual(32);
    expect(block).toContain('by group (low median; weight = the group’s sum; status ✓/✗/idle):');
    for (const group of ['rack (1024)', 'edge (1024)', 'wan (1024)', 'solo (1)']) expect(block).toContain(`  ${group}`);
  }, 120_000);

  it('writes an HTML report under 20 MB whose node table has a row per group', async () => {
    const { result, columns } = await streamedRun(groupedScenarioText(1024, 1), false);
    const html = await renderHtmlReport(result, { version: '0.1.0', timing: false, columns });
    expect(Buffer.byteLength(html)).toBeLessThan(20 * 1024 ** 2);
    expect(html).toContain('rack-1 … rack-1024 (1,024 nodes)');
    expect(html).not.toContain('>rack-17<');
    expect(html).toContain('Showing the 64 nodes with the lowest mean efficiency (over all strategies) of 3,073, in scenario order.');
  }, 120_000);
});

describe('a run behind a shared server link that keeps no node records', () => {
  it('gives the timeline of the same run kept whole, its link waits included', async () => {
    const text = LINK_SCENARIO_TEXT;
    const kept = await streamedRun(text, true);
    const streamed = await streamedRun(text, false);
    const timeline = toTimelineJson(kept.result, { version: '0.1.0' });
    expect(streamed.timeline).toBe(timeline);
    // four transfers queue for the 1 Mbps link: the later ones wait
    expect(timeline).toContain('"name":"link","cat":"link","ph":"X"');
  });
});

describe('node groups read back from the ids', () => {
  it('a run of id-1 … id-k is one group; other ids are their own', () => {
    expect(nodeGroups(['a-1', 'a-2', 'a-3', 'b', 'c-1', 'c-3', 'd-2', 'a-1'])).toEqual([
      { name: 'a', start: 0, end: 3 },
      { name: 'b', start: 3, end: 4 },
      { name: 'c-1', start: 4, end: 5 },
      { name: 'c-3', start: 5, end: 6 },
      { name: 'd-2', start: 6, end: 7 },
      { name: 'a-1', start: 7, end: 8 },
    ]);
  });
});

describe('the HTML node table above 1,024 nodes', () => {
  it('has a row per group, and splits a group whose nodes differ (ids that only look like a group)', () => {
    const scenario = parseScenarioText(`
rounds: 1
data: { dataset: iris }
model: { hidden: [] }
cluster:
  nodes:
    - { id: rack, count: 1100, latency: { constant: 2 } }
    - { id: b-1, latency: { constant: 5 } }
    - { id: b-2, latency: { constant: 5 } }
    - { id: b-3, latency: { constant: 9 } }
`, 'table.yaml');
    const rows = nodesTable(scenario, (path) => path).match(/<tr><td>[^<]*<\/td><td>[^<]*/g)!;
    expect(rows).toEqual([
      '<tr><td>rack-1 … rack-1100 (1,100 nodes)</td><td>constant 2.0 ms',
      '<tr><td>b-1 … b-2 (2 nodes)</td><td>constant 5.0 ms',
      '<tr><td>b-3</td><td>constant 9.0 ms',
    ]);
  });
});

describe('the NDJSON of a run that failed', () => {
  const failure = { code: 'plugin.stageFailed', message: "batch stage 'x' threw: round 2 fails", exitCode: 2 };

  it('ends with an error line after the finished rounds, and nothing after it', () => {
    const result = tinyResult();
    const run = result.runs[0]!;
    let text = '';
    const stream = new NdjsonStream(result.scenario, OPTIONS, (piece) => (text += piece));
    stream.round(run.rounds[0]!, run.strategy, run.backend);
    stream.fail(failure);
    stream.fail({ message: 'a second failure', exitCode: 1 });
    stream.finish(result);
    const lines = text.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[3]).toBe('');
    expect(lines.slice(0, 2).map((line) => (JSON.parse(line) as { type: string }).type)).toEqual(['header', 'round']);
    expect(lines[2]).toBe('{"type":"error","code":"plugin.stageFailed","message":"batch stage \'x\' threw: round 2 fails","exitCode":2}');
  });

  it('before any round: the header, then the error', () => {
    const result = tinyResult();
    let text = '';
    const stream = new NdjsonStream(result.scenario, OPTIONS, (piece) => (text += piece));
    stream.fail({ message: 'the run ran out of memory (Invalid string length)', exitCode: 1 });
    const [header, error, end] = text.split('\n');
    const head = JSON.parse(header!) as { type: string; scenario: object; run: { backend: unknown } };
    expect([head.type, head.scenario, head.run.backend]).toEqual(['header', { name: 'tiny', seed: 7, file: 'scenarios/tiny.yaml', hash: 'abc' }, null]);
    expect(error).toBe('{"type":"error","message":"the run ran out of memory (Invalid string length)","exitCode":1}');
    expect(end).toBe('');
  });

  it('a round line the failure cut short is left on a line of its own', () => {
    const result = tinyResult();
    const run = result.runs[0]!;
    let text = '';
    let pieces = 0;
    const stream = new NdjsonStream(result.scenario, OPTIONS, (piece) => {
      // the third piece is the first round's nodes: a failure there leaves its line open
      if (++pieces === 3) throw new RangeError('Invalid string length');
      text += piece;
    });
    expect(() => stream.round(run.rounds[0]!, run.strategy, run.backend)).toThrow('Invalid string length');
    stream.fail({ message: 'the run ran out of memory (Invalid string length)', exitCode: 1 });
    const lines = text.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[1]!.startsWith('{"type":"round","strategy":')).toBe(true);
    expect(lines[1]!.endsWith('"nodes":[')).toBe(true);
    expect(lines[2]).toBe('{"type":"error","message":"the run ran out of memory (Invalid string length)","exitCode":1}');
  });
});
