/**
 * `dtrain calibrate --measure`: times one node's local steps of the scenario's own model on
 * this host, with the engine simulations train with (the fast engine; wasm unless it cannot
 * start), at every batch size asked for. Per size: untimed warm-up calls (JIT, XNNPACK
 * operator creation), then `repetitions` timed blocks of back-to-back calls, each block long
 * enough (~BLOCK_MS) for the timer's resolution not to matter; the sizes take turns block by
 * block, so a slow spell of the machine hits every size alike (as bench/bench.mjs does). A
 * call is one `trainLocal` of one task, i.e. `localSteps` steps; its time / localSteps is the
 * step time the simulator's time model describes.
 */
import { DtrainError, isKnownError } from '../errors.js';
import type { Scenario } from '../scenario/types.js';
import { initBackend, type BackendPreference } from '../train/backend.js';
import { EngineTasks, type TrainEngine } from '../train/engine.js';
import { countParams, layerWidths } from '../train/params.js';
import { datasetShape } from '../limits/dataset-shape.js';
import { nodeHost } from './host.js';
import { yieldTurn } from './yield-turn.js';

const WARM_UP_MS = 200;
const BLOCK_MS = 60;
/** A model this large is refused before anything is allocated: its copies alone would not fit. */
const MAX_PARAMETERS = 100_000_000;

export interface StepTimings {
  backend: string;
  /** `64 → 32 → 10 (2,410 parameters)` */
  model: string;
  /** per size, the step time of each repetition in ms, in the order of `sizes` */
  repetitionsMs: number[][];
}

export interface MeasureOptions {
  sizes: readonly number[];
  repetitions: number;
  backend?: BackendPreference;
  /** `where` points a refusal at the scenario's model field (file:line:col) */
  where: string;
  /**
   * Called once the model's size is known to be buildable, before the dataset, the engine or a
   * batch is allocated: a refusal thrown here (the budget) leaves nothing allocated or measured.
   */
  beforeAllocating?: () => void;
  onProgress?: (message: string) => void;
}

function unbuildable(where: string, why: string): DtrainError {
  return new DtrainError('calibrate.modelUnbuildable', `${where}  model: the scenario's model cannot be built on this host: ${why}; nothing was measured`, {
    hint: 'check model.hidden and the dataset',
  });
}

function task(batch: number, localSteps: number, samples: number): EngineTasks {
  return EngineTasks.of([{
    stepBatches: Array.from({ length: localSteps }, (_, s) => Int32Array.from({ length: batch }, (_, j) => (s * batch + j) % samples)),
  }]);
}

async function timeCalls(engine: TrainEngine, work: EngineTasks, calls: number): Promise<number> {
  const start = performance.now();
  for (let c = 0; c < calls; c++) {
    await engine.trainLocal(work);
    engine.discardLocal();
  }
  return performance.now() - start;
}

async function buildEngine(scenario: Scenario, options: MeasureOptions): Promise<{ engine: TrainEngine; backend: string; model: string; samples: number }> {
  const { prepareTraining } = await import('../train/prepare.js');
  const { createFastEngine } = await import('../train/fast-engine.js');
  const backend = await initBackend(options.backend ?? 'auto');
  const { hidden, learningRate, localSteps } = scenario.model;
  // sized from the dataset's shape first: a huge layer is refused before anything is allocated
  const shape = datasetShape(scenario.data.dataset);
  const params = countParams(shape.features, hidden, shape.classes);
  const model = `${layerWidths(shape.features, hidden, shape.classes).join(' → ')} (${params.toLocaleString('en-US')} parameters)`;
  if (params > MAX_PARAMETERS) throw unbuildable(options.where, `${model} has more than ${MAX_PARAMETERS.toLocaleString('en-US')} parameters`);
  options.beforeAllocating?.();
  try {
    const prepared = prepareTraining({ data: scenario.data, nodes: scenario.cluster.nodes, seed: scenario.seed, hidden, shipped: nodeHost.shippedDataset });
    const engine = await createFastEngine({ train: prepared.train, test: prepared.test, hidden, learningRate, localSteps, initialParams: prepared.initialParams });
    return { engine, backend, model, samples: prepared.train.samples };
  } catch (error) {
    if (isKnownError(error)) throw error;
    throw unbuildable(options.where, error instanceof Error ? error.message : String(error));
  }
}

export async function measureSteps(scenario: Scenario, options: MeasureOptions): Promise<StepTimings> {
  const { engine, backend, model, samples } = await buildEngine(scenario, options);
  const { localSteps } = scenario.model;
  const progress = options.onProgress ?? (() => {});
  try {
    const works = options.sizes.map((batch) => task(batch, localSteps, samples));
    const calls: number[] = [];
    for (const [k, work] of works.entries()) {
      progress(`warming up batch ${options.sizes[k]} (${k + 1}/${works.length})`);
      let done = 0;
      const start = performance.now();
      do {
        await timeCalls(engine, work, 1);
        done++;
      } while (performance.now() - start < WARM_UP_MS || done < 3);
      const perCall = (performance.now() - start) / done;
      calls.push(Math.max(1, Math.round(BLOCK_MS / perCall)));
      await yieldTurn();
    }
    const repetitionsMs = works.map((): number[] => []);
    for (let rep = 0; rep < options.repetitions; rep++) {
      progress(`timing repetition ${rep + 1}/${options.repetitions} of ${works.length} batch sizes`);
      for (const [k, work] of works.entries()) {
        const elapsed = await timeCalls(engine, work, calls[k]!);
        repetitionsMs[k]!.push(elapsed / (calls[k]! * localSteps));
      }
      await yieldTurn();
    }
    return { backend, model, repetitionsMs };
  } catch (error) {
    if (isKnownError(error)) throw error;
    throw unbuildable(options.where, error instanceof Error ? error.message : String(error));
  } finally {
    engine.dispose();
  }
}
