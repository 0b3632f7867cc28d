/**
 * `dtrain sweep` through bin/ (run `npm run build` first), issue 9: SIGTERM (how Kubernetes and
 * Slurm stop a job) stops a sweep like Ctrl-C — complete reports kept, a resume hint, exit
 * 130 — and the same command resumes it; an --out holding another grid is refused before
 * anything runs; `--set __proto__.…` is a usage error.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT, runCli, STACK_TRACE } from '../hostile/cli.js';
import { expectStoppedInLoop, runSignalledInLoop } from '../hostile/stopped-in-loop.js';
import { PLAN_STEP_RUNS } from '../../src/sweep/grid.js';

const SCENARIO = join(ROOT, 'test', 'sweep', 'fixtures', 'tiny.yaml');
/** 4 runs of 300 rounds, one at a time: about a second each. */
const SLOW_GRID = ['--set', 'rounds=300', '--set', 'seed=1..4', '--strategy', 's1s4', '--jobs', '1', '--backend', 'cpu'];
const reports = (dir: string): string[] => readdirSync(dir).filter((f) => /^[0-9a-f]{16}\.json$/.test(f)).sort();

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'dtrain-sweep-cli-'));
}

/** Starts a sweep, sends `signal` once its first run is reported, resolves when it exits. */
function sweepUntilSignal(args: string[], signal: NodeJS.Signals): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let sent = false;
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      if (!sent && /^\[1\/4\]/m.test(stderr)) {
        sent = true;
        child.kill(signal);
      }
    });
    child.stdout.resume();
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stderr }));
  });
}

describe('sweep stopped by a signal', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('%s: complete runs kept, the interrupted line and resume hint, exit 130; the same command resumes', async (signal) => {
    const out = join(scratch(), 'out');
    const stopped = await sweepUntilSignal(['sweep', SCENARIO, ...SLOW_GRID, '--out', out], signal);
    expect(stopped.stderr).not.toMatch(STACK_TRACE);
    expect(stopped.status).toBe(130);
    const lines = stopped.stderr.trimEnd().split('\n');
    const match = /^error: interrupted: (\d) of 4 runs are complete in (.+)$/.exec(lines[lines.length - 2]!);
    expect(match, stopped.stderr).not.toBeNull();
    expect(match![2]).toBe(out);
    expect(lines[lines.length - 1]).toBe('hint: run the same command again to resume; complete runs are skipped');
    const complete = Number(match![1]);
    expect(complete).toBeGreaterThanOrEqual(1);
    expect(complete).toBeLessThan(4);
    expect(reports(out)).toHaveLength(complete);
    expect(existsSync(join(out, 'summary.csv'))).toBe(false);
    expect(readdirSync(out).filter((name) => name.endsWith('.tmp'))).toEqual([]);

    const resumed = await runCli(['sweep', SCENARIO, ...SLOW_GRID, '--out', out]);
    expect(resumed.stderr).not.toMatch(STACK_TRACE);
    expect(resumed.status).toBe(0);
    expect(resumed.stderr.split('\n')[0]).toBe(`sweep: 4 runs, ${complete} already complete, ${4 - complete} to run on 1 worker`);
    expect(reports(out)).toHaveLength(4);
    expect(readFileSync(join(out, 'summary.csv'), 'utf8').trimEnd().split('\n')).toHaveLength(5);
  }, 120_000);
});

/** Preloaded into the CLI: writes PLANNING to stderr at the first turn of the event loop the grid's planning takes. */
const PLANNING_PRELOAD = { NODE_OPTIONS: `--require ${join(ROOT, 'test', 'hostile', 'signals', 'planning.cjs')}` };
const PLANNING = '[planning]\n';

describe('a signal while a large grid is planned', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('%s: stops within a few planning steps, exit 130, one line saying how far it got, nothing written', async (signal) => {
    const out = join(scratch(), 'out');
    // 100,000 runs: planning them whole takes half a minute or more
    const run = await runCli(['sweep', SCENARIO, '--set', 'seed=1..100000', '--strategy', 's1s4', '--out', out], {
      env: PLANNING_PRELOAD,
      onStderr: (chunk, pid) => {
        if (chunk.includes(PLANNING)) process.kill(pid, signal);
      },
    });
    expect(run.status).toBe(130);
    expect(run.stdout).toBe('');
    const match = /^\[planning\]\nerror: interrupted while planning the grid \((\d+) of 100000 runs planned\); nothing written\n$/.exec(run.stderr);
    expect(match, run.stderr).not.toBeNull();
    // the first turn comes after the first step; the signal is answered a few steps later at most
    // (the time it takes to reach the process), not once the 391 steps are done
    expect(Number(match![1]) / PLAN_STEP_RUNS).toBeLessThanOrEqual(40);
    expect(existsSync(out)).toBe(false);
  }, 120_000);
});

