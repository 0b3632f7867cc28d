/**
 * A command line that names no command (`dtrain`, `dtrain export`) is a usage error: the help
 * on standard error and exit 2, so that `dtrain export && …` stops. Help asked for is exit 0.
 */
import { describe, expect, it } from 'vitest';
import { dtrain } from './run-dtrain.js';

describe('a missing command', () => {
  it('dtrain alone: the help on stderr, exit 2', () => {
    const run = dtrain([]);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^Usage: dtrain \[options\] \[command\]\n/);
    expect(run.stderr).toMatch(/\n {2}export {2,}export part of a scenario/);
  });

  it('dtrain export without its subcommand: the help of export on stderr, exit 2', () => {
    const run = dtrain(['export']);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^Usage: dtrain export \[options\] \[command\]\n/);
    expect(run.stderr).toMatch(/\n {2}latency \[options\] <scenario> /);
  });

  it('help asked for is a success on stdout: --help, help, export --help, help export', () => {
    for (const args of [['--help'], ['help'], ['export', '--help'], ['help', 'export']]) {
      const run = dtrain(args);
      expect(run.status, args.join(' ')).toBe(0);
      expect(run.stderr, args.join(' ')).toBe('');
      expect(run.stdout, args.join(' ')).toMatch(/^Usage: dtrain /);
    }
  });
});
