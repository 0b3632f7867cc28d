/**
 * The fast engine with and without its kernels (src/train/kernels/): every node's step-1
 * gradient by one WebAssembly kernel, or by tfjs's products as before; θ_{t+1}'s sums by
 * another, or in JavaScript. Same bytes, in every mode the engine has: held or recomputed U_i,
 * kept or fresh batches, one or several local steps, a large model whose products went to
 * XNNPACK and a small one whose went to JS; and a later local step's products in JS or by a
 * kernel, or all by tfjs. And a chunk's rows and a later step's arrays reused, or made anew each time.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { makeRng } from '../../src/sim/rng.js';
import { initBackend } from '../../src/train/backend.js';
import type { EngineOptions, EngineTask, TrainEngine } from '../../src/train/engine.js';
import { EngineTasks } from '../../src/train/engine-tasks.js';
import { createFastEngine, type FastEngineTuning } from '../../src/train/fast-engine.js';
import { randomData, randomParams } from './engine-fixture.js';

beforeAll(async () => {
  await initBackend('wasm');
});

interface Case {
  name: string;
  widths: number[];
  rows: number;
  tasks: number;
  localSteps: number;
  keepBatches: boolean;
  tuning: FastEngineTuning;
}

const CASES: Case[] = [
  { name: '64 → 64 → 10, 32 rows, 1 step, fresh batches', widths: [64, 64, 10], rows: 32, tasks: 150, localSteps: 1, keepBatches: false, tuning: {} },
  { name: 'the same with kept batches', widths: [64, 64, 10], rows: 32, tasks: 150, localSteps: 1, keepBatches: true, tuning: {} },
  { name: '16 → 16 → 4, 8 rows, 3 steps', widths: [16, 16, 4], rows: 8, tasks: 60, localSteps: 3, keepBatches: false, tuning: {} },
  { name: '64 → 64 → 10, 32 rows, 2 steps: a later step’s layers by the kernel', widths: [64, 64, 10], rows: 32, tasks: 30, localSteps: 2, keepBatches: false, tuning: {} },
  { name: '40 → 16 → 4, 32 rows, 2 steps: a later step’s first layer by the kernel (or tfjs), its second in JS (or by the kernel in its memory)', widths: [40, 16, 4], rows: 32, tasks: 40, localSteps: 2, keepBatches: false, tuning: {} },
  { name: '6 → 5 → 4 → 3, 1 to 40 rows, 3 steps, kept batches', widths: [6, 5, 4, 3], rows: 40, tasks: 50, localSteps: 3, keepBatches: true, tuning: { maxHeldValues: 1e9 } },
  { name: '10 → 12 → 9 → 3, 1 to 40 rows, U_i recomputed for the aggregate', widths: [10, 12, 9, 3], rows: 40, tasks: 90, localSteps: 1, keepBatches: false, tuning: { maxHeldValues: 1000, chunkValues: 20 * 267 } },
];

/** Three rounds of tasks (new batches each round) and their weights. */
function problem(c: Case) {
  const rng = makeRng(5, 'kernel-engine', c.name);
  const train = randomData(rng, 600, c.widths[0]!, c.widths.at(-1)!);
  const options: EngineOptions = {
    train, test: randomData(rng, 50, c.widths[0]!, c.widths.at(-1)!), hidden: c.widths.slice(1, -1), learningRate: 0.3,
    localSteps: c.localSteps, initialParams: randomParams(rng, c.widths), keepBatches: c.keepBatches,
  };
  const rounds = [0, 1, 2].map((round) => {
    const tasks: EngineTask[] = Array.from({ length: c.tasks }, (_, i) => {
      const rows = c.tuning.maxHeldValues === undefined ? c.rows : 1 + ((i * 7 + round) % c.rows);
      return { stepBatches: Array.from({ length: c.localSteps }, () => Int32Array.from({ length: rows }, () => Math.floor(rng() * train.samples))) };
    });
    const raw = Float64Array.from({ length: c.tasks }, () => 0.1 + rng());
    const total = raw.reduce((a, b) => a + b, 0);
    return { tasks: EngineTasks.of(tasks), weights: raw.map((w) => w / total) };
  });
  return { options, rounds };
}

const hex = (values: Float32Array | Float64Array): string => Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('hex');

async function run(engine: TrainEngine, rounds: ReturnType<typeof problem>['rounds']): Promise<string[]> {
  const out: string[] = [];
  try {
    for (const { tasks, weights } of rounds) {
      out.push(hex(await engine.trainLocal(tasks)));
      engine.aggregate(weights);
      const { loss, accuracy } = await engine.evaluate();
      out.push(hex(Float64Array.of(loss, accuracy)));
    }
    out.push(...engine.getParams().map(hex));
  } finally {
    engine.dispose();
  }
  return out;
}

describe.each<[string, FastEngineTuning]>([
  ['the gradient kernel (against tfjs’s products)', { gradientKernel: false }],
  ['the sum kernel (against the JavaScript sums)', { sumKernel: false }],
  ['a later step’s products in JS or by a kernel (against tfjs’s)', { laterStepProducts: false }],
  // 150 tasks of 32 rows are two chunks a round (4,096 rows, then 704), the recomputed case several
  ['reused arrays: each chunk gathered into the one before’s, a node’s later steps in the kernel’s memory, every layer by the kernel (against arrays of their own, small layers in JS)', { reusedArrays: false }],
])('%s changes no number', (_, without) => {
  for (const c of CASES) {
    it(c.name, async () => {
      const { options, rounds } = problem(c);
      const withKernel = await run(await createFastEngine(options, c.tuning), rounds);
      const withoutKernel = await run(await createFastEngine(options, { ...c.tuning, ...without }), rounds);
      expect(withKernel).toHaveLength(3 * 2 + 2 * (c.widths.length - 1));
      expect(withKernel).toEqual(withoutKernel);
      // the rounds moved θ: the comparison is of trained parameters, not the start
      expect(withKernel.at(-2)).not.toBe(hex(options.initialParams.at(-2)!));
    });
  }
});

it('reused arrays change no number where a later step’s products all go to tfjs', async () => {
  const c = CASES.find((entry) => entry.name.includes('a later step’s layers by the kernel'))!;
  const { options, rounds } = problem(c);
  const reused = await run(await createFastEngine(options, { laterStepProducts: false }), rounds);
  const fresh = await run(await createFastEngine(options, { laterStepProducts: false, reusedArrays: false }), rounds);
  expect(reused).toEqual(fresh);
  expect(reused.at(-2)).not.toBe(hex(options.initialParams.at(-2)!));
});
