import { describe, expect, it } from 'vitest';
import { checkNode, checkRound, selectStrategy } from '../../src/explain/select.js';
import { createStageRegistry } from '../../src/pipeline/stages/builtin.js';
import { S1S4, SYNC_SGD, makeScenario } from '../report/fixtures.js';
import { thrown } from '../helpers/thrown.js';

const scenario = makeScenario(['a', 'b', 'edge-1']);

describe('explain option checks', () => {
  it("the default strategy is the scenario's first; a listed or preset name is found", () => {
    expect(selectStrategy(scenario, undefined, createStageRegistry())).toEqual(S1S4);
    expect(selectStrategy(scenario, 'sync-sgd', createStageRegistry())).toEqual(SYNC_SGD);
    expect(selectStrategy(scenario, 'fedavg', createStageRegistry())).toEqual({ name: 'fedavg', batch: 'fixed', resources: 'fixed', aggregation: 'samples' });
  });

  it('an unknown strategy lists the valid names and suggests the closest (exit 2)', () => {
    const error = thrown(() => selectStrategy(scenario, 'fedvag', createStageRegistry()));
    expect(error.message).toBe("unknown strategy 'fedvag': expected one of s1s4, sync-sgd, fedavg, lb-bsp");
    expect(error.hint).toBe('did you mean fedavg?');
    expect(error.exitCode).toBe(2);
  });

  it('a round outside 1…rounds names the range', () => {
    expect(() => checkRound(scenario, 2)).not.toThrow();
    expect(thrown(() => checkRound(scenario, 3)).message).toBe('--round 3 is out of range: scenario tiny has 2 rounds (1–2)');
  });

  it('an unknown node lists the ids and suggests the closest', () => {
    const error = thrown(() => checkNode(scenario, 'edge1'));
    expect(error.message).toBe("unknown node 'edge1': expected one of a, b, edge-1");
    expect(error.hint).toBe('did you mean edge-1?');
    expect(thrown(() => checkNode(scenario, 'zzz')).hint).toBeUndefined();
  });
});
