/**
 * examples/steps.csv comes from known values (examples/make-steps.mjs) with seeded ±1 %
 * noise: calibrate --from must recover every value of every node entry within 1 %.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TRUE_VALUES, makeSteps } from '../../examples/make-steps.mjs';
import { fitEntries } from '../../src/calibrate/fit-entries.js';
import { nodeEntries, rowsByEntry } from '../../src/calibrate/node-entries.js';
import { rawClusterNodes } from '../../src/calibrate/scenario-source.js';
import { parseStepsCsv } from '../../src/calibrate/steps-csv.js';

const ROOT = join(import.meta.dirname, '..', '..');
const CSV = readFileSync(join(ROOT, 'examples', 'steps.csv'), 'utf8');
const SCENARIO = readFileSync(join(ROOT, 'examples', 'calibrate-cluster.yaml'), 'utf8');

/** Each entry's fitted values as relative errors against the truth. */
function recoveryErrors(csv: string): Record<string, Record<string, number>> {
  const parsed = parseStepsCsv(csv, 'steps.csv');
  if (parsed.issues.length > 0) throw new Error(JSON.stringify(parsed.issues));
  const grouped = rowsByEntry(parsed.rows, nodeEntries(rawClusterNodes(SCENARIO)), 'steps.csv');
  if (!grouped.ok) throw new Error(JSON.stringify(grouped.issues));
  const fitted = fitEntries(grouped.rows, 'steps.csv');
  if (!fitted.ok) throw new Error(JSON.stringify(fitted.issues));
  const errors: Record<string, Record<string, number>> = {};
  for (const { entry, fit } of fitted.fits) {
    const truth = TRUE_VALUES[entry.id as keyof typeof TRUE_VALUES];
    errors[entry.id] = {
      msPerSample: Math.abs(fit.msPerSample / truth.msPerSample - 1),
      parallelFraction: Math.abs(fit.parallelFraction / truth.parallelFraction - 1),
      stepOverheadMs: Math.abs(fit.stepOverheadMs / truth.stepOverheadMs - 1),
    };
  }
  return errors;
}

describe('recovering the known values of examples/steps.csv', () => {
  it('the shipped file is what its generator writes, byte for byte', () => {
    expect(makeSteps()).toBe(CSV);
  });

  it('every value of every node entry (a, b and the gpu group, named by member and by group) within 1 %', () => {
    const errors = recoveryErrors(CSV);
    expect(Object.keys(errors)).toEqual(['a', 'b', 'gpu']);
    for (const [node, values] of Object.entries(errors)) {
      for (const [name, error] of Object.entries(values)) expect({ node, name, error: error < 0.01 }).toEqual({ node, name, error: true });
    }
  });

  it('the check can fail: with ±5 % noise some value is off by more than 1 %', () => {
    const errors = recoveryErrors(makeSteps({ noise: 0.05 }));
    expect(Object.values(errors).some((values) => Object.values(values).some((error) => error > 0.01))).toBe(true);
  });
});
