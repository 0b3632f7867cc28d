/**
 * Property (issue 6), the full half: generated valid scenarios run end to end through
 * runScenario with real TF.js training (iris, softmax regression, ≤ 3 rounds, cpu backend,
 * either engine). Besides the per-round invariants (invariants.ts) the model itself must stay
 * finite after every aggregation, and a second run must print the same table and JSON.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { runScenario } from '../../src/index.js';
import type { EngineFactory } from '../../src/train/engine.js';
import { createFastEngine } from '../../src/train/fast-engine.js';
import { createReferenceEngine } from '../../src/train/reference-engine.js';
import { scenarioArb } from './arbitraries.js';
import { assertProperty, checkParams, loadGenerated, renderOutputs } from './harness.js';
import { runInvariants, textInvariants } from './invariants.js';

/** CI runs (1,000 cheap + 60 full); `npm run fuzz -- --runs N` runs N / 25 here. */
const CI_RUNS = 60;
const PARAMS = checkParams(CI_RUNS, 20_240_602, 1 / 25);

/** The real engine, with a check that every parameter is finite after each aggregation. */
function checkedEngine(create: EngineFactory, problems: string[]): EngineFactory {
  return async (options) => {
    const engine = await create(options);
    let aggregations = 0;
    return {
      backend: engine.backend,
      paramCount: engine.paramCount,
      trainLocal: (tasks) => engine.trainLocal(tasks),
      aggregate(weights) {
        engine.aggregate(weights);
        aggregations += 1;
        if (engine.getParams().some((layer) => layer.some((value) => !Number.isFinite(value)))) {
          problems.push(`model parameters not finite after aggregation ${aggregations}`);
        }
      },
      discardLocal: () => engine.discardLocal(),
      evaluate: () => engine.evaluate(),
      getParams: () => engine.getParams(),
      dispose: () => engine.dispose(),
    };
  };
}

describe('full runs with TF.js training on generated scenarios', () => {
  it(`keep every invariant, a finite model and identical output (${PARAMS.numRuns} scenarios)`, async () => {
    const property = fc.asyncProperty(
      scenarioArb({ maxRounds: 3, anyModel: false }),
      fc.constantFrom(createFastEngine, createReferenceEngine),
      async (generated, create) => {
        const scenario = loadGenerated(generated);
        const problems: string[] = [];
        const engine = checkedEngine(create, problems);
        const result = await runScenario(scenario, { backend: 'cpu', engine, trace: true });
        const first = renderOutputs(result);
        const second = renderOutputs(await runScenario(scenario, { backend: 'cpu', engine, trace: true }));
        problems.push(...runInvariants(scenario, result), ...textInvariants('table', first.table), ...textInvariants('JSON', first.json));
        if (first.json !== second.json) problems.push('two runs gave different JSON');
        if (first.table !== second.table) problems.push('two runs gave different tables');
        if (problems.length > 0) throw new Error(problems.slice(0, 12).join('\n'));
      },
    );
    await assertProperty('full-run invariants', property, PARAMS);
  }, Math.max(120_000, PARAMS.numRuns * 3000));
});
