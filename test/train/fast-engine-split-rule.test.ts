/**
 * Which rounds the default engine offers to its second thread: n × parameters ≥ 2^20, and work
 * for tfjs in the round (a later local step, or a layer product too large for JS at the round's
 * largest batch). A small model whose every per-node product is done in JS starts no thread.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { makeRng } from '../../src/sim/rng.js';
import { initBackend } from '../../src/train/backend.js';
import type { EngineOptions, EngineTask } from '../../src/train/engine.js';
import { createFastEngine, PARALLEL_MIN_VALUES } from '../../src/train/fast-engine.js';
import { JS_PRODUCT_LIMIT } from '../../src/train/fast-sizes.js';
import { randomData, randomParams } from './engine-fixture.js';
import { EngineTasks } from '../../src/train/engine-tasks.js';

beforeAll(async () => {
  await initBackend('wasm');
});

/** A model 6 → hidden → 3 and a round of `count` tasks of `rows` rows each (all steps alike). */
function round(hidden: number, count: number, rows: number, localSteps = 1) {
  const rng = makeRng(3, 'split-rule', hidden, rows, localSteps);
  const train = randomData(rng, 400, 6);
  const options: EngineOptions = {
    train, test: randomData(rng, 20, 6), hidden: [hidden], learningRate: 0.1, localSteps, initialParams: randomParams(rng, [6, hidden, 3]),
  };
  const tasks: EngineTask[] = Array.from({ length: count }, () => ({
    stepBatches: Array.from({ length: localSteps }, () => Int32Array.from({ length: rows }, () => Math.floor(rng() * train.samples))),
  }));
  return { options, tasks };
}

/** How many times the engine asked for its helper over one round (the start never completes). */
async function helperAsks(hidden: number, count: number, rows: number, localSteps = 1): Promise<number> {
  const { options, tasks } = round(hidden, count, rows, localSteps);
  let asked = 0;
  const engine = await createFastEngine(options, { startHelper: () => { asked++; return new Promise(() => {}); } });
  try {
    await engine.trainLocal(EngineTasks.of(tasks));
  } finally {
    engine.dispose();
  }
  return asked;
}

describe('the rounds the default engine splits with a second thread', () => {
  it('6 → 12 → 3 (123 parameters) on 40 rows: every product in JS, so no thread however many nodes', async () => {
    // (6 + 1) · 40 · 12 = 3,360 and (12 + 1) · 40 · 3 = 1,560 multiply-adds, both ≤ 6,144
    expect((6 + 1) * 40 * 12).toBeLessThanOrEqual(JS_PRODUCT_LIMIT);
    const count = Math.ceil(PARALLEL_MIN_VALUES / 123);
    expect(count * 123).toBeGreaterThanOrEqual(PARALLEL_MIN_VALUES);
    expect(await helperAsks(12, count, 40)).toBe(0);
  });

  it('the same model with two local steps: the later step is tfjs work, so the thread is asked for', async () => {
    expect(await helperAsks(12, Math.ceil(PARALLEL_MIN_VALUES / 123), 8, 2)).toBe(1);
  });

  it('6 → 64 → 3 (643 parameters) on 14 rows: the first layer’s (6 + 1) · 14 · 64 = 6,272 is too large for JS', async () => {
    const count = Math.ceil(PARALLEL_MIN_VALUES / 643);
    expect(await helperAsks(64, count, 14)).toBe(1);
    // one row fewer: 5,824, in JS; and one node fewer than 2^20 values: not large enough
    expect(await helperAsks(64, count, 13)).toBe(0);
    expect(await helperAsks(64, count - 1, 14)).toBe(0);
  });
});
