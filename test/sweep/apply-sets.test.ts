import { describe, expect, it } from 'vitest';
import { DtrainError } from '../../src/errors.js';
import { applySets } from '../../src/sweep/apply-sets.js';
import { parseSetArg } from '../../src/sweep/set-spec.js';

const ROOT = { seed: 1, pipeline: { s1: { thresholdMs: 50 } }, cluster: { nodes: [{ id: 'a' }, { id: 'b' }] } };

function set(arg: string, root: unknown = ROOT): unknown {
  const axis = parseSetArg(arg);
  return applySets(root, [{ axis, value: axis.values[0] }]);
}

function message(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof DtrainError) return error.message;
    throw error;
  }
  throw new Error('expected a DtrainError');
}

describe('applySets', () => {
  it('writes into a copy; the parsed document is untouched', () => {
    expect(set('pipeline.s1.thresholdMs=20')).toEqual({ ...ROOT, pipeline: { s1: { thresholdMs: 20 } } });
    expect(ROOT.pipeline.s1.thresholdMs).toBe(50);
  });

  it('creates missing maps on the way, as a user would add them to the file', () => {
    expect(set('model.hidden=[4]')).toMatchObject({ model: { hidden: [4] } });
  });

  it('indexes into lists', () => {
    expect(set('cluster.nodes[1].cores=2')).toMatchObject({ cluster: { nodes: [{ id: 'a' }, { id: 'b', cores: 2 }] } });
  });

  it('a path past the end of a list, through a scalar, or naming a list by key cannot be written', () => {
    expect(message(() => set('cluster.nodes[2].cores=2'))).toBe('--set cluster.nodes[2].cores=2: unknown path cluster.nodes[2].cores: cluster.nodes has 2 entries (indexes 0…1)');
    expect(message(() => set('seed.x=1'))).toBe('--set seed.x=1: unknown path seed.x: seed is 1, not a map');
    expect(message(() => set('cluster.nodes.first=1'))).toBe('--set cluster.nodes.first=1: unknown path cluster.nodes.first: cluster.nodes is a list; pick an entry, e.g. cluster.nodes[0]');
    expect(message(() => set('data.files[0]=1'))).toBe('--set data.files[0]=1: unknown path data.files[0]: data.files is not in the scenario');
  });
});
