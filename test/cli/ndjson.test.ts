/**
 * `simulate --ndjson FILE` (issue 14): one JSON line per round, written as each round finishes,
 * a header line first and a summary line last (an error line when the run fails); a run stopped by Ctrl-C keeps its finished
 * rounds and ends with a summary marked interrupted, one killed outright keeps its finished
 * rounds; a path that cannot be written is refused before the run (exit 2, nothing written).
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, HOSTILE_DIR, inParallel, runCli, STACK_TRACE } from '../hostile/cli.js';

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'dtrain-ndjson-'));
}

type Line = Record<string, unknown> & { type: string };

function lines(path: string): Line[] {
  const text = readFileSync(path, 'utf8');
  expect(text.endsWith('\n')).toBe(true);
  return text.slice(0, -1).split('\n').map((line) => JSON.parse(line) as Line);
}

/** Complete lines only: a process killed outright may leave its last line unfinished. */
function completeLines(path: string): Line[] {
  const text = readFileSync(path, 'utf8');
  return text.slice(0, text.lastIndexOf('\n') + 1).split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as Line);
}

const RUN = ['--backend', 'cpu', '--no-progress'];

/** `dtrain simulate SCENARIO --ndjson - …` read by a reader that goes away after two lines (`| head -2`). */
async function readTwoLinesAndGo(extra: readonly string[], scenario = 'runtime/long.yaml'): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [BIN, 'simulate', scenario, '--quiet', '--ndjson', '-', ...extra, ...RUN], {
    cwd: HOSTILE_DIR, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    if (stdout.split('\n').length > 2) child.stdout.destroy();
  });
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { status, stdout, stderr };
}

