// Preloaded (--require) into the CLI by test/hostile/signals.test.ts: says on stderr once the
// process has a SIGTERM listener, i.e. once the CLI's own code has started. Before that, Node
// itself is still starting, and no program can answer a signal.
const poll = setInterval(() => {
  if (process.listenerCount('SIGTERM') === 0) return;
  clearInterval(poll);
  process.stderr.write('[catching SIGTERM]\n');
}, 1);
poll.unref();
