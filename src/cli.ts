/**
 * The command line (SPEC §5). src/cli.ts and src/cli/ are the only modules that touch argv,
 * stdout, stderr and the exit code: commander parses flags, each command calls the
 * data-returning core and hands its result to a reporter. Known errors print as `error: …`
 * with exit 2 (1 for runtime failures); anything else is a bug and keeps its stack.
 */
// first: signals that arrive while the other modules load are handled too
import './cli/stop-on-signal.js';
import { writeSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { registerSimulate } from './cli/simulate.js';
import { registerValidate } from './cli/validate.js';
import { registerCheck } from './cli/check.js';
import { registerSweep } from './cli/sweep.js';
import { registerMerge } from './cli/merge.js';
import { registerStudy } from './cli/study.js';
import { registerExplain } from './cli/explain.js';
import { registerInit } from './cli/init.js';
import { registerSchema } from './cli/schema.js';
import { registerScenarios } from './cli/scenarios.js';
import { registerCalibrate } from './cli/calibrate.js';
import { registerExport } from './cli/export.js';
import { registerPlayground } from './cli/playground.js';
import { isKnownError } from './errors.js';
import { writeProblem } from './output-file.js';
import { escapeLinesForTerminal } from './text/terminal-escape.js';
import { VERSION } from './version.js';

function buildProgram(): Command {
  const program = new Command('dtrain')
    .description('Simulate a data-parallel training cluster and run the S1–S4 method of CN120234158A on it.')
    .version(VERSION, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(escapeLinesForTerminal(text)) });
  registerSimulate(program);
  registerValidate(program);
  registerCheck(program);
  registerSweep(program);
  registerStudy(program);
  registerMerge(program);
  registerExplain(program);
  registerInit(program);
  registerSchema(program);
  registerScenarios(program);
  registerCalibrate(program);
  registerExport(program);
  registerPlayground(program);
  return program;
}

function report(error: unknown): void {
  if (error instanceof CommanderError) {
    // commander already printed its message; help and version are successes.
    const success = ['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(error.code);
    process.exitCode = success ? 0 : 2;
    return;
  }
  if (isKnownError(error)) {
    // messages quote file names and values from users' and shared files: no control sequence gets through
    process.stderr.write(`error: ${escapeLinesForTerminal(error.message)}\n`);
    if (error.hint !== undefined) process.stderr.write(`hint: ${escapeLinesForTerminal(error.hint)}\n`);
    process.exitCode = error.exitCode;
    return;
  }
  // We shouldn't arrive here, but not swallow either: a bug keeps its stack (exit 1).
  throw error;
}

/**
 * A reader that closes the pipe early (`dtrain … | head`) is not an error of ours. Any other
 * failure to write the terminal text (stdout on a full disk, /dev/full, a vanished mount) is
 * one line on standard error, if that still works, and exit 1 — never a stack.
 */
function onWriteError(stream: NodeJS.WriteStream, name: string): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    if (name === 'standard output') {
      try {
        writeSync(2, `error: cannot write to ${name}: ${writeProblem(error)}\n`);
      } catch {
        // standard error is gone too: the exit code is all that is left
      }
    }
    process.exit(1);
  });
}

export async function main(argv: string[]): Promise<void> {
  // A command that never settles (a plug-in whose registration never resolves) would let Node
  // exit 0 once nothing is left to do: say so and exit 1 instead.
  // ('beforeExit' comes only when the event loop runs dry, never after process.exit)
  let settled = false;
  process.once('beforeExit', () => {
    if (settled) return;
    process.stderr.write('error: the command stopped before it finished (something it waited for never settled, e.g. a plug-in\'s promise)\n');
    process.exitCode = 1;
  });
  onWriteError(process.stdout, 'standard output');
  onWriteError(process.stderr, 'standard error');
  try {
    const program = buildProgram();
    // `dtrain` alone asks for the help: it goes to stdout (commander would print it on stderr)
    if (argv.length <= 2) {
      process.stdout.write(program.helpInformation());
      return;
    }
    await program.parseAsync(argv);
  } catch (error) {
    report(error);
  } finally {
    settled = true;
  }
}

await main(process.argv);
