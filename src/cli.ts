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
import { isKnownError } from './errors.js';
import { writeProblem } from './output-file.js';
import { escapeForTerminal, escapeLinesForTerminal, hasUnsafeCharacters } from './text/terminal-escape.js';
import { VERSION } from './version.js';

type Register = (program: Command) => void;
/** A command's name and how to load the function that registers it. */
type CommandEntry = readonly [name: string, load: () => Promise<Register>];

/** Every command, in the order `dtrain --help` lists them, with the module that registers it. */
const COMMANDS: readonly CommandEntry[] = [
  ['simulate', async () => (await import('./cli/simulate.js')).registerSimulate],
  ['validate', async () => (await import('./cli/validate.js')).registerValidate],
  ['check', async () => (await import('./cli/check.js')).registerCheck],
  ['sweep', async () => (await import('./cli/sweep.js')).registerSweep],
  ['study', async () => (await import('./cli/study.js')).registerStudy],
  ['merge', async () => (await import('./cli/merge.js')).registerMerge],
  ['explain', async () => (await import('./cli/explain.js')).registerExplain],
  ['init', async () => (await import('./cli/init.js')).registerInit],
  ['schema', async () => (await import('./cli/schema.js')).registerSchema],
  ['scenarios', async () => (await import('./cli/scenarios.js')).registerScenarios],
  ['calibrate', async () => (await import('./cli/calibrate.js')).registerCalibrate],
  ['export', async () => (await import('./cli/export.js')).registerExport],
  ['playground', async () => (await import('./cli/playground.js')).registerPlayground],
];

/**
 * The commands `argv` needs registered: the one it names, or every one (help, a flag, a word
 * that names no command, which commander then answers with the list). Each command's module
 * loads what the command runs, so loading only the one that runs makes every command start
 * sooner: `dtrain validate` loaded every other command's modules too.
 */
function commandsFor(argv: readonly string[]): readonly CommandEntry[] {
  const named = COMMANDS.find(([name]) => name === argv[2]);
  return named === undefined ? COMMANDS : [named];
}

/**
 * commander quotes a bad argument as it was given: one holding a line break would start a line
 * of its own (`--seeds $'1\nerror: …'` forged a second error line), so each argument (and an
 * option's value after `=` or a short flag) is escaped whole before the lines are.
 */
export function escapeArguments(text: string, argv: readonly string[]): string {
  const pieces = new Set<string>();
  for (const arg of argv.slice(2)) {
    pieces.add(arg);
    const equals = arg.indexOf('=');
    if (arg.startsWith('--') && equals > 0) pieces.add(arg.slice(equals + 1));
    else if (/^-[^-]/.test(arg)) pieces.add(arg.slice(2));
  }
  let escaped = text;
  // longest first, so that a piece inside a longer one does not split it
  for (const piece of [...pieces].filter(hasUnsafeCharacters).sort((a, b) => b.length - a.length)) {
    escaped = escaped.split(piece).join(escapeForTerminal(piece));
  }
  return escaped;
}

async function buildProgram(argv: readonly string[]): Promise<Command> {
  const program = new Command('dtrain')
    .description('Simulate a data-parallel training cluster and run the S1–S4 method of CN120234158A on it.')
    .version(VERSION, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(escapeLinesForTerminal(escapeArguments(text, argv))) });
  const registers = await Promise.all(commandsFor(argv).map(([, load]) => load()));
  for (const register of registers) register(program);
  return program;
}

function report(error: unknown): void {
  if (error instanceof CommanderError) {
    // commander already printed its message. Help and version asked for are successes; the
    // help shown for a missing command (`dtrain`, `dtrain export`) is a usage error, which
    // commander marks with a non-zero exit code.
    const success = ['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(error.code) && error.exitCode === 0;
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
    const program = await buildProgram(argv);
    // `dtrain` alone names no command: commander prints the help on stderr, exit 2 (report)
    await program.parseAsync(argv);
  } catch (error) {
    report(error);
  } finally {
    settled = true;
  }
}

await main(process.argv);