describe('a signal after the grid is planned, before anything is written', () => {
  // 5,000 runs, each file looked at 2 ms more slowly (a network file system): a loop over them
  // lasts ten seconds or more, and the signal must stop it at once, not once it is done
  it.each([
    ['lstatSync', 'SIGINT', 'checking the files it would write in --out', 5002, 'checked'],
    ['openSync', 'SIGTERM', 'checking the stored reports in', 5000, 'runs checked'],
  ] as const)('%s (%s): stopped in that loop, exit 130, one line saying where and how far, nothing written', async (call, signal, where, total, what) => {
    const out = join(scratch(), 'out');
    const run = await runSignalledInLoop(['sweep', SCENARIO, '--set', 'seed=1..2500', '--out', out], call, signal);
    expectStoppedInLoop(run, call, where, out, total, what);
  }, 120_000);
});

describe('--out holding another sweep', () => {
  it('another grid is refused before anything runs (exit 2), the folder untouched; the same grid resumes', async () => {
    const out = join(scratch(), 'out');
    const first = await runCli(['sweep', SCENARIO, '--set', 'seed=1,2', '--strategy', 's1s4', '--jobs', '1', '--backend', 'cpu', '--out', out]);
    expect(first.status).toBe(0);
    const before = readdirSync(out).sort();
    const manifest = readFileSync(join(out, 'sweep.json'), 'utf8');

    const other = await runCli(['sweep', SCENARIO, '--set', 'seed=1..3', '--set', 'rounds=2,3', '--jobs', '1', '--out', out]);
    expect(other.stderr).toBe([
      `error: --out ${out} already holds another sweep (a grid of 2 runs; this one has 12 runs); its reports would be mixed with this one's`,
      'hint: give another --out directory, or remove this one to start the sweep over',
      '',
    ].join('\n'));
    expect(other.stdout).toBe('');
    expect(other.status).toBe(2);
    expect(readdirSync(out).sort()).toEqual(before);
    expect(readFileSync(join(out, 'sweep.json'), 'utf8')).toBe(manifest);

    const shard = await runCli(['sweep', SCENARIO, '--set', 'seed=1,2', '--strategy', 's1s4', '--shard', '1/2', '--out', out]);
    expect(shard.stderr.split('\n')[0]).toBe(`error: --out ${out} holds the whole grid of this sweep, not shard 1/2`);
    expect(shard.status).toBe(2);

    const same = await runCli(['sweep', SCENARIO, '--set', 'seed=1,2', '--strategy', 's1s4', '--jobs', '1', '--backend', 'cpu', '--out', out]);
    expect(same.status).toBe(0);
    expect(same.stderr.split('\n')[0]).toBe('sweep: 2 runs, 2 already complete, 0 to run on 1 worker');
  }, 120_000);

  it('a sweep.json that is not a manifest is refused too', async () => {
    const out = scratch();
    writeFileSync(join(out, 'sweep.json'), '{"mine": true}\n');
    const result = await runCli(['sweep', SCENARIO, '--out', out]);
    expect(result.stderr.split('\n')[0]).toBe(`error: --out ${out} holds a sweep.json that is not one of this sweep (${join(out, 'sweep.json')} is not a dtrain sweep manifest: sweepVersion: expected 1, found nothing)`);
    expect(result.status).toBe(2);
    expect(readFileSync(join(out, 'sweep.json'), 'utf8')).toBe('{"mine": true}\n');
  });
});

describe('--set with a prototype path', () => {
  it('is a usage error, exit 2, nothing written', async () => {
    const out = join(scratch(), 'out');
    const result = await runCli(['sweep', SCENARIO, '--set', '__proto__.x=1,2', '--out', out]);
    expect(result.stderr).toBe([
      "error: --set __proto__.x=1,2: '__proto__' cannot be a field name (no scenario field is called that)",
      'hint: write --set path=v1,v2,… or --set path=FROM..TO, e.g. --set pipeline.s1.thresholdMs=20,50,100 --set seed=1..10',
      '',
    ].join('\n'));
    expect(result.status).toBe(2);
    expect(existsSync(out)).toBe(false);
  });
});
