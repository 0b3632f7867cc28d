/** commander option parsers shared by the commands: each throws InvalidArgumentError (exit 2). */
import { resolve } from 'node:path';
import { InvalidArgumentError } from 'commander';
import { OutputPlan } from './output-plan.js';

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

/**
 * A lone output file, checked before the command runs (src/cli/output-plan.ts): its directory
 * exists and is writable, it is not a directory. Returns the path to write (symlinks resolved).
 */
export function checkOutputPath(path: string, flag: string): string {
  const target = new OutputPlan().file(flag, path);
  return target.kind === 'file' || target.kind === 'special' ? target.path : resolve(path);
}
