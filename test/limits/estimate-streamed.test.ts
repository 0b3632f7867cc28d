/**
 * The estimate of a streamed simulate run (issue 14): the run keeps one round's node records,
 * not the whole run's, and writes its JSON 128 nodes at a time, so the JSON is neither held
 * whole nor one string; with --report it keeps three numbers per node-round and six phase
 * totals per node and strategy, and a round's records carry their nodes' events.
 */
import { describe, expect, it } from 'vitest';
import { checkBudget } from '../../src/limits/budget.js';
import { estimateRun } from '../../src/limits/estimate.js';
import { parseScenarioText } from '../../src/node/load.js';

const IRIS = { samples: 150, features: 4, classes: 3 };

function cluster(nodes: number, rounds: number) {
  return parseScenarioText(`
rounds: ${rounds}
compare: [s1s4, sync-sgd]
data: { dataset: iris }
model: { hidden: [] }
cluster:
  nodes:
    - { id: n, count: ${nodes}, latency: { constant: 5 } }
`, 'streamed.yaml');
}

const parts = (memoryParts: ReadonlyArray<{ what: string; value: number }>, pattern: RegExp) =>
  Object.fromEntries(memoryParts.filter((p) => pattern.test(p.what)).map((p) => [p.what, p.value]));

describe('estimateRun of a streamed run', () => {
  it('one round of records, the JSON a string of at most 128 KiB at a time, the HTML data per node-round (hand-computed)', () => {
    const scenario = cluster(1000, 10);
    const streamed = estimateRun(scenario, IRIS, { json: true, trace: false, report: true, streamed: true });
    // 2 strategies × 10 rounds × 1,000 nodes; JSON ≈ 760 B per node-round + 200 B per round
    expect(parts(streamed.memoryParts, /records|events|JSON|HTML report's data/)).toEqual({
      "one round's node records (1,000 nodes; the run keeps none)": 1000 * 1550,
      // --report: the round's node events too, 1,400 B a node
      "one round's node events (what the HTML report draws from)": 1000 * 1400,
      // a round's JSON, 1,000 nodes × 760.2 B, is written 128 KiB at most at a time
      'the JSON report (written round by round)': 2 * 131_072,
      "the HTML report's data (20,000 node-rounds)": 20_000 * 24 + 2 * 1000 * 48,
    });
    expect(streamed.outputs.map((output) => output.flag)).toEqual(['--report']);
    // without --report the records carry no events
    const plain = estimateRun(scenario, IRIS, { json: true, trace: false, streamed: true });
    expect(parts(plain.memoryParts, /events/)).toEqual({});

    const kept = estimateRun(scenario, IRIS, { json: true, trace: false, report: true });
    expect(parts(kept.memoryParts, /records|JSON/)).toEqual({
      'per-node round records (20,000 node-rounds)': 20_000 * 3000,
      'the JSON report': 2 * (20_000 * 760 + 20 * 200),
    });
    expect(streamed.memoryBytes).toBeLessThan(kept.memoryBytes);
  });

  it('a JSON too large for one string is refused when it is one string, not when it is streamed', () => {
    // 2 × 10,000 rounds × 20,000 nodes × 760 B: about 283 GiB of JSON
    const scenario = cluster(20_000, 10_000);
    const budget = { memoryBytes: Number.POSITIVE_INFINITY, seconds: Number.POSITIVE_INFINITY };
    expect(checkBudget(estimateRun(scenario, IRIS, { json: true, trace: false }), budget)?.code).toBe('limits.jsonTooLarge');
    expect(checkBudget(estimateRun(scenario, IRIS, { json: true, trace: false, streamed: true }), budget)).toBeNull();
  });

  it('the HTML page counts at most 1,024 rows of the node table', () => {
    const html = (nodes: number) => estimateRun(cluster(nodes, 1), IRIS, { json: false, trace: false, report: true }).outputs[0]!.bytes;
    expect(html(1024) - html(1023)).toBe(300);
    // both above 64 nodes (the heat maps' rows) and 1,024 (the node table's): the same page
    expect(html(5000)).toBe(html(1024));
  });
});
