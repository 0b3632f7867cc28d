/**
 * Output paths a user (or a script) gets wrong, end to end on the built CLI (`npm run build`
 * first): an output naming an input or another output, a directory where a file goes, a
 * device, a FIFO, standard output, a full disk, a 250-byte name, a killed run's temporary
 * file, stdout on /dev/full. Each is checked before the run (exit 2) or fails as one line
 * (exit 1); no input is touched, and no output set is ever left partial.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, linkSync, lstatSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT, runCli, STACK_TRACE } from './cli.js';

const SCENARIO = `name: tiny-outputs
seed: 3
rounds: 2
compare: [s1s4]
data: { dataset: { csv: rounds.csv } }
model: { hidden: [] }
cluster:
  nodes:
    - { id: a, latency: { constant: 5 } }
    - { id: b, latency: { trace: trace.csv, loop: true } }
`;

const DATASET = 'a,b,label\n0.5,1.5,0\n2.5,3.5,1\n0.6,1.4,0\n2.4,3.6,1\n0.4,1.6,0\n2.6,3.4,1\n0.5,1.4,0\n2.5,3.6,1\n0.7,1.5,0\n2.3,3.5,1\n';
const TRACE = 'time_ms,latency_ms\n0,20\n100,30\n200,25\n300,35\n';

/** A directory holding the scenario (s.yaml), its trace (trace.csv) and its dataset (rounds.csv). */
function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dtrain-outputs-'));
  writeFileSync(join(dir, 's.yaml'), SCENARIO);
  writeFileSync(join(dir, 'trace.csv'), TRACE);
  writeFileSync(join(dir, 'rounds.csv'), DATASET);
  mkdirSync(join(dir, 'sub'));
  return dir;
}

/** Every file under `dir` with its bytes, to compare before and after. */
function snapshot(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    const path = join(dir, name);
    const stat = lstatSync(path);
    files.set(name, stat.isFile() ? readFileSync(path, 'latin1') : stat.isDirectory() ? '<dir>' : '<other>');
  }
  return files;
}

function temps(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).filter((name) => /\.tmp$/.test(name));
}

async function refused(args: string[], message: string): Promise<void> {
  const dir = workspace();
  const before = snapshot(dir);
  const run = await runCli(['simulate', 's.yaml', '--quiet', ...args], { cwd: dir });
  expect(run.stderr).toBe(message);
  expect(run.status).toBe(2);
  expect(run.stdout).toBe('');
  expect(snapshot(dir)).toEqual(before);
}

describe("an output may not be a file of dtrain's own installation (checked before the run)", () => {
  const root = realpathSync(ROOT);
  const refusal = (label: string, entry: string): string =>
    `error: ${label}: is part of dtrain's own installation ('${join(root, entry)}'), which no output may overwrite; write the output somewhere else\n`;

  it.each([
    [['--ndjson', join(ROOT, 'bin', 'dtrain.js')], 'bin', join(ROOT, 'bin', 'dtrain.js')],
    [['--json', join(ROOT, 'package.json')], 'package.json', join(ROOT, 'package.json')],
    [['--report', join(ROOT, 'dist', 'run.html')], 'dist', join(ROOT, 'dist', 'run.html')],
    [['--csv', join(ROOT, 'scenarios', 'run-csv')], 'scenarios', join(ROOT, 'scenarios', 'run-csv')],
    [['--timeline', join(ROOT, 'data', 'run.trace.json')], 'data', join(ROOT, 'data', 'run.trace.json')],
  ])('simulate %j: exit 2, one line, the file untouched or not created', async (args, entry, path) => {
    const before = existsSync(path) ? readFileSync(path, 'latin1') : undefined;
    const dir = workspace();
    const run = await runCli(['simulate', 's.yaml', '--quiet', ...args], { cwd: dir });
    expect(run.stderr).toBe(refusal(`${args[0]} ${args[1]}`, entry));
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(existsSync(path) ? readFileSync(path, 'latin1') : undefined).toBe(before);
  });

  it('the same for every command that writes a file (dtrain schema --out)', async () => {
    const path = join(ROOT, 'scenarios', 'quickstart.yaml');
    const before = readFileSync(path, 'latin1');
    const run = await runCli(['schema', '--out', path]);
    expect(run.stderr).toBe(refusal(`--out ${path}`, 'scenarios'));
    expect(run.status).toBe(2);
    expect(readFileSync(path, 'latin1')).toBe(before);
  });

  it('the rest of the package folder stays writable (a checkout writes its goldens and schema there)', async () => {
    const dir = workspace();
    const path = join(ROOT, `.dtrain-outputs-test-${process.pid}.json`);
    try {
      const run = await runCli(['simulate', 's.yaml', '--quiet', '--backend', 'cpu', '--json', path], { cwd: dir });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(existsSync(path)).toBe(true);
    } finally {
      rmSync(path, { force: true });
    }
  });
});

