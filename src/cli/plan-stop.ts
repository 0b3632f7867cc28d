/**
 * Ctrl-C / SIGTERM while a sweep or study gets ready to run: every point is resolved and
 * hashed (about 0.3 ms a run, minutes for a grid of a million runs), then each run is
 * estimated, its output files checked and any stored result read for a resume (seconds more
 * for a grid of 100,000 runs), all before anything is written, and a signal must wait for none
 * of it. Each of these loops runs in steps with a turn of the event loop between two; a signal
 * stops it at the next turn with exit 130, saying which loop it stopped and how far it got,
 * nothing written. The watch lasts until the command writes its manifest and its runs start.
 */
import { DtrainError } from '../errors.js';
import { yieldTurn } from '../node/yield-turn.js';
import type { PlanProgress, SweepPlan } from '../sweep/grid.js';
import { runStepsWithTurns, type Steps } from '../train/steps.js';
import { startCountProgress, type ProgressOptions } from './progress.js';

/**
 * Work between two turns of eachInSteps: short enough that a Ctrl-C is answered at once, long
 * enough that the turns cost nothing measurable.
 */
const STEP_MS = 50;

/**
 * `each` on every item, in steps of about STEP_MS of work, timed rather than counted: an item
 * may be a missing file (some 40 µs) or a stored report of megabytes to read. `count.done`
 * counts the items done, for a message saying how far it got.
 */
export function* eachInSteps<T>(items: readonly T[], each: (item: T) => void, count: { done: number } = { done: 0 }): Steps<void> {
  let since = performance.now();
  for (const item of items) {
    if (performance.now() - since >= STEP_MS) {
      yield;
      since = performance.now();
    }
    each(item);
    count.done += 1;
  }
}

/** How far a loop got, for an interruption's message: `(40000 of 100000 runs estimated)`. */
export function howFar(count: { done: number }, total: number, what: string): string {
  return `(${count.done} of ${total} ${what})`;
}

/** `work` as one step: PlanStop.steps then answers a signal that came during it by its name. */
export function* onePiece<T>(work: () => T): Steps<T> {
  return work();
}

export interface PlanStop {
  /** the grid, planned with a turn between steps and, on a terminal, a bar once it takes a while */
  plan(steps: (progress: PlanProgress) => Steps<SweepPlan>): Promise<SweepPlan>;
  /**
   * `steps` with a turn between two and one after the last; a signal meanwhile stops them, the
   * message saying `interrupted while ${where()}` (`where` reads how far they got).
   */
  steps<T>(steps: Steps<T>, where: () => string): Promise<T>;
  /** a turn of the event loop; then the interruption, if a signal came */
  checkpoint(): Promise<void>;
  /** stops watching: from here the command's own handling of signals applies */
  dispose(): void;
}

/** Where the signals come from (the process; a test's emitter). */
type SignalSource = Pick<NodeJS.Process, 'on' | 'off'>;

export function installPlanStop(command: 'sweep' | 'study', options: { progress?: ProgressOptions; signals?: SignalSource; turn?: () => Promise<void> } = {}): PlanStop {
  const signals = options.signals ?? process;
  const turn = options.turn ?? yieldTurn;
  let signalled = false;
  // what is under way, for the message; between two loops, nothing but quick checks
  let where: (() => string) | undefined;
  const onSignal = (): void => {
    signalled = true;
  };
  signals.on('SIGINT', onSignal);
  signals.on('SIGTERM', onSignal);
  const checkpoint = async (): Promise<void> => {
    await turn();
    if (!signalled) return;
    const at = where === undefined ? 'before the first run started' : `while ${where()}`;
    throw new DtrainError(`${command}.interrupted`, `interrupted ${at}; nothing written`, { exitCode: 130 });
  };
  const steps = async <T>(body: Steps<T>, at: () => string): Promise<T> => {
    where = at;
    try {
      const result = await runStepsWithTurns(body, checkpoint);
      // a signal during the last step is answered here, naming what it interrupted
      await checkpoint();
      return result;
    } finally {
      where = undefined;
    }
  };
  return {
    async plan(planSteps) {
      const bar = startCountProgress(`${command}: planning [{bar}] {percentage}% · {value}/{total} runs · ETA {eta_formatted}`, options.progress);
      let planning: { planned: number; total: number } | undefined;
      try {
        return await steps(planSteps({
          onPlanned: (done, total) => {
            planning = { planned: done, total };
            bar.update(done, total);
          },
        }), () => (planning === undefined ? 'planning the grid' : `planning the grid (${planning.planned} of ${planning.total} runs planned)`));
      } finally {
        bar.stop();
      }
    },
    steps,
    checkpoint,
    dispose() {
      signals.off('SIGINT', onSignal);
      signals.off('SIGTERM', onSignal);
    },
  };
}
