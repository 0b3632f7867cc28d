import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dtrain } from './run-dtrain.js';

const TINY = 'test/explain/fixtures/tiny.yaml';

describe('dtrain explain', () => {
  it('--round prints every stage of that round for one node; exit 0', () => {
    const run = dtrain(['explain', TINY, '--round', '2', '--node', 'b', '--strategy', 'fedavg', '--backend', 'cpu']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout.split('\n').slice(0, 3)).toEqual([
      `dtrain explain · scenario explain-tiny (${TINY}) · seed 3`,
      'strategy fedavg: batch fixed · resources fixed · aggregation samples',
      expect.stringMatching(/^round 2 of 8 · T = \S+ ms → \S+ ms · 4 of 4 nodes took part · showing node b$/),
    ]);
    for (const heading of ['S1 communication efficiency', 'S3 compute pressure', 'Timeline from T', 'S4 gradient volatility', 'Evaluation']) {
      expect(run.stdout).toContain(heading);
    }
    expect(run.stdout).toMatch(/^ {2}node b: w = 24 \/ 120 = 0\.2$/m);
  });

  it('--round for more than 50 nodes says how to explain one; with --node it does not', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dtrain-explain-many-'));
    const file = join(dir, 'many.yaml');
    writeFileSync(file, 'rounds: 1\ndata: { dataset: iris }\ncluster:\n  nodes:\n    - { id: n, count: 51, latency: { constant: 5 } }\n');
    const all = dtrain(['explain', file, '--round', '1', '--backend', 'cpu']);
    const one = dtrain(['explain', file, '--round', '1', '--node', 'n-7', '--backend', 'cpu']);
    expect([all.status, one.status]).toEqual([0, 0]);
    expect(all.stdout.split('\n')[3]).toBe('every node is explained below, a line or more each at every step; --node ID explains one (e.g. --node n-1)');
    expect(one.stdout).not.toContain('every node is explained below');
    // 50 nodes: no such line
    writeFileSync(file, 'rounds: 1\ndata: { dataset: iris }\ncluster:\n  nodes:\n    - { id: n, count: 50, latency: { constant: 5 } }\n');
    expect(dtrain(['explain', file, '--round', '1', '--backend', 'cpu']).stdout.split('\n')[3]).toBe('');
  });

  it('without --round it lists the notable rounds and suggests one', () => {
    const run = dtrain(['explain', TINY, '--backend', 'cpu']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('8 rounds run; the rounds where something notable happened:');
    expect(run.stdout).toMatch(/rounds 7–8: node c was not dispatched: e = 0/);
    expect(run.stdout).toMatch(/\nExplain a round step by step: dtrain explain test\/explain\/fixtures\/tiny\.yaml --round \d+ \(any of 1–8; add --node ID for one node\)\n$/);
  });

  it('a run that diverges: exit 1 with the divergence and the rounds that can be explained, no stack trace', () => {
    const late = 'test/hostile/runtime/late-compute-overflow.yaml';
    const message = "error: s1s4: node late's local step in round 2 would take 1e+308 ms at batch 3, too long to simulate";
    const hint = 'hint: check the scenario for extreme values (bandwidth, msPerSample, ioMsPerBatch, stepOverheadMs, slowdown, latencies, retryMs)\n';
    for (const args of [['--round', '2'], ['--round', '3'], []]) {
      const run = dtrain(['explain', late, ...args, '--backend', 'cpu']);
      expect(run.stderr, args.join(' ')).toBe(`${message} (round 1 finished before it: explain one with --round)\n${hint}`);
      expect(run.stdout).toBe('');
      expect(run.status).toBe(1);
    }
    // round 1 is explained as ever
    expect(dtrain(['explain', late, '--round', '1', '--backend', 'cpu']).status).toBe(0);
    const first = dtrain(['explain', 'test/hostile/runtime/compute-overflow.yaml', '--round', '1', '--backend', 'cpu']);
    expect(first.stderr).toBe(`error: s1s4: node huge-io's local step in round 1 would take 1.25e+307 ms at batch 32, too long to simulate (no round finished before it, so there is nothing to explain)\n${hint}`);
    expect(first.status).toBe(1);
  });

  it('--no-progress is accepted, as by simulate (the bar it turns off shows only on a terminal)', () => {
    const run = dtrain(['explain', TINY, '--round', '2', '--backend', 'cpu', '--no-progress']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('round 2 of 8');
    expect(dtrain(['explain', '--help']).stdout).toMatch(/--no-progress +never show the progress bar/);
  });

  it('an unknown node, an unknown strategy or a round out of range is exit 2 with the valid values', () => {
    const node = dtrain(['explain', TINY, '--round', '1', '--node', 'slwo']);
    expect(node.status).toBe(2);
    expect(node.stdout).toBe('');
    expect(node.stderr).toBe("error: unknown node 'slwo': expected one of a, b, c, slow\nhint: did you mean slow?\n");
    const strategy = dtrain(['explain', TINY, '--strategy', 'sgd']);
    expect(strategy.status).toBe(2);
    expect(strategy.stderr).toBe("error: unknown strategy 'sgd': expected one of s1s4, fedavg, sync-sgd, lb-bsp\n");
    const round = dtrain(['explain', TINY, '--round', '9']);
    expect(round.status).toBe(2);
    expect(round.stderr).toBe('error: --round 9 is out of range: scenario explain-tiny has 8 rounds (1–8)\n');
  });
});
