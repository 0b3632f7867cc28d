/**
 * Property (issue 6), the cheap half: ≥ 1,000 generated valid scenarios through the real
 * loader and the real round loop — S1–S3 planning, the time model, the S4 aggregators, every
 * latency process — with a TF.js-free stub engine, so that it runs in seconds. Every round of
 * every run must keep the invariants (invariants.ts), the table and the JSON must show no
 * NaN / Infinity, and a second run must give the same output byte for byte.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { scenarioArb } from './arbitraries.js';
import { assertProperty, checkParams, loadGenerated, renderOutputs, runWithEngine, stubEngineFactory } from './harness.js';
import { runInvariants, textInvariants } from './invariants.js';

/** CI runs; `npm run fuzz -- --runs N` runs N. */
const CI_RUNS = 1000;
const PARAMS = checkParams(CI_RUNS, 20_240_601);

describe('planning, time model and aggregation on generated scenarios', () => {
  it(`keep every invariant and are deterministic (${PARAMS.numRuns} scenarios)`, async () => {
    const property = fc.asyncProperty(scenarioArb({ maxRounds: 5, anyModel: true }), async (generated) => {
      const scenario = loadGenerated(generated);
      const problems: string[] = [];
      const engine = stubEngineFactory((problem) => problems.push(`engine: ${problem}`));
      const result = await runWithEngine(scenario, engine);
      const first = renderOutputs(result);
      // the JSON (with --trace) holds every record field: equal JSON means an equal run;
      // the table of a second run is compared in the full-run property
      const again = renderOutputs(await runWithEngine(scenario, engine), { table: false });
      problems.push(...runInvariants(scenario, result), ...textInvariants('table', first.table), ...textInvariants('JSON', first.json));
      if (first.json !== again.json) problems.push('two runs gave different JSON');
      if (problems.length > 0) throw new Error(problems.slice(0, 12).join('\n'));
    });
    await assertProperty('planning invariants', property, PARAMS);
  }, Math.max(120_000, PARAMS.numRuns * 200));
});
