/**
 * `--set __proto__.x=1,2` (issue 9): path segments that reach a prototype are refused when
 * the flag is parsed, and the writer itself cannot pollute Object.prototype even when handed
 * such a path directly.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DtrainError } from '../../src/errors.js';
import { applySets, setAtPath } from '../../src/sweep/apply-sets.js';
import { parseSetArg, parseSetArgs, type SetAxis } from '../../src/sweep/set-spec.js';

function message(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof DtrainError) return error.message;
    throw error;
  }
  throw new Error('expected a DtrainError');
}

/** An axis as parseSetArg would build it, but with any path (the parser refuses these). */
function rawAxis(path: Array<string | number>): SetAxis {
  return { arg: `${path.join('.')}=1`, path, pathText: path.join('.'), values: [1], labels: ['1'] };
}

function prototypeIsClean(): void {
  const probe: Record<string, unknown> = {};
  expect(Object.getPrototypeOf(probe)).toBe(Object.prototype);
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(ORIGINAL_NAMES);
  expect(probe.x).toBeUndefined();
  expect(probe.polluted).toBeUndefined();
}

const ORIGINAL_NAMES = Object.getOwnPropertyNames(Object.prototype).sort();

afterEach(prototypeIsClean);

describe('prototype path segments', () => {
  it.each(['__proto__.x=1,2', 'constructor.prototype.polluted=1', 'pipeline.__proto__.x=1', 'cluster.nodes[0].constructor=1', 'prototype=1'])(
    '--set %s is a usage error naming the segment',
    (arg) => {
      const segment = /__proto__|constructor|prototype/.exec(arg)![0];
      expect(message(() => parseSetArg(arg))).toBe(`--set ${arg}: '${segment}' cannot be a field name (no scenario field is called that)`);
      expect(message(() => parseSetArgs([arg]))).toContain(`'${segment}' cannot be a field name`);
    },
  );

  it('the writer keeps even a __proto__ segment an own property of the copy', () => {
    const root = { seed: 1 };
    const result = applySets(root, [{ axis: rawAxis(['__proto__', 'x']), value: 1 }]) as Record<string, unknown>;
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
    expect(Object.hasOwn(result, '__proto__')).toBe(true);
    expect(Object.getOwnPropertyDescriptor(result, '__proto__')!.value).toEqual({ x: 1 });
    expect(root).toEqual({ seed: 1 });
  });

  it('a constructor segment is a new own map, not Object itself', () => {
    const target: Record<string, unknown> = { model: {} };
    setAtPath(target, rawAxis(['model', 'constructor', 'polluted']), 1);
    expect(Object.getOwnPropertyDescriptor(target.model as object, 'constructor')!.value).toEqual({ polluted: 1 });
    expect((Object as unknown as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('a last segment __proto__ writes a field, not the prototype', () => {
    const target: Record<string, unknown> = {};
    setAtPath(target, rawAxis(['__proto__']), { polluted: true });
    expect(Object.getPrototypeOf(target)).toBe(Object.prototype);
    expect(target.polluted).toBeUndefined();
  });
});
