/**
 * A progress bar on stderr for long runs (issue 4 item 5), fed by runScenario's onRound.
 * Shown only when stderr is a terminal, and only once a run has lasted PROGRESS_DELAY_MS of
 * wall time: short runs, pipes, CI logs and tests never see it. Cleared when the run ends,
 * so stdout and stderr keep only results and diagnostics. The cursor is left visible so an
 * interrupted run cannot leave the terminal without one.
 */
import { performance } from 'node:perf_hooks';
import cliProgress from 'cli-progress';
import type { RoundRecord } from '../sim/records.js';
import type { StrategySpec } from '../scenario/types.js';

/** Wall time after which a still-running simulation shows its bar. */
export const PROGRESS_DELAY_MS = 1000;

export interface RunProgress {
  onRound(record: RoundRecord, strategy: StrategySpec): void;
  /** clears the bar (if one was shown); safe to call more than once */
  stop(): void;
}

export interface ProgressOptions {
  /** false = never show a bar (`--no-progress`) */
  enabled?: boolean;
  stream?: NodeJS.WriteStream;
  delayMs?: number;
  now?: () => number;
}

const FORMAT = 'simulating [{bar}] {percentage}% · {value}/{total} rounds · {strategy} · ETA {eta_formatted}';

/** `totalRounds` = rounds × strategies. */
export function startProgress(totalRounds: number, options: ProgressOptions = {}): RunProgress {
  const bar = startCountProgress(FORMAT, options);
  let done = 0;
  return {
    onRound(_record, strategy) {
      done += 1;
      bar.update(done, totalRounds, { strategy: strategy.name });
    },
    stop: () => bar.stop(),
  };
}

/** A bar of `done` of `total` things, in `format` (cli-progress's), on the same terms as a run's. */
export interface CountProgress {
  update(done: number, total: number, payload?: Record<string, string>): void;
  /** clears the bar (if one was shown); safe to call more than once */
  stop(): void;
}

export function startCountProgress(format: string, options: ProgressOptions = {}): CountProgress {
  const stream = options.stream ?? process.stderr;
  const now = options.now ?? (() => performance.now());
  const delayMs = options.delayMs ?? PROGRESS_DELAY_MS;
  if (options.enabled === false || stream.isTTY !== true) return { update: () => {}, stop: () => {} };
  const startedMs = now();
  let bar: cliProgress.SingleBar | null = null;
  return {
    update(done, total, payload = {}) {
      if (bar === null) {
        if (now() - startedMs < delayMs) return;
        bar = new cliProgress.SingleBar(
          { stream, format, clearOnComplete: true, hideCursor: false, barsize: 24, etaBuffer: 20 },
          cliProgress.Presets.shades_classic,
        );
        bar.start(total, done, payload);
        return;
      }
      bar.setTotal(total);
      bar.update(done, payload);
    },
    stop() {
      bar?.stop();
      bar = null;
    },
  };
}
