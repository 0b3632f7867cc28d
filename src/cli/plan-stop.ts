/**
 * Ctrl-C / SIGTERM while a sweep or study plans its grid: every point is resolved and hashed
 * before anything is written (about 0.3 ms a run, minutes for a grid of a million runs), and a
 * signal must not wait for that, nor let the sweep write its manifest first. The grid is
 * planned in steps with a turn of the event loop between two; a signal stops it at the next
 * turn with exit 130, nothing written. The watch lasts until the command is about to write,
 * so the checks after planning (limits, the output folder) are covered by one more turn.
 */
import { DtrainError } from '../errors.js';
import { yieldTurn } from '../node/yield-turn.js';
import type { PlanProgress, SweepPlan } from '../sweep/grid.js';
import { runStepsWithTurns, type Steps } from '../train/steps.js';
import { startCountProgress, type ProgressOptions } from './progress.js';

export interface PlanStop {
  /** the grid, planned with a turn between steps and, on a terminal, a bar once it takes a while */
  plan(steps: (progress: PlanProgress) => Steps<SweepPlan>): Promise<SweepPlan>;
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
  let planning: { planned: number; total: number } | undefined;
  let planned = false;
  const onSignal = (): void => {
    signalled = true;
  };
  signals.on('SIGINT', onSignal);
  signals.on('SIGTERM', onSignal);
  const checkpoint = async (): Promise<void> => {
    await turn();
    if (!signalled) return;
    const where = planned || planning === undefined
      ? 'before the first run started'
      : `while planning the grid (${planning.planned} of ${planning.total} runs planned)`;
    throw new DtrainError(`${command}.interrupted`, `interrupted ${where}; nothing written`, { exitCode: 130 });
  };
  return {
    async plan(steps) {
      const bar = startCountProgress(`${command}: planning [{bar}] {percentage}% · {value}/{total} runs · ETA {eta_formatted}`, options.progress);
      try {
        const plan = await runStepsWithTurns(steps({
          onPlanned: (done, total) => {
            planning = { planned: done, total };
            bar.update(done, total);
          },
        }), checkpoint);
        planned = true;
        return plan;
      } finally {
        bar.stop();
      }
    },
    checkpoint,
    dispose() {
      signals.off('SIGINT', onSignal);
      signals.off('SIGTERM', onSignal);
    },
  };
}
