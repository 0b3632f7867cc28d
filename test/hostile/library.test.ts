/**
 * The library side of interruption and divergence (issue 6): `runScenario`'s `shouldStop`
 * and a diverging engine, in process and exactly, with a stub engine (no training maths).
 */
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/index.js';
import { toJsonReport } from '../../src/report/json.js';
import { NdjsonStream } from '../../src/report/ndjson.js';
import { stoppedMessage } from '../../src/report/messages.js';
import { renderSummary } from '../../src/report/summary-table.js';
import { parseScenarioText } from '../../src/node/load.js';
import { nonFiniteLoss, type EngineFactory } from '../../src/train/engine.js';
import { stubEngineFactory } from '../properties/harness.js';

const SCENARIO = parseScenarioText(`
rounds: 5
compare: [s1s4, sync-sgd]
data: { dataset: iris }
model: { hidden: [] }
cluster:
  nodes:
    - { id: a, latency: { constant: 5 } }
    - { id: b, latency: { constant: 7 } }
`, 'library.yaml');

const stub = stubEngineFactory((problem) => {
  throw new Error(problem);
});
const JSON_OPTIONS = { version: 'test', trace: false, timing: false };

/** The stub, except that the given round's training fails on the task with the given index. */
function failingIn(round: number, task: number): EngineFactory {
  return async (options) => {
    const engine = await stub(options);
    let calls = 0;
    return {
      ...engine,
      async trainLocal(tasks) {
        calls += 1;
        // an engine names the failing task as a field (the engine contract), not in its message
        if (calls === round) throw nonFiniteLoss(task);
        return engine.trainLocal(tasks);
      },
    };
  };
}

describe('runScenario shouldStop', () => {
  it('stops at the round boundary after the asked-for rounds; later strategies are not started', async () => {
    let finished = 0;
    const result = await runScenario(SCENARIO, { backend: 'cpu', engine: stub, onRound: () => (finished += 1), shouldStop: () => finished >= 3 });
    expect(result.interrupted).toBe(true);
    expect(result.runs.map((run) => [run.strategy.name, run.rounds.length, run.interrupted])).toEqual([['s1s4', 3, true]]);
    expect(result.runs[0]!.summary.simulatedMs).toBe(result.runs[0]!.rounds[2]!.endMs);
    const report = JSON.parse(toJsonReport(result, JSON_OPTIONS));
    expect(report.interrupted).toBe(true);
    expect(report.runs[0].interrupted).toBe(true);
  });

  it('a stop between two strategies keeps the finished one and marks the whole run', async () => {
    let finished = 0;
    const result = await runScenario(SCENARIO, { backend: 'cpu', engine: stub, onRound: () => (finished += 1), shouldStop: () => finished >= 5 });
    expect(result.interrupted).toBe(true);
    expect(result.runs.map((run) => [run.strategy.name, run.rounds.length, run.interrupted])).toEqual([['s1s4', 5, undefined]]);
  });

  it('a run that is never stopped carries neither field, in the records or the JSON', async () => {
    const result = await runScenario(SCENARIO, { backend: 'cpu', engine: stub, shouldStop: () => false });
    expect(result.runs.map((run) => run.rounds.length)).toEqual([5, 5]);
    const json = toJsonReport(result, JSON_OPTIONS);
    expect(json).not.toContain('"interrupted"');
    expect(json).not.toContain('"diverged"');
  });
});

describe('runScenario divergence', () => {
  it('returns the rounds before it and names the round and the node of the failing task', async () => {
    // round 3: both nodes take part, task 1 is node b
    const result = await runScenario(SCENARIO, { backend: 'cpu', engine: failingIn(3, 1) });
    const message = 'training diverged in round 3 on node b: its local loss or parameters became non-finite';
    expect(result.diverged).toEqual({ strategy: 's1s4', round: 3, node: 'b', kind: 'training', message });
    expect(result.runs).toHaveLength(1);
    expect(result.runs[0]!.rounds.map((round) => round.round)).toEqual([1, 2]);
    expect(result.runs[0]!.diverged).toEqual({ round: 3, node: 'b', kind: 'training', message });
    const report = JSON.parse(toJsonReport(result, JSON_OPTIONS));
    expect(report.diverged).toEqual({ strategy: 's1s4', round: 3, node: 'b', kind: 'training', message });
    expect(report.runs[0].rounds).toHaveLength(2);
  });
});

describe('a run stopped before its first round finished', () => {
  it('has no accuracy: NaN in the records, null in the JSON and NDJSON summaries, – in the table, and says so', async () => {
    const result = await runScenario(SCENARIO, { backend: 'cpu', engine: stub, shouldStop: () => true });
    expect(result.interrupted).toBe(true);
    expect(result.runs.map((run) => [run.strategy.name, run.rounds.length, run.interrupted])).toEqual([['s1s4', 0, true]]);
    const report = JSON.parse(toJsonReport(result, JSON_OPTIONS));
    expect(report.runs[0].summary).toEqual({ finalAccuracy: null, bestAccuracy: null, simulatedMs: 0, samplesTrained: 0, timeToTargetMs: null });
    let ndjson = '';
    new NdjsonStream(result.scenario, JSON_OPTIONS, (text) => (ndjson += text)).finish(result);
    const summary = JSON.parse(ndjson.trimEnd().split('\n').at(-1)!);
    expect(summary.runs[0].summary).toEqual(report.runs[0].summary);
    const table = renderSummary(result, { color: false, quiet: true });
    expect(table).toContain('  s1s4 *            –         –     0.0 ms          –        0\n');
    expect(table).toContain('  * s1s4: interrupted before the first of 5 rounds finished; no figures\n');
    expect(stoppedMessage(result, 2)).toBe('interrupted: stopped before the first of 5 rounds of s1s4 finished; 1 later strategy not started; no round finished, so the outputs hold none');
  });
});

describe('a run stopped while its data is prepared', () => {
  it('stops between two steps of the preparation, asked after each of the host\'s turns: no strategy run, no setting, the words of a stop before the first round', async () => {
    let asked = 0;
    const result = await runScenario(SCENARIO, {
      backend: 'cpu', engine: stub, onSetting: () => expect.unreachable('no setting: the data was not made'),
      // asked before the first step, then after each turn: a stop asked for at the second turn
      shouldStopSetup: () => ++asked === 3,
      shouldStop: () => expect.unreachable('no round boundary was reached'),
    });
    expect(asked).toBe(3);
    expect(result).toEqual({ scenario: result.scenario, runs: [], interrupted: true });
    expect(stoppedMessage(result, 2)).toBe('interrupted: stopped before the first of 5 rounds of s1s4 finished; 1 later strategy not started; no round finished, so the outputs hold none');
    // without it, the data is made whole and the stop comes at the first round boundary
    const whole = await runScenario(SCENARIO, { backend: 'cpu', engine: stub, shouldStopSetup: () => false, shouldStop: () => true });
    expect(whole.runs.map((run) => run.rounds.length)).toEqual([0]);
  });
});
