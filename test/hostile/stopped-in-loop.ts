/**
 * The sweep's and study's tests of a signal after planning: the CLI with one fs call on a run's
 * file made slower (signals/slow-runs-files.cjs), the signal sent when that call is first made,
 * and what the CLI must then have said and left.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { ROOT, runCli, type CliResult } from './cli.js';

export type SlowCall = 'lstatSync' | 'openSync';

/** `args` run with `call` on a run's file 2 ms slower, `signal` sent the first time it is made. */
export function runSignalledInLoop(args: string[], call: SlowCall, signal: NodeJS.Signals): Promise<CliResult> {
  return runCli(args, {
    env: { NODE_OPTIONS: `--require ${join(ROOT, 'test', 'hostile', 'signals', 'slow-runs-files.cjs')}`, DTRAIN_TEST_SLOW: call },
    onStderr: (chunk, pid) => {
      if (chunk.includes(`[${call}]\n`)) process.kill(pid, signal);
    },
  });
}

/** Exit 130, one line saying in which loop over `out` it stopped and how far of `total` `what` it got, `out` not made. */
export function expectStoppedInLoop(run: CliResult, call: SlowCall, where: string, out: string, total: number, what: string): void {
  expect(run.status).toBe(130);
  expect(run.stdout).toBe('');
  const lines = run.stderr.split('\n');
  expect(lines[0]).toBe(`[${call}]`);
  const prefix = `error: interrupted while ${where} ${out} (`;
  expect(lines[1]!.startsWith(prefix), run.stderr).toBe(true);
  const match = /^(\d+) of (\d+) ([a-z ]+)\); nothing written$/.exec(lines[1]!.slice(prefix.length));
  expect(match, run.stderr).not.toBeNull();
  expect(Number(match![1])).toBeLessThan(total);
  expect([Number(match![2]), match![3]]).toEqual([total, what]);
  expect(lines.slice(2)).toEqual(['']);
  expect(existsSync(out)).toBe(false);
}
