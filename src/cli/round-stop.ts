/**
 * Ctrl-C / SIGTERM while a run trains: the first one stops it at the next round boundary, so
 * that the finished rounds are kept (exit 130); a second one quits at once. Outside the run the
 * CLI's own handler (stop-on-signal.ts) exits 130 straight away, so this one is installed
 * around the run and the writing of its outputs (a first signal after the last round must not
 * lose them) only, and leaves only when no signal came (after one, a second must still quit).
 */
export interface RoundStop {
  requested: () => boolean;
  /**
   * Asked at each round boundary (the run's shouldStop): true stops the run there; false
   * means a round starts, after which a signal is answered "after the current round" (before
   * it, while the data is prepared, "before the first round").
   */
  atRoundBoundary: () => boolean;
  /**
   * The run is over and its outputs are being written: a first signal now lets them be
   * written (a finished run is not thrown away), and says so; a second still quits at once.
   */
  writingOutputs: () => void;
  dispose: () => void;
}

export function installRoundStop(options: { announce: boolean }): RoundStop {
  let requested = false;
  let writing = false;
  let roundStarted = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (requested) process.exit(130);
    requested = true;
    if (!options.announce) return;
    const when = writing ? 'the run had finished; writing its outputs first' : roundStarted ? 'stopping after the current round' : 'stopping before the first round';
    process.stderr.write(`\n${signal}: ${when} (send it again to quit now)\n`);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    requested: () => requested,
    atRoundBoundary: () => {
      if (!requested) roundStarted = true;
      return requested;
    },
    writingOutputs: () => {
      writing = true;
    },
    dispose: () => {
      if (requested) return;
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
