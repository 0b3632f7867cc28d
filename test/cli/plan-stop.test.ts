/**
 * A sweep's or study's grid planned, and then checked, in steps with a turn of the event loop
 * between two: a signal is answered at the next step, with what was under way, how far it got
 * and nothing written (exit 130); the steps compute exactly what the work in one piece does.
 */
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eachInSteps, installPlanStop, onePiece } from '../../src/cli/plan-stop.js';
import { enforceGridLimits, GRID_LIMIT_STEP_RUNS, gridLimitSteps } from '../../src/limits/options.js';
import { DtrainError } from '../../src/errors.js';
import { PLAN_STEP_RUNS, planSweep, planSweepSteps } from '../../src/sweep/grid.js';
import { readScenarioSource } from '../../src/sweep/resolve-point.js';
import { parseSetArgs } from '../../src/sweep/set-spec.js';
import { runSteps } from '../../src/train/steps.js';

const FILE = join(import.meta.dirname, '..', 'sweep', 'fixtures', 'tiny.yaml');
const SOURCE = readScenarioSource(readFileSync(FILE, 'utf8'), FILE);
// tiny.yaml compares two strategies: 2,000 runs
const AXES = parseSetArgs(['seed=1..1000']);

describe('planSweepSteps', () => {
  it('plans what planSweep plans, a step every PLAN_STEP_RUNS runs, each reported', () => {
    const reported: Array<[number, number]> = [];
    const steps = planSweepSteps(SOURCE, AXES, undefined, undefined, { onPlanned: (planned, total) => reported.push([planned, total]) });
    let yields = 0;
    let step = steps.next();
    for (; step.done !== true; step = steps.next()) yields += 1;
    const whole = planSweep(SOURCE, AXES);
    expect(step.value.gridHash).toBe(whole.gridHash);
    expect(step.value.runs.map((run) => run.key)).toEqual(whole.runs.map((run) => run.key));
    expect(yields).toBe(Math.floor((2000 - 1) / PLAN_STEP_RUNS));
    expect(reported).toEqual(Array.from({ length: yields }, (_, i) => [(i + 1) * PLAN_STEP_RUNS, 2000]));
  });
});

describe('installPlanStop', () => {
  it('takes a turn between the steps and stops at the first turn after a signal: exit 130, how far it got, nothing written', async () => {
    const signals = new EventEmitter();
    let turns = 0;
    let signalledAt = 0;
    const stop = installPlanStop('sweep', { signals: signals as unknown as NodeJS.Process, turn: async () => void (turns += 1) });
    expect(signals.listenerCount('SIGINT')).toBe(1);
    expect(signals.listenerCount('SIGTERM')).toBe(1);
    const planning = stop.plan((progress) => planSweepSteps(SOURCE, AXES, undefined, undefined, {
      onPlanned(planned, total) {
        progress.onPlanned?.(planned, total);
        // the signal lands during the third step
        if (planned === 2 * PLAN_STEP_RUNS) {
          signalledAt = planned;
          signals.emit('SIGINT', 'SIGINT');
        }
      },
    }));
    const error = await planning.then(() => undefined, (thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(DtrainError);
    expect((error as DtrainError).message).toBe(`interrupted while planning the grid (${2 * PLAN_STEP_RUNS} of 2000 runs planned); nothing written`);
    expect((error as DtrainError).code).toBe('sweep.interrupted');
    expect((error as DtrainError).exitCode).toBe(130);
    // answered at the turn that follows the step the signal came in, no step later
    expect(signalledAt).toBe(2 * PLAN_STEP_RUNS);
    expect(turns).toBe(2);
    stop.dispose();
    expect(signals.listenerCount('SIGINT')).toBe(0);
    expect(signals.listenerCount('SIGTERM')).toBe(0);
  });

  it('a signal after planning, while the grid is checked, is answered at the last turn before anything is written', async () => {
    const signals = new EventEmitter();
    const stop = installPlanStop('study', { signals: signals as unknown as NodeJS.Process, turn: async () => {} });
    const plan = await stop.plan((progress) => planSweepSteps(SOURCE, AXES, undefined, undefined, progress));
    expect(plan.runs).toHaveLength(2000);
    await stop.checkpoint();
    signals.emit('SIGTERM', 'SIGTERM');
    await expect(stop.checkpoint()).rejects.toMatchObject({ code: 'study.interrupted', message: 'interrupted before the first run started; nothing written', exitCode: 130 });
    stop.dispose();
  });
});

describe('after planning', () => {
  const plan = planSweep(SOURCE, AXES);
  const runs = plan.runs.map((run) => ({ key: run.key, scenario: run.scenario, label: run.strategy }));
  const usage = { json: true, trace: false, streamed: true, jsonFlag: null };

  it('gridLimitSteps estimates what enforceGridLimits does, a step every so many runs, each counted', () => {
    expect(GRID_LIMIT_STEP_RUNS).toBeGreaterThan(0);
    const checked: number[] = [];
    const steps = gridLimitSteps(runs, { limits: true }, usage, (done) => checked.push(done), 300);
    let step = steps.next();
    for (; step.done !== true; step = steps.next());
    expect(step.value).toEqual(enforceGridLimits(runs, { limits: true }, usage));
    expect(step.value.size).toBe(2000);
    expect(checked).toEqual([300, 600, 900, 1200, 1500, 1800]);
    // a refusal still names the first run over budget
    expect(() => enforceGridLimits(runs, { limits: true, maxMemory: 1 }, usage)).toThrow(/^s1s4: /);
  });

  it('a signal during a loop over the runs stops it at the next turn, naming the loop and how far it got', async () => {
    const signals = new EventEmitter();
    const stop = installPlanStop('sweep', { signals: signals as unknown as NodeJS.Process, turn: async () => {} });
    const count = { done: 0 };
    const seen: number[] = [];
    // each item takes 20 ms: a step (about 50 ms of work) holds a few
    const slow = eachInSteps(Array.from({ length: 100 }, (_, i) => i), (i) => {
      seen.push(i);
      if (i === 5) signals.emit('SIGINT', 'SIGINT');
      const until = performance.now() + 20;
      while (performance.now() < until);
    }, count);
    await expect(stop.steps(slow, () => `checking things (${count.done} of 100 checked)`)).rejects.toMatchObject({
      code: 'sweep.interrupted', exitCode: 130, message: expect.stringMatching(/^interrupted while checking things \((\d+) of 100 checked\); nothing written$/),
    });
    expect(seen.length).toBeLessThan(20);
    expect(count.done).toBe(seen.length);
    stop.dispose();
  });

  it('a signal during work done in one piece is answered as it ends, naming it; after it, the message is the general one', async () => {
    const signals = new EventEmitter();
    const stop = installPlanStop('study', { signals: signals as unknown as NodeJS.Process, turn: async () => {} });
    expect(await stop.steps(onePiece(() => 7), () => 'reading the study.json already in --out x')).toBe(7);
    await expect(stop.steps(onePiece(() => signals.emit('SIGTERM', 'SIGTERM')), () => 'reading the study.json already in --out x')).rejects.toMatchObject({
      code: 'study.interrupted', exitCode: 130, message: 'interrupted while reading the study.json already in --out x; nothing written',
    });
    await expect(stop.checkpoint()).rejects.toMatchObject({ message: 'interrupted before the first run started; nothing written' });
    stop.dispose();
  });
});
