/** commander option parsers shared by the commands: each throws InvalidArgumentError (exit 2). */
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InvalidArgumentError } from 'commander';
import { DtrainError } from '../errors.js';

export function positiveInt(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) {
      throw new InvalidArgumentError(`${flag} must be a whole number ≥ 1, found '${value}'.`);
    }
    return n;
  };
}

export function nonNegativeInt(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) {
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

/** Colour only on a terminal, never with NO_COLOR or --no-color (SPEC §4). */
export function useColor(flags: { color?: boolean }): boolean {
  return flags.color !== false && process.stdout.isTTY === true && !('NO_COLOR' in process.env);
}

/** An output file's directory must exist (and the file must not be a directory) before a long run starts. */
export function checkOutputPath(path: string, flag: string): string {
  const absolute = resolve(path);
  const dir = dirname(absolute);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new DtrainError('cli.invalidArgument', `${flag} ${path}: directory '${dirname(path)}' does not exist`);
  }
  // found now rather than when the rename fails after a long run
  if (existsSync(absolute) && statSync(absolute).isDirectory()) {
    throw new DtrainError('cli.invalidArgument', `${flag} ${path}: is a directory, expected a file name`);
  }
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw new DtrainError('cli.invalidArgument', `${flag} ${path}: directory '${dirname(path)}' is not writable`);
  }
  return absolute;
}
