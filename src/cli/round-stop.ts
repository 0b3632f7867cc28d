/**
 * Ctrl-C / SIGTERM while a run trains: the first one stops it at the next round boundary, so
 * that the finished rounds are kept (exit 130); a second one quits at once. Outside the run the
 * CLI's own handler (stop-on-signal.ts) exits 130 straight away, so this one is installed around
 * the run only, and leaves only when no signal came (after one, a second must still quit).
 */
export interface RoundStop {
  requested: () => boolean;
  dispose: () => void;
}

export function installRoundStop(options: { announce: boolean }): RoundStop {
  let requested = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (requested) process.exit(130);
    requested = true;
    if (options.announce) process.stderr.write(`\n${signal}: stopping after the current round (send it again to quit now)\n`);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    requested: () => requested,
    dispose: () => {
      if (requested) return;
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
