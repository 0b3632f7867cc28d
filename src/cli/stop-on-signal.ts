/**
 * SIGINT and SIGTERM (what Kubernetes and Slurm send) before a command has taken them over,
 * or after it has let them go: stop with 130, the documented code for an interrupted command,
 * never the shell's 143 with no word. A command that stops at a round boundary adds its own
 * listener, and this one then leaves the signal to it. Installed when this module is
 * evaluated — src/cli.ts imports it first — so that it covers the time the others take to load.
 */
function stopOnSignal(signal: NodeJS.Signals): void {
  if (process.listenerCount(signal) > 1) return;
  process.stderr.write(`\n${signal}: stopped\n`);
  process.exit(130);
}

process.on('SIGINT', stopOnSignal);
process.on('SIGTERM', stopOnSignal);
