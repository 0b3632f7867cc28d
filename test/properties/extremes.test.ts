/**
 * Property (issue 6): valid scenarios with extreme numbers (1e-300 … 1e300 latencies, compute
 * and transfer times, retry waits, grid steps). Filtered through the same budget check as
 * `dtrain simulate` (with a small budget, so each case stays quick), every run must either
 * finish keeping every invariant, or stop at a divergence that names its round, keeping
 * exactly the rounds before it: never an unknown error, never NaN / Infinity in the output.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { checkBudget } from '../../src/limits/budget.js';
import { datasetShape } from '../../src/limits/dataset-shape.js';
import { estimateRun } from '../../src/limits/estimate.js';
import { extremeScenarioArb } from './arbitraries.js';
import { assertProperty, checkParams, loadGenerated, renderOutputs, runWithEngine, stubEngineFactory } from './harness.js';
import { runInvariants, textInvariants } from './invariants.js';

const CI_RUNS = 200;
const PARAMS = checkParams(CI_RUNS, 20_240_603, 1 / 5);
/** What a quick test can afford: ~1.5 s of estimated host time (1 s of it start-up), 400 MiB. */
const TEST_BUDGET = { memoryBytes: 400 * 1024 ** 2, seconds: 1.5 };

describe('extreme but valid numbers', () => {
  it(`finish with every invariant or stop cleanly at a divergence (${PARAMS.numRuns} scenarios)`, async () => {
    const property = fc.asyncProperty(extremeScenarioArb(), async (generated) => {
      const scenario = loadGenerated(generated);
      const estimate = estimateRun(scenario, datasetShape(scenario.data.dataset), { json: true, trace: true });
      // dtrain simulate would refuse it before starting
      if (checkBudget(estimate, TEST_BUDGET) !== null) return;
      const problems: string[] = [];
      const result = await runWithEngine(scenario, stubEngineFactory((problem) => problems.push(`engine: ${problem}`)));
      const { table, json } = renderOutputs(result);
      problems.push(...runInvariants(scenario, result, { allowStop: true }), ...textInvariants('table', table), ...textInvariants('JSON', json));
      if (problems.length > 0) throw new Error(problems.slice(0, 12).join('\n'));
    });
    await assertProperty('extreme values', property, PARAMS);
  }, Math.max(120_000, PARAMS.numRuns * 2000));
});
