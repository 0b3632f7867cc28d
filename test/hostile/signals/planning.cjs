// Preloaded (--require) into the CLI by the sweep and study tests of a signal while the grid is
// planned: says on stderr once a turn of the event loop comes while the command watches for
// signals besides the CLI's own handler (two SIGINT listeners), i.e. once planning is under way
// and taking turns. A planning that took no turns would never let this say it.
const poll = setInterval(() => {
  if (process.listenerCount('SIGINT') < 2) return;
  clearInterval(poll);
  process.stderr.write('[planning]\n');
}, 1);
poll.unref();