describe('an output may not be an input or another output (checked before the run)', () => {
  it.each([
    [['--json', 's.yaml'], "error: --json s.yaml would overwrite the scenario file 's.yaml', which this command reads; write the output somewhere else\n"],
    [['--report', './s.yaml'], "error: --report ./s.yaml would overwrite the scenario file 's.yaml', which this command reads; write the output somewhere else\n"],
    [['--expect', 's.yaml', '--update'], "error: --expect s.yaml would overwrite the scenario file 's.yaml', which this command reads; write the output somewhere else\n"],
    [['--json', 'trace.csv'], "error: --json trace.csv would overwrite the trace file 'trace.csv', which this command reads; write the output somewhere else\n"],
    [['--csv', '.'], "error: --csv . (rounds.csv) would overwrite the CSV dataset 'rounds.csv', which this command reads; write the output somewhere else\n"],
    [['--json', 'out', '--report', 'out', '--timeline', 'out'], 'error: --json out and --report out name the same file; give each output its own path\n'],
    [['--json', '-', '--timeline', '/dev/stdout'], 'error: --json - and --timeline /dev/stdout both write to standard output; give each output its own path\n'],
    [['--csv', '-'], 'error: --csv -: --csv writes two files into a directory, it cannot go to standard output; name a directory\n'],
    [['--json', 'sub/../x.json', '--timeline', 'x.json'], 'error: --json sub/../x.json and --timeline x.json name the same file; give each output its own path\n'],
    [['--json', 'o', '--csv', 'o'], 'error: --json o and --csv o name the same file; give each output its own path\n'],
    [['--csv', 'o', '--report', 'o'], 'error: --report o and --csv o name the same file; give each output its own path\n'],
  ])('simulate %j', async (args, message) => {
    await refused(args, message);
  });

  it('a hard link to the scenario is the scenario', async () => {
    const dir = workspace();
    linkSync(join(dir, 's.yaml'), join(dir, 'alias.json'));
    const before = snapshot(dir);
    const run = await runCli(['simulate', 's.yaml', '--json', 'alias.json'], { cwd: dir });
    expect(run.stderr).toBe("error: --json alias.json would overwrite the scenario file 's.yaml', which this command reads; write the output somewhere else\n");
    expect(run.status).toBe(2);
    expect(snapshot(dir)).toEqual(before);
  });

  it('the --expect golden being compared is not overwritten by --json', async () => {
    const dir = workspace();
    expect((await runCli(['simulate', 's.yaml', '--quiet', '--expect', 'g.json', '--update'], { cwd: dir })).status).toBe(0);
    const before = snapshot(dir);
    const run = await runCli(['simulate', 's.yaml', '--quiet', '--expect', 'g.json', '--json', 'g.json'], { cwd: dir });
    expect(run.stderr).toBe("error: --json g.json would overwrite the golden file 'g.json', which this command reads; write the output somewhere else\n");
    expect(run.status).toBe(2);
    expect(snapshot(dir)).toEqual(before);
  });
});

describe('every output path is checked writable before the run', () => {
  it('a directory where --csv writes rounds.csv: exit 2, and not even the JSON is written', async () => {
    const dir = workspace();
    mkdirSync(join(dir, 'csv', 'nodes.csv'), { recursive: true });
    const before = snapshot(dir);
    const run = await runCli(['simulate', 's.yaml', '--json', 'run.json', '--csv', 'csv'], { cwd: dir });
    expect(run.stderr).toBe('error: --csv csv (csv/nodes.csv): is a directory, expected a regular file\n');
    expect(run.status).toBe(2);
    expect(snapshot(dir)).toEqual(before);
  });

  it('a 256-byte file name is refused before the run; a 250-byte one is written (short temporary names)', async () => {
    const dir = workspace();
    const tooLong = `${'n'.repeat(251)}.json`;
    const run = await runCli(['simulate', 's.yaml', '--quiet', '--json', tooLong], { cwd: dir });
    expect(run.stderr).toBe(`error: --json ${tooLong}: file name too long (256 bytes, at most 255)\n`);
    expect(run.status).toBe(2);
    const long = `${'n'.repeat(245)}.json`;
    const ok = await runCli(['simulate', 's.yaml', '--quiet', '--json', long], { cwd: dir });
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, long), 'utf8')).scenario.name).toBe('tiny-outputs');
    expect(temps(dir)).toEqual([]);
  });
});

