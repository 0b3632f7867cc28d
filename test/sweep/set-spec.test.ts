import { describe, expect, it } from 'vitest';
import { DtrainError } from '../../src/errors.js';
import { parseSetArg, parseSetArgs, parseSetPath, splitTopLevel } from '../../src/sweep/set-spec.js';

function message(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof DtrainError && error.exitCode === 2) return error.message;
    throw error;
  }
  throw new Error('expected a usage error');
}

describe('parseSetArg', () => {
  it('a comma list of YAML values, each label as written', () => {
    expect(parseSetArg('pipeline.s1.thresholdMs=20, 50ms,100')).toMatchObject({
      path: ['pipeline', 's1', 'thresholdMs'], pathText: 'pipeline.s1.thresholdMs', values: [20, '50ms', 100], labels: ['20', '50ms', '100'],
    });
  });

  it('an integer range is inclusive and may mix with single values', () => {
    expect(parseSetArg('seed=1..4').values).toEqual([1, 2, 3, 4]);
    expect(parseSetArg('seed=0,5..6').values).toEqual([0, 5, 6]);
    expect(parseSetArg('seed=3..3').values).toEqual([3]);
  });

  it('flow lists stay whole: [],[16],[32,16] is three values', () => {
    expect(parseSetArg('model.hidden=[],[16],[32, 16]').values).toEqual([[], [16], [32, 16]]);
  });

  it('an empty range, an empty value, a missing = or a repeated value is a usage error', () => {
    expect(message(() => parseSetArg('seed=10..1'))).toBe('--set seed=10..1: the range 10..1 is empty (it counts up: write 1..10)');
    expect(message(() => parseSetArg('seed=1,,2'))).toBe('--set seed=1,,2: an empty value (two commas in a row, or nothing after =)');
    expect(message(() => parseSetArg('seed='))).toBe('--set seed=: an empty value (two commas in a row, or nothing after =)');
    expect(message(() => parseSetArg('seed'))).toBe('--set seed: expected path=values');
    expect(message(() => parseSetArg('seed=1,2,1'))).toBe('--set seed=1,2,1: the value 1 is listed twice');
    expect(message(() => parseSetArg('seed=1..'))).toBe("--set seed=1..: '1..' is not a range (expected whole numbers FROM..TO, e.g. 1..10)");
    expect(message(() => parseSetArg('seed=[1'))).toBe("--set seed=[1: '[1' is not a value a scenario file may hold: expected valid YAML (flow sequence must end with a ]), found the end of the file");
  });

  it('a value is read as the scenario file is: its tags refused alike, no control or bidi characters', () => {
    expect(message(() => parseSetArg('pipeline=!!timestamp 2001-12-14'))).toBe(
      "--set pipeline=!!timestamp 2001-12-14: '!!timestamp 2001-12-14' is not a value a scenario file may hold: expected a plain YAML value (no tags but !!str, !!int, !!float, !!bool, !!null, !!map, !!seq), found a YAML !!timestamp tag",
    );
    expect(message(() => parseSetArg('rounds=!!float 2'))).toBe(
      "--set rounds=!!float 2: '!!float 2' is not a value a scenario file may hold: expected a number with a decimal point or an exponent after !!float (2.0, 1e3), found !!float 2",
    );
    expect(message(() => parseSetArg('rounds=2 #\u001b[2J'))).toBe("--set rounds=2 #\\e[2J: '2 #\\e[2J' holds control, bidi or invisible characters");
    expect(parseSetArg('rounds=!!int 2,3').values).toEqual([2, 3]);
  });
});

describe('parseSetPath', () => {
  it('indexes by [n] or .n', () => {
    expect(parseSetPath('cluster.nodes[2].cores', 'x')).toEqual(['cluster', 'nodes', 2, 'cores']);
    expect(parseSetPath('cluster.nodes.2.cores', 'x')).toEqual(['cluster', 'nodes', 2, 'cores']);
  });

  it('rejects empty segments and a leading index', () => {
    expect(message(() => parseSetPath('a..b', 'a..b=1'))).toBe("--set a..b=1: 'a..b' is not a field path (expected names separated by dots, e.g. pipeline.s1.thresholdMs)");
    expect(message(() => parseSetPath('0.a', '0.a=1'))).toBe("--set 0.a=1: '0.a' must start with a field name");
  });
});

describe('parseSetArgs', () => {
  it('a field may be set once; a path inside another set path overlaps it', () => {
    expect(message(() => parseSetArgs(['seed=1', 'seed=2']))).toBe('--set seed=2: seed overlaps --set seed=1 (set each field once)');
    expect(message(() => parseSetArgs(['pipeline.s1={thresholdMs: 5}', 'pipeline.s1.thresholdMs=3']))).toBe(
      '--set pipeline.s1.thresholdMs=3: pipeline.s1.thresholdMs overlaps --set pipeline.s1={thresholdMs: 5} (set each field once)',
    );
    expect(parseSetArgs(['pipeline.s1.thresholdMs=3', 'pipeline.s1.intervalMs=50'])).toHaveLength(2);
  });
});

describe('splitTopLevel', () => {
  it('splits on commas outside brackets and quotes', () => {
    expect(splitTopLevel('a, [1,2], {x: 1, y: 2}, "p,q"')).toEqual(['a', '[1,2]', '{x: 1, y: 2}', '"p,q"']);
  });
});
