/**
 * The command-line fuzzer (cli-fuzz.ts) in CI: a fixed seed and 30 command lines, two at a
 * time, each with a short timeout. `npm run fuzz -- --runs N` runs N / 100 command lines with
 * a fresh seed; FUZZ_SEED and FUZZ_CASE replay one.
 */
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inParallel } from '../hostile/cli.js';
import { describeFailure, generateCase, makeTemplate, runCase } from './cli-fuzz.js';
import { checkParams } from './harness.js';

const CI_CASES = 30;
const CI_SEED = 20_250_901;
const PARAMS = checkParams(CI_CASES, CI_SEED, 1 / 100);
const TIMEOUT_MS = 30_000;

function caseIndexes(): number[] {
  const only = process.env.FUZZ_CASE;
  if (only !== undefined && only !== '' && /^\d+$/.test(only)) return [Number(only)];
  return Array.from({ length: PARAMS.numRuns }, (_, i) => i);
}

describe('random command lines', () => {
  const indexes = caseIndexes();
  it(`exit 0/1/2/130, no stack, no hang, no input changed, no temp file left (${indexes.length} command lines, seed ${PARAMS.seed})`, async () => {
    const template = makeTemplate();
    const failures = await inParallel(indexes, 2, async (index) => {
      const fuzzCase = generateCase(PARAMS.seed, index);
      const result = await runCase(template, fuzzCase, TIMEOUT_MS);
      return result.problems.length === 0 ? null : describeFailure(fuzzCase, result);
    });
    rmSync(dirname(template), { recursive: true, force: true });
    const found = failures.filter((failure) => failure !== null);
    expect(found, `${found.length} of ${indexes.length} command lines broke a rule:\n${found.join('\n')}`).toEqual([]);
  }, Math.max(300_000, indexes.length * 20_000));
});
