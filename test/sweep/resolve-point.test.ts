import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DtrainError } from '../../src/errors.js';
import { parseScenarioText } from '../../src/node/load.js';
import { readScenarioSource, resolvePoint } from '../../src/sweep/resolve-point.js';
import { parseSetArg } from '../../src/sweep/set-spec.js';

const FILE = join(import.meta.dirname, 'fixtures', 'tiny.yaml');
const TEXT = readFileSync(FILE, 'utf8');

function point(...args: string[]) {
  return args.map((arg) => {
    const axis = parseSetArg(arg);
    return { axis, value: axis.values[0], label: axis.labels[0]! };
  });
}

function problem(...args: string[]): string {
  try {
    resolvePoint(readScenarioSource(TEXT, FILE), point(...args));
  } catch (error) {
    if (error instanceof DtrainError && error.exitCode === 2) return error.message;
    throw error;
  }
  throw new Error('expected a usage error');
}

describe('resolvePoint', () => {
  it('without --set it resolves exactly as the loader does', () => {
    expect(resolvePoint(readScenarioSource(TEXT, FILE), [])).toEqual(parseScenarioText(TEXT, FILE));
  });

  it('applies the values with the loader\'s units and defaults', () => {
    const scenario = resolvePoint(readScenarioSource(TEXT, FILE), point('pipeline.s1.thresholdMs=1.5s', 'seed=9', 'model.hidden=[4]'));
    expect(scenario.pipeline.s1.thresholdMs).toBe(1500);
    expect(scenario.pipeline.s1.intervalMs).toBe(100);
    expect(scenario.seed).toBe(9);
    expect(scenario.model.hidden).toEqual([4]);
  });

  it('a value of the wrong type gets the loader\'s message, placed at the --set', () => {
    expect(problem('seed=abc')).toBe(`${FILE} with --set seed=abc: 1 problem\n--set seed=abc  seed: expected an integer ≥ 0, found "abc" (a string)`);
  });

  it('an unknown key gets the loader\'s did-you-mean', () => {
    expect(problem('pipeline.s1.threshold=5')).toBe(
      `${FILE} with --set pipeline.s1.threshold=5: 1 problem\n--set pipeline.s1.threshold=5  pipeline.s1.threshold: expected a known key of s1 (intervalMs, windowMs, thresholdMs) — did you mean thresholdMs?, found threshold`,
    );
  });

  it('a cross-field problem elsewhere keeps its place in the file', () => {
    expect(problem('pipeline.s1.intervalMs=300')).toBe(
      `${FILE} with --set pipeline.s1.intervalMs=300: 1 problem\n${FILE}:10:7  pipeline.s1.windowMs: expected a multiple of intervalMs (300), found 2000 (the default)`,
    );
  });
});