describe('all outputs or none', () => {
  it('a write that fails (no space left on device) leaves none of the other outputs and no temporary file', async () => {
    const dir = workspace();
    const before = snapshot(dir);
    const run = await runCli(['simulate', 's.yaml', '--quiet', '--json', 'run.json', '--csv', 'csv', '--report', 'r.html', '--timeline', '/dev/full'], { cwd: dir });
    expect(run.stderr).toBe('error: cannot write --timeline /dev/full: no space left on device; no output was written\n');
    expect(run.status).toBe(1);
    expect(run.stderr).not.toMatch(STACK_TRACE);
    expect(snapshot(dir)).toEqual(before);
  });
});

describe('devices, FIFOs, symbolic links and standard output are written as such', () => {
  it('--json /dev/null and --report /dev/null leave the device node a device', async () => {
    const dir = workspace();
    const run = await runCli(['simulate', 's.yaml', '--quiet', '--json', '/dev/null', '--report', '/dev/null'], { cwd: dir });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
    expect(readdirSync('/dev').filter((name) => name.startsWith('.dtrain-'))).toEqual([]);
  });

  it('--json FIFO is written into the pipe for its reader; the FIFO stays a FIFO', async () => {
    const dir = workspace();
    const fifo = join(dir, 'pipe');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const reader = spawn('cat', [fifo], { stdio: ['ignore', 'pipe', 'inherit'] });
    let received = '';
    reader.stdout.setEncoding('utf8').on('data', (chunk: string) => (received += chunk));
    const readerDone = new Promise((resolve) => reader.on('close', resolve));
    const run = await runCli(['simulate', 's.yaml', '--quiet', '--json', 'pipe'], { cwd: dir });
    await readerDone;
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(JSON.parse(received).scenario.name).toBe('tiny-outputs');
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(temps(dir)).toEqual([]);
  });

  it('a FIFO nobody reads is one error line, not a hang, and the other outputs are not written', async () => {
    const dir = workspace();
    expect(spawnSync('mkfifo', [join(dir, 'pipe')]).status).toBe(0);
    const before = snapshot(dir);
    const run = await runCli(['simulate', 's.yaml', '--quiet', '--json', 'run.json', '--timeline', 'pipe'], { cwd: dir });
    expect(run.stderr).toBe('error: cannot write --timeline pipe: no process is reading the named pipe; no output was written\n');
    expect(run.status).toBe(1);
    expect(snapshot(dir)).toEqual(before);
  });

  it('--json through a symbolic link writes the file it points to and keeps the link', async () => {
    const dir = workspace();
    mkdirSync(join(dir, 'real'));
    writeFileSync(join(dir, 'real', 'run.json'), 'old');
    symlinkSync(join('real', 'run.json'), join(dir, 'link.json'));
    const run = await runCli(['simulate', 's.yaml', '--quiet', '--json', 'link.json'], { cwd: dir });
    expect(run.status).toBe(0);
    expect(lstatSync(join(dir, 'link.json')).isSymbolicLink()).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, 'real', 'run.json'), 'utf8')).scenario.name).toBe('tiny-outputs');
  });

  it('--json - writes the JSON to standard output and the tables to standard error (pipe to jq)', async () => {
    const dir = workspace();
    const before = snapshot(dir);
    const run = await runCli(['simulate', 's.yaml', '--json', '-'], { cwd: dir });
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout).scenario.name).toBe('tiny-outputs');
    expect(run.stderr).toContain('summary · scenario tiny-outputs · seed 3');
    expect(snapshot(dir)).toEqual(before);
    expect(existsSync(join(dir, '-'))).toBe(false);
  });

  it('--timeline - with --expect: the golden outcome goes to standard error too', async () => {
    const dir = workspace();
    expect((await runCli(['simulate', 's.yaml', '--quiet', '--expect', 'g.json', '--update'], { cwd: dir })).status).toBe(0);
    const run = await runCli(['simulate', 's.yaml', '--quiet', '--expect', 'g.json', '--timeline', '-'], { cwd: dir });
    expect(run.status).toBe(0);
    expect(Array.isArray(JSON.parse(run.stdout).traceEvents)).toBe(true);
    expect(run.stderr).toMatch(/golden/);
  });
});

