/**
 * `dtrain export latency --format netem`: the generated script passes shellcheck (as a POSIX
 * sh script), and `--dry-run` prints exactly the tc commands of the series — one per slot,
 * `delay Xms` or `loss 100%` — and the final `tc qdisc del`, without running tc or sleeping.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../hostile/cli.js';
import { ensureShellcheck } from './shellcheck.js';

const FIXTURE = join(import.meta.dirname, 'fixtures', 'link.yaml');
const DIR = mkdtempSync(join(tmpdir(), 'dtrain-netem-'));

interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
}

function run(file: string, args: string[], env: Record<string, string> = {}): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(file, args, { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env }, timeout: 60_000 }, (error, stdout, stderr) => {
      const status = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
      resolve({ status, stdout, stderr });
    });
  });
}

async function script(node: string, duration: string): Promise<string> {
  const result = await runCli(['export', 'latency', FIXTURE, '--node', node, '--duration', duration, '--format', 'netem']);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  const path = join(DIR, `${node}.sh`);
  writeFileSync(path, result.stdout);
  return path;
}

let edge = '';
let jitter = '';

beforeAll(async () => {
  [edge, jitter] = await Promise.all([script('edge', '600ms'), script('jitter', '2s')]);
}, 60_000);

describe('the netem script', () => {
  it('is shellcheck-clean as a POSIX sh script', async () => {
    const shellcheck = await ensureShellcheck();
    for (const path of [edge, jitter]) {
      const checked = await run(shellcheck, ['--shell=sh', '--severity=style', path]);
      expect(checked.stdout + checked.stderr).toBe('');
      expect(checked.status).toBe(0);
    }
  }, 600_000);

  it('starts with what it needs and how to run it', () => {
    expect(readFileSync(edge, 'utf8').split('\n').slice(0, 11)).toEqual([
      '#!/bin/sh',
      "# Replays node edge's latency from dtrain scenario link (seed 5) on a real link.",
      `# Made by: dtrain export latency ${FIXTURE} --node edge --duration 600ms --format netem`,
      '#',
      "# Needs: root (tc changes the interface's queueing discipline), the sch_netem kernel module",
      '# (modprobe sch_netem), tc from iproute2, a sleep that takes fractions of a second (GNU',
      '# coreutils, BusyBox), and the interface: DEV=eth0 in the environment or as the argument.',
      '#',
      '#   sudo sh this-script.sh eth0           replays the series on eth0',
      '#   sh this-script.sh --dry-run [eth0]    only prints the tc commands (no root needed)',
      '#',
    ]);
  });

  it('--dry-run prints one tc command per slot: the delay, loss 100% while down, then the removal', async () => {
    const dry = await run('/bin/sh', [edge, '--dry-run', 'eth0']);
    expect(dry.stderr).toBe('');
    expect(dry.status).toBe(0);
    // −300 … 600 on a 100 ms grid; down from 0 to 200
    expect(dry.stdout).toBe([
      'tc qdisc replace dev eth0 root netem delay 12.5ms',
      'tc qdisc replace dev eth0 root netem delay 12.5ms',
      'tc qdisc replace dev eth0 root netem delay 12.5ms',
      'tc qdisc replace dev eth0 root netem loss 100%',
      'tc qdisc replace dev eth0 root netem loss 100%',
      'tc qdisc replace dev eth0 root netem delay 12.5ms',
      'tc qdisc replace dev eth0 root netem delay 12.5ms',
      'tc qdisc replace dev eth0 root netem delay 12.5ms',
      'tc qdisc replace dev eth0 root netem delay 12.5ms',
      'tc qdisc replace dev eth0 root netem delay 12.5ms',
      'tc qdisc del dev eth0 root',
      '',
    ].join('\n'));
  });

  it('--dry-run takes the interface from DEV, and the CSV values rounded to the microsecond', async () => {
    const dry = await run('/bin/sh', [jitter, '--dry-run'], { DEV: 'veth0' });
    const csv = await runCli(['export', 'latency', FIXTURE, '--node', 'jitter', '--duration', '2s', '--format', 'csv']);
    const expected = csv.stdout.trim().split('\n').slice(1).map((row) => {
      const value = row.split(',')[1]!;
      const shown = value === '' ? 'loss 100%' : `delay ${String(Number(Number(value).toFixed(3)))}ms`;
      return `tc qdisc replace dev veth0 root netem ${shown}`;
    });
    expect(dry.stdout).toBe(`${[...expected, 'tc qdisc del dev veth0 root'].join('\n')}\n`);
    // 24 slots from −300 to 2000, some of them lost
    expect(expected.length).toBe(24);
    expect(expected.filter((line) => line.endsWith('loss 100%')).length).toBeGreaterThan(0);
  });

  it("a file name's controls, bidi and invisible characters show as escapes in the header's comments", async () => {
    // no name: in the file, so the scenario is named after the file
    const hostile = join(DIR, 'q\u202egnp\u001b[2J\u200b\nx.yaml');
    writeFileSync(hostile, readFileSync(FIXTURE, 'utf8').replace(/^name: link\n/m, ''));
    const result = await runCli(['export', 'latency', hostile, '--node', 'edge', '--duration', '100ms', '--format', 'netem']);
    expect(result.status).toBe(0);
    expect(result.stdout.split('\n').slice(1, 3)).toEqual([
      "# Replays node edge's latency from dtrain scenario q\\u{202e}gnp\\e[2J\\u{200b}\\nx (seed 5) on a real link.",
      `# Made by: dtrain export latency '${DIR}/q\\u{202e}gnp\\e[2J\\u{200b}\\nx.yaml' --node edge --duration 100ms --format netem`,
    ]);
  });

  it('without an interface (and not a dry run) stops before touching anything', async () => {
    const missing = await run('/bin/sh', [edge]);
    expect(missing).toEqual({ status: 2, stdout: '', stderr: 'error: no interface: give it as the argument or as DEV=interface\n' });
  });
});