describe('--ndjson', () => {
  it('a header, one line per round of every strategy, a summary; the rounds and summaries are the JSON report\'s', async () => {
    const dir = scratch();
    const ndjson = join(dir, 'run.ndjson');
    const json = join(dir, 'run.json');
    const result = await runCli(['simulate', 'runtime/long.yaml', '--rounds', '3', '--quiet', '--json', json, '--ndjson', ndjson, ...RUN]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const records = lines(ndjson);
    expect(records).toHaveLength(2 * 3 + 2);
    expect(records.map((r) => r.type)).toEqual(['header', 'round', 'round', 'round', 'round', 'round', 'round', 'summary']);
    const report = JSON.parse(readFileSync(json, 'utf8')) as Record<string, unknown> & { runs: Array<{ strategy: { name: string }; rounds: object[] }> };
    const { type: _header, ...head } = records[0]!;
    const { runs, ...reportHead } = report;
    expect(head).toEqual(reportHead);
    expect(records.slice(1, 7)).toEqual(runs.flatMap((run) => run.rounds.map((round) => ({ type: 'round', strategy: run.strategy.name, ...round }))));
    expect(records[7]).toEqual({ type: 'summary', runs: runs.map(({ rounds: _rounds, ...run }) => run) });
  });

  it('- writes the lines to standard output and the tables to standard error', async () => {
    const result = await runCli(['simulate', 'limits/tiny.yaml', '--ndjson', '-', ...RUN]);
    expect(result.status).toBe(0);
    const types = result.stdout.trimEnd().split('\n').map((line) => (JSON.parse(line) as Line).type);
    expect(types).toEqual(['header', 'round', 'round', 'summary']);
    expect(result.stderr).toContain('round 1');
    expect(result.stderr).toContain('summary · scenario tiny');
  });

  it('- read by a reader that goes away (| head -2): dtrain ends quietly, no error, no stack', async () => {
    const { status, stdout, stderr } = await readTwoLinesAndGo([]);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect((JSON.parse(stdout.split('\n')[0]!) as Line).type).toBe('header');
  });

  it('- read by a reader that goes away while --json and --report wait for the end: one error line naming them, exit 1, neither written', async () => {
    const dir = scratch();
    const json = join(dir, 'run.json');
    const report = join(dir, 'run.html');
    const { status, stdout, stderr } = await readTwoLinesAndGo(['--json', json, '--report', report]);
    expect(stderr).toBe(`error: the reader of standard output went away before the run ended; not written: --json ${json}, --report ${report}\n`);
    expect(status).toBe(1);
    expect(existsSync(json)).toBe(false);
    expect(existsSync(report)).toBe(false);
  });

  it('- with round lines larger than a pipe holds: the run waits for its reader, so one going away is seen before the end; exit 1, --json not written', async () => {
    // 3,000 nodes: a round's line is about 1.5 MB. The run used to queue every line in memory
    // and see the reader gone only once it had committed the files (exit 0, --json written)
    const dir = scratch();
    const scenario = join(dir, 'wide.yaml');
    writeFileSync(scenario, [
      'name: wide', 'seed: 1', 'rounds: 6',
      'data: { dataset: { blobs: { samples: 20000, features: 4, classes: 3, spread: 1 } } }',
      'model: { hidden: [4] }',
      'cluster: { nodes: [ { id: n, count: 3000, latency: { lognormal: { median: 10, sigma: 0.5 } } } ] }', '',
    ].join('\n'));
    const json = join(dir, 'run.json');
    // `dtrain simulate … | head -n 2` in a shell: a pipe of the kernel's, not the socket pair a
    // test's 'pipe' is, and a reader that is not this test reading as fast as it can
    const headOut = join(dir, 'head.out');
    const quote = (text: string) => `'${text.replace(/'/g, "'\\''")}'`;
    const command = `${[process.execPath, BIN, 'simulate', scenario, '--quiet', '--ndjson', '-', '--json', json, ...RUN].map(quote).join(' ')} | head -n 2 > ${quote(headOut)}; exit "\${PIPESTATUS[0]}"`;
    const child = spawn('bash', ['-c', command], { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe(`error: the reader of standard output went away before the run ended; not written: --json ${json}\n`);
    expect(status).toBe(1);
    expect(existsSync(json)).toBe(false);
    expect(readFileSync(headOut, 'utf8').split('\n').slice(0, 2).map((line) => (JSON.parse(line) as Line).type)).toEqual(['header', 'round']);
  });

  it('a path that cannot be written is refused before the run: exit 2, one error line, nothing written', async () => {
    const dir = scratch();
    const cases: Array<{ args: string[]; message: string }> = [
      { args: ['--ndjson', '/no/such/x.ndjson'], message: "--ndjson /no/such/x.ndjson: directory '/no/such' does not exist" },
      { args: ['--ndjson', dir], message: `--ndjson ${dir}: is a directory, expected a file name` },
      { args: ['--json', join(dir, 'same'), '--ndjson', join(dir, 'same')], message: `--json ${join(dir, 'same')} and --ndjson ${join(dir, 'same')} name the same file; give each output its own path` },
      { args: ['--ndjson', 'limits/tiny.yaml'], message: "--ndjson limits/tiny.yaml would overwrite the scenario file 'limits/tiny.yaml', which this command reads; write the output somewhere else" },
      { args: ['--ndjson', '-', '--json', '-'], message: '--json - and --ndjson - both write to standard output; give each output its own path' },
    ];
    const results = await inParallel(cases, 3, ({ args }) => runCli(['simulate', 'limits/tiny.yaml', ...args, ...RUN]));
    results.forEach((result, k) => {
      expect(result.stderr).toBe(`error: ${cases[k]!.message}\n`);
      expect(result.stderr).not.toMatch(STACK_TRACE);
      expect(result.stdout).toBe('');
      expect(result.status).toBe(2);
    });
    expect(existsSync(join(dir, 'same'))).toBe(false);
    expect(readFileSync(join(HOSTILE_DIR, 'limits', 'tiny.yaml'), 'utf8')).toContain('Small enough for any budget');
  });
});

describe('--ndjson to a named pipe', () => {
  it('without a reader: refused before the run, exit 2; with one, the reader gets every line', async () => {
    const dir = scratch();
    const fifo = join(dir, 'lines');
    execFileSync('mkfifo', [fifo]);
    const refused = await runCli(['simulate', 'limits/tiny.yaml', '--ndjson', fifo, ...RUN]);
    expect(refused.stderr).toBe(`error: cannot write --ndjson ${fifo}: no process is reading the named pipe\n`);
    expect(refused.stdout).toBe('');
    expect(refused.status).toBe(2);

    const reader = spawn('cat', [fifo], { stdio: ['ignore', 'pipe', 'inherit'] });
    let read = '';
    reader.stdout.setEncoding('utf8').on('data', (chunk: string) => (read += chunk));
    const closed = new Promise((resolve) => reader.on('close', resolve));
    // the reader must open its end first for the writer's non-blocking open to find it; a busy
    // machine can take longer than any fixed wait to start it, so a run refused for want of a
    // reader (refused before it starts: nothing written) is tried again
    let result = refused;
    for (let tries = 0; tries < 50 && result.stderr === refused.stderr; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      result = await runCli(['simulate', 'limits/tiny.yaml', '--quiet', '--ndjson', fifo, ...RUN]);
    }
    // never found: the reader would wait for a writer for ever
    if (result.stderr === refused.stderr) reader.kill();
    await closed;
    expect(result.status).toBe(0);
    expect(read.trimEnd().split('\n').map((line) => (JSON.parse(line) as Line).type)).toEqual(['header', 'round', 'round', 'summary']);
  });
});

describe('--ndjson keeps the finished rounds of a run that does not end', () => {
  /** Starts the long run and calls `stop` once the file holds a header and `rounds` round lines. */
  async function runUntil(stop: (pid: number) => void, rounds: number) {
    const dir = scratch();
    const path = join(dir, 'run.ndjson');
    let timer: NodeJS.Timeout | undefined;
    const result = await runCli(['simulate', 'runtime/long.yaml', '--quiet', '--ndjson', path, ...RUN], {
      onSpawn: (pid) => {
        const poll = (): void => {
          const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
          if (text.split('\n').length > rounds + 1) stop(pid);
          else timer = setTimeout(poll, 20);
        };
        poll();
      },
    });
    clearTimeout(timer);
    return { path, result };
  }

  it('Ctrl-C: exit 130, every finished round, then a summary marked interrupted', async () => {
    const { path, result } = await runUntil((pid) => process.kill(pid, 'SIGINT'), 3);
    expect(result.status).toBe(130);
    expect(result.stderr).not.toMatch(STACK_TRACE);
    const records = lines(path);
    expect(records[0]!.type).toBe('header');
    const rounds = records.slice(1, -1);
    expect(rounds.length).toBeGreaterThanOrEqual(3);
    expect(rounds.map((r) => [r.type, r.strategy, r.round])).toEqual(rounds.map((_, k) => ['round', 's1s4', k + 1]));
    const summary = records.at(-1)! as Line & { runs: Array<{ interrupted?: boolean; summary: { simulatedMs: number } }>; interrupted?: boolean };
    expect(summary.type).toBe('summary');
    expect(summary.interrupted).toBe(true);
    expect(summary.runs).toHaveLength(1);
    expect(summary.runs[0]!.interrupted).toBe(true);
    expect(summary.runs[0]!.summary.simulatedMs).toBe(rounds.at(-1)!.endMs);
    expect(result.stderr).toContain(`interrupted: stopped after round ${rounds.length} of 100000 of s1s4`);
  });

  it('killed outright (SIGKILL): the complete lines are the header and the finished rounds, no summary', async () => {
    const { path, result } = await runUntil((pid) => process.kill(pid, 'SIGKILL'), 2);
    expect(result.signal).toBe('SIGKILL');
    const records = completeLines(path);
    expect(records[0]!.type).toBe('header');
    const rounds = records.slice(1);
    expect(rounds.length).toBeGreaterThanOrEqual(2);
    expect(rounds.map((r) => [r.type, r.round])).toEqual(rounds.map((_, k) => ['round', k + 1]));
  });
});
