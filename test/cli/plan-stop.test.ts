/**
 * A sweep's or study's grid planned in steps with a turn of the event loop between two: a
 * signal is answered at the next step, with how far planning got and nothing written (exit
 * 130); the steps plan exactly what planning in one piece plans.
 */
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { installPlanStop } from '../../src/cli/plan-stop.js';
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
