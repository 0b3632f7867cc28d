/** commander option parsers shared by the commands: each throws InvalidArgumentError (exit 2). */
import { resolve } from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import { OutputPlan } from './output-plan.js';

export function positiveInt(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1) {
      throw new InvalidArgumentError(`${flag} must be a whole number ≥ 1, found '${value}'.`);
    }
    return n;
  };
}

export function nonNegativeInt(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) {
      throw new InvalidArgumentError(`${flag} must be a whole number ≥ 0, found '${value}'.`);
    }
    return n;
  };
}

export function strategyList(value: string): string[] {
  const names = value.split(',').map((name) => name.trim()).filter((name) => name !== '');
  if (names.length === 0) throw new InvalidArgumentError('expected one or more strategy names, e.g. s1s4,sync-sgd.');
  return names;
}

/** Which setting decides colour, strongest first; also the help text's wording. */
export const COLOR_PRECEDENCE = '--no-color > --color > NO_COLOR > FORCE_COLOR > stdout is a terminal';

/**
 * Colour in the terminal report, decided in the order of COLOR_PRECEDENCE: the flags, then
 * NO_COLOR (set and not empty: off, as no-color.org says), then FORCE_COLOR (set and not
 * `0` or `false`: on even into a pipe, as CI logs that render ANSI want), then whether
 * stdout is a terminal.
 */
export function useColor(
  flags: { color?: boolean },
  env: NodeJS.ProcessEnv = process.env,
  isTerminal: boolean = process.stdout.isTTY === true,
): boolean {
  if (flags.color !== undefined) return flags.color;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '0' && force !== 'false') return true;
  return isTerminal;
}

/** `--color` and `--no-color` on `command`; --no-color wins whichever comes last. */
export function addColorOptions(command: Command): Command {
  let refused = false;
  command
    .option('--color', `force colours even when stdout is not a terminal (precedence: ${COLOR_PRECEDENCE})`)
    .option('--no-color', 'no colours (colour is also off when NO_COLOR is set or stdout is not a terminal)');
  command.on('option:no-color', () => { refused = true; });
  // commander's own listener ran first and set true; a --no-color anywhere keeps it off
  command.on('option:color', () => { if (refused) command.setOptionValue('color', false); });
  return command;
}

/**
 * A lone output file, checked before the command runs (src/cli/output-plan.ts): its directory
 * exists and is writable, it is not a directory. Returns the path to write (symlinks resolved).
 */
export function checkOutputPath(path: string, flag: string): string {
  const target = new OutputPlan().file(flag, path);
  return target.kind === 'file' || target.kind === 'special' ? target.path : resolve(path);
}