describe('temporary files of killed runs', () => {
  it('a stale .dtrain-<pid>-<n>.tmp of a dead process is removed; a live process\'s is kept', async () => {
    const dir = workspace();
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const deadPid = Number(dead.stdout);
    writeFileSync(join(dir, `.dtrain-${deadPid}-1.tmp`), 'half a report');
    writeFileSync(join(dir, `.dtrain-${process.pid}-1.tmp`), 'being written');
    const run = await runCli(['simulate', 's.yaml', '--quiet', '--json', 'run.json'], { cwd: dir });
    expect(run.status).toBe(0);
    expect(existsSync(join(dir, `.dtrain-${deadPid}-1.tmp`))).toBe(false);
    expect(existsSync(join(dir, `.dtrain-${process.pid}-1.tmp`))).toBe(true);
  });
});

describe('terminal write errors and help', () => {
  it('standard output on /dev/full: one error line on stderr, exit 1, no stack', () => {
    const full = openSync('/dev/full', 'w');
    try {
      const run = spawnSync(process.execPath, [BIN, 'schema'], { stdio: ['ignore', full, 'pipe'], encoding: 'utf8' });
      expect(run.stderr).toBe('error: cannot write to standard output: no space left on device\n');
      expect(run.status).toBe(1);
    } finally {
      closeSync(full);
    }
  });

  it('bare `dtrain` names no command: the help on standard error, exit 2', async () => {
    const run = await runCli([]);
    expect(run.stderr).toMatch(/^Usage: dtrain \[options\] \[command\]/);
    expect(run.stderr).toContain('simulate');
    expect(run.stdout).toBe('');
    expect(run.status).toBe(2);
  });
});

describe('sweep and merge output directories', () => {
  const SWEEP = ['sweep', 's.yaml', '--jobs', '1', '--set'];

  it('sweep: summary.csv being a directory is found before any run (exit 2, nothing written)', async () => {
    const dir = workspace();
    mkdirSync(join(dir, 'res', 'summary.csv'), { recursive: true });
    const before = snapshot(dir);
    const run = await runCli([...SWEEP, 'seed=1..2', '--out', 'res'], { cwd: dir });
    expect(run.stderr).toBe('error: --out res (res/summary.csv): is a directory, expected a regular file\n');
    expect(run.status).toBe(2);
    expect(snapshot(dir)).toEqual(before);
  });

  it('sweep --out . next to the scenario: an output named like an input is refused', async () => {
    const dir = workspace();
    writeFileSync(join(dir, 'summary.csv'), TRACE);
    const scenario = SCENARIO.replace('trace.csv', 'summary.csv');
    writeFileSync(join(dir, 's.yaml'), scenario);
    const before = snapshot(dir);
    const run = await runCli([...SWEEP, 'seed=1..2', '--out', '.'], { cwd: dir });
    expect(run.stderr).toBe("error: --out . (summary.csv) would overwrite the trace file 'summary.csv', which this command reads; write the output somewhere else\n");
    expect(run.status).toBe(2);
    expect(snapshot(dir)).toEqual(before);
  });

  it('merge: an output that is a directory is found before anything is written; merging into a shard directory keeps its reports', async () => {
    const dir = workspace();
    for (const shard of ['1/2', '2/2']) {
      const run = await runCli([...SWEEP, 'seed=1..4', '--shard', shard, '--out', `part-${shard[0]}`], { cwd: dir });
      expect(run.status).toBe(0);
    }
    mkdirSync(join(dir, 'all', 'sweep.json'), { recursive: true });
    const before = snapshot(dir);
    const bad = await runCli(['merge', 'part-1', 'part-2', '--out', 'all'], { cwd: dir });
    expect(bad.stderr).toBe('error: --out all (all/sweep.json): is a directory, expected a regular file\n');
    expect(bad.status).toBe(2);
    expect(snapshot(dir)).toEqual(before);

    const reports = readdirSync(join(dir, 'part-1')).filter((name) => /^[0-9a-f]{16}\.json$/.test(name));
    const kept = new Map(reports.map((name) => [name, readFileSync(join(dir, 'part-1', name), 'utf8')]));
    const merged = await runCli(['merge', 'part-1', 'part-2', '--out', 'part-1'], { cwd: dir });
    expect(merged.status).toBe(0);
    for (const [name, text] of kept) expect(readFileSync(join(dir, 'part-1', name), 'utf8')).toBe(text);
    expect(readFileSync(join(dir, 'part-1', 'summary.csv'), 'utf8').trim().split('\n')).toHaveLength(5);
    expect(temps(dir)).toEqual([]);
  });
});
