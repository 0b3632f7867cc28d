/**
 * Running generated scenarios for the properties: load the YAML text through the real
 * loader, run it (with a TF.js-free stub engine, or for real), render the table and the
 * JSON, and format a failure as the seed plus the shrunk scenario, ready to paste into a
 * file and replay with `dtrain simulate`.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { renderTableReport } from '../../src/report/table.js';
import { toJsonReport } from '../../src/report/json.js';
import { parseScenarioText } from '../../src/node/load.js';
import { nodeHost } from '../../src/node/host.js';
import type { Scenario } from '../../src/scenario/types.js';
import { lazyNetwork } from '../../src/run/network.js';
import { runStrategy } from '../../src/run/loop.js';
import { createStageRegistry } from '../../src/pipeline/stages/builtin.js';
import type { RunResult, StrategyRun } from '../../src/sim/records.js';
import type { EngineFactory, EngineOptions, EngineTasks, TrainEngine } from '../../src/train/engine.js';
import { prepareTraining } from '../../src/train/prepare.js';
import { type GeneratedScenario, scenarioYaml } from './arbitraries.js';

/** Runs: FUZZ_RUNS (set by `npm run fuzz -- --runs N`) or the CI default. */
export function runsFromEnv(ciDefault: number, share = 1): number {
  const fromEnv = Number(process.env.FUZZ_RUNS);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? Math.max(1, Math.ceil(fromEnv * share)) : ciDefault;
}

/**
 * FUZZ_SEED (and FUZZ_PATH) replay a failure; `npm run fuzz` picks a fresh seed; CI uses a
 * fixed seed per property so that its result is reproducible.
 */
export function checkParams(ciRuns: number, ciSeed: number, share = 1): { numRuns: number; seed: number; path?: string } {
  const seed = Number(process.env.FUZZ_SEED);
  const path = process.env.FUZZ_PATH;
  return {
    numRuns: runsFromEnv(ciRuns, share),
    seed: Number.isInteger(seed) && process.env.FUZZ_SEED !== '' ? seed : ciSeed,
    ...(path === undefined || path === '' ? {} : { path }),
  };
}

export const WORK_DIR = mkdtempSync(join(tmpdir(), 'dtrain-props-'));

/** The scenario text through the real loader, its generated traces written beside it. */
export function loadGenerated(generated: GeneratedScenario): Scenario {
  for (const [name, csv] of Object.entries(generated.traces)) {
    const path = join(WORK_DIR, name);
    if (!existsSync(path)) writeFileSync(path, csv);
  }
  return parseScenarioText(scenarioYaml(generated), join(WORK_DIR, 'generated.yaml'), { baseDir: WORK_DIR });
}

/**
 * A TF.js-free engine: it checks the tasks it is given (batch sizes, sample ranges) and
 * answers with gradient norms derived from the sample indices, zeros included, so that the
 * whole round loop, S1–S4 and the time model run as in a real run.
 */
export function stubEngineFactory(plannedCheck: (problem: string) => void): EngineFactory {
  return async (options: EngineOptions): Promise<TrainEngine> => {
    const paramCount = options.initialParams.reduce((sum, p) => sum + p.length, 0);
    let evaluations = 0;
    let pending = 0;
    return {
      backend: 'stub',
      paramCount,
      async trainLocal(packed: EngineTasks) {
        const tasks = Array.from({ length: packed.count }, (_, k) => packed.task(k));
        pending = tasks.length;
        return Float64Array.from(tasks.map((task) => {
          if (task.stepBatches.length !== options.localSteps) plannedCheck(`a task has ${task.stepBatches.length} step batches`);
          let sum = 0;
          for (const batch of task.stepBatches) {
            if (batch.length === 0) plannedCheck('an empty step batch');
            for (const index of batch) {
              if (!(index >= 0 && index < options.train.samples)) plannedCheck(`sample index ${index} out of range`);
              sum += index;
            }
          }
          return sum % 5 === 0 ? 0 : (sum % 97) / 8;
        }));
      },
      aggregate(weights: Float64Array) {
        if (weights.length !== pending) plannedCheck(`${weights.length} weights for ${pending} tasks`);
        pending = 0;
      },
      discardLocal() {
        pending = 0;
      },
      async evaluate() {
        evaluations += 1;
        return { loss: 1 / evaluations, accuracy: (evaluations % 11) / 10 };
      },
      getParams: () => options.initialParams.map((p) => Float32Array.from(p)),
      dispose() {},
    };
  };
}

/** runScenario's set-up without TF.js: same data, same latency models, the given engine. */
export async function runWithEngine(scenario: Scenario, createEngine: EngineFactory): Promise<RunResult> {
  const prepared = prepareTraining({ data: scenario.data, nodes: scenario.cluster.nodes, seed: scenario.seed, hidden: scenario.model.hidden, shipped: nodeHost.shippedDataset });
  const network = lazyNetwork(scenario);
  const runs: StrategyRun[] = [];
  for (const strategy of scenario.strategies) {
    const run = await runStrategy({ scenario, strategy, stages: createStageRegistry().resolve(strategy), prepared, network, createEngine, backend: 'stub', trace: true });
    runs.push(run);
    // as runScenario: a diverged run ends the whole run
    if (run.diverged !== undefined) return { scenario, runs, diverged: { strategy: strategy.name, ...run.diverged } };
  }
  return { scenario, runs };
}

/** The outputs a user sees: the terminal tables and the JSON report (with --trace). */
export function renderOutputs(result: RunResult, which: { table: boolean } = { table: true }): { table: string; json: string } {
  return {
    table: which.table ? renderTableReport(result, { color: false, quiet: false }) : '',
    json: toJsonReport(result, { version: 'test', trace: true, timing: false }),
  };
}

/**
 * Runs the property; on failure throws one message with the seed, the replay path, every
 * broken invariant and the shrunk scenario as YAML (plus any generated trace file).
 */
export async function assertProperty<Rest extends unknown[]>(
  name: string,
  property: fc.IAsyncPropertyWithHooks<[GeneratedScenario, ...Rest]>,
  params: { numRuns: number; seed: number; path?: string },
): Promise<void> {
  const details = await fc.check(property, { ...params, endOnFailure: false });
  if (!details.failed) return;
  const [generated, ...rest] = details.counterexample ?? [];
  const traces = generated === undefined
    ? ''
    : Object.entries(generated.traces).map(([file, csv]) => `\n--- ${file} ---\n${csv}`).join('');
  const error = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
  throw new Error([
    `property "${name}" failed after ${details.numRuns} runs (${details.numShrinks} shrinks)`,
    `seed: ${details.seed}, path: "${details.counterexamplePath}" — replay: FUZZ_SEED=${details.seed} FUZZ_PATH=${details.counterexamplePath} npx vitest run test/properties`,
    error,
    ...(rest.length === 0 ? [] : [`other inputs: ${rest.map((value) => (typeof value === 'function' ? value.name : JSON.stringify(value))).join(', ')}`]),
    '--- shrunk scenario (YAML) ---',
    generated === undefined ? '(none)' : scenarioYaml(generated).trimEnd(),
  ].join('\n') + traces);
}
