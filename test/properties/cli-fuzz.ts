/**
 * Fuzzing the command line (issue 9): random command lines — commands, known and unknown
 * flags, hostile values (hex, huge and empty numbers, `-`, directories, /dev/null, /dev/zero,
 * FIFOs, missing paths, names with control characters) — each run through bin/dtrain.js in
 * a fresh copy of a small fixture folder, and checked:
 *
 *   - the exit code is 0, 1, 2 or 130, and stderr holds no stack trace
 *   - it ends before the timeout (no hang on a FIFO or a device)
 *   - no input file changed (hashed before and after), /dev/null and /dev/zero still devices
 *   - no temporary file is left behind
 *
 * Deterministic: case i of seed S is drawn from the stream `S/i`, so a failure is replayed
 * with FUZZ_SEED=S FUZZ_CASE=i.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import seedrandom from 'seedrandom';
import { BIN, STACK_TRACE } from '../hostile/cli.js';

export const ALLOWED_EXIT_CODES: readonly number[] = [0, 1, 2, 130];

/** A name with an escape sequence, a bell and a newline in it. */
export const CONTROL_NAME = 'bad\u001b[31m\u0007\nname.yaml';

const SMALL = `name: small
rounds: 2
compare: [s1s4, sync-sgd]
data: { dataset: iris }
model: { hidden: [] }
cluster:
  nodes:
    - { id: a, latency: { constant: 5 } }
    - { id: b, latency: { normal: { mean: 30, std: 15 } } }
`;

const WITH_CSV = `name: with-csv
rounds: 2
data: { dataset: { csv: data.csv } }
model: { hidden: [] }
cluster:
  nodes:
    - { id: a, latency: { constant: 5 } }
    - { id: b, latency: { trace: trace.csv } }
`;

function dataCsv(): string {
  const rows = ['x1,x2,label'];
  for (let i = 0; i < 40; i++) rows.push(`${(i % 7) / 3},${(i % 5) / 2},${i % 2}`);
  return `${rows.join('\n')}\n`;
}

const TRACE_CSV = 'time_ms,latency_ms\n0,5\n100,8\n200,6\n';

/** Which fixture files a scenario reads besides itself. */
const READS: Readonly<Record<string, readonly string[]>> = { 'with-csv.yaml': ['data.csv', 'trace.csv'] };

/**
 * The template every case copies: scenarios, their data, a golden report, a sweep folder, an
 * empty folder. FIFOs are made per case (a copy cannot hold one).
 */
export function makeTemplate(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dtrain-cli-fuzz-'));
  const template = join(dir, 'template');
  mkdirSync(template);
  writeFileSync(join(template, 'small.yaml'), SMALL);
  writeFileSync(join(template, CONTROL_NAME), SMALL);
  writeFileSync(join(template, 'with-csv.yaml'), WITH_CSV);
  writeFileSync(join(template, 'data.csv'), dataCsv());
  writeFileSync(join(template, 'trace.csv'), TRACE_CSV);
  mkdirSync(join(template, 'empty-dir'));
  const run = (args: string[]) => execFileSync(process.execPath, [BIN, ...args], { cwd: template, stdio: 'ignore', env: { ...process.env, NO_COLOR: '1' } });
  run(['simulate', 'small.yaml', '--quiet', '--backend', 'cpu', '--json', 'golden.json']);
  run(['sweep', 'small.yaml', '--set', 'seed=1,2', '--strategy', 's1s4', '--jobs', '1', '--backend', 'cpu', '--out', 'sweep-out']);
  return template;
}

type Rng = () => number;

function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)]!;
}

const NUMBERS = ['0', '1', '2', '-1', '1.5', ' 2 ', '0x10', '0o7', '0b1', '1e999', '1e3', 'Infinity', 'NaN', '', '-', '99999999999999999999', '100001', '9007199254740993'];
const INPUT_PATHS = ['small.yaml', 'with-csv.yaml', 'data.csv', 'trace.csv', 'golden.json', 'sweep-out', 'empty-dir', 'fifo', '/dev/null', '/dev/zero', 'missing.yaml', 'missing-dir/x.yaml', CONTROL_NAME, '-', '', '.'];
const OUTPUT_PATHS = ['out.json', 'out-dir', 'out-dir/nested/x.json', 'empty-dir', 'sweep-out', 'fifo', '/dev/null', '-', '', '.', 'small.yaml', 'data.csv', 'golden.json', 'missing-dir/x.json', CONTROL_NAME, `${'n'.repeat(250)}.json`];
const TEXTS = ['', '-', 'x', 's1s4', 's1s4,sync-sgd', 'bogus', 'accuracy', 'a', 'constructor', '__proto__', '\u001b]0;title\u0007', 'seed=1..2', 'rounds=1,2', '__proto__.x=1,2', 'rounds=0x10', 'seed=1..100001', 'pipeline.s1.thresholdMs=20,50', 'loss=0x10', 'loss=1e-3', 'accuracy=Infinity', '1/2', '3/2', '0/1', '1GiB', '1ms', '2h', 'auto', 'cpu', 'fast', 'reference'];

type ValueKind = 'number' | 'input' | 'output' | 'text' | 'none';

/** Flags every command may get now and then: most of them end the command before it does anything. */
const SHALLOW: Record<string, ValueKind> = { '--help': 'none', '--bogus': 'none', '-x': 'none', '--no-such-flag': 'text' };
const COMMON: Record<string, ValueKind> = { '--color': 'none', '--no-color': 'none' };
const TRAINING: Record<string, ValueKind> = { '--seed': 'number', '--strategy': 'text', '--backend': 'text', '--engine': 'text', '--max-memory': 'text', '--max-time': 'text', '--no-limits': 'none' };

interface CommandSpec {
  positional: number;
  /** what a user would usually give (most cases start from these, to get past the parsing) */
  usual: readonly string[];
  flags: Record<string, ValueKind>;
  /** a required flag, given most of the time */
  required?: string;
}

const COMMANDS: Record<string, CommandSpec> = {
  simulate: {
    positional: 1,
    usual: ['small.yaml', 'with-csv.yaml'],
    flags: {
      ...COMMON, ...TRAINING, '--rounds': 'number', '--json': 'output', '--trace': 'none', '--report': 'output', '--timeline': 'output',
      '--csv': 'output', '--quiet': 'none', '--no-progress': 'none', '--no-insights': 'none', '--expect': 'input', '--update': 'none', '--tolerance': 'text',
    },
  },
  validate: { positional: 2, usual: ['small.yaml', 'with-csv.yaml'], flags: { '--all': 'none' } },
  explain: { positional: 1, usual: ['small.yaml', 'with-csv.yaml'], flags: { ...TRAINING, '--round': 'number', '--node': 'text' } },
  check: { positional: 2, usual: ['golden.json'], flags: { '--tolerance': 'text', '--any-backend': 'none' } },
  sweep: {
    positional: 1, usual: ['small.yaml', 'with-csv.yaml'], required: '--out',
    flags: { ...COMMON, ...TRAINING, '--set': 'text', '--jobs': 'number', '--out': 'output', '--shard': 'text' },
  },
  merge: { positional: 2, usual: ['sweep-out'], required: '--out', flags: { '--out': 'output' } },
};

export interface FuzzCase {
  seed: number;
  index: number;
  args: string[];
}

/** Case `index` of `seed`: a command, up to its positional arguments, 0–4 flags. */
export function generateCase(seed: number, index: number): FuzzCase {
  const rng = seedrandom(`${seed}/${index}`);
  const command = pick(rng, [...Object.keys(COMMANDS), 'bogus-command']);
  const spec: CommandSpec = COMMANDS[command] ?? { positional: 1, usual: ['small.yaml'], flags: COMMON };
  const args = [command];
  const positional = rng() < 0.1 ? 0 : 1 + Math.floor(rng() * spec.positional);
  for (let i = 0; i < positional; i++) args.push(pick(rng, rng() < 0.6 ? spec.usual : INPUT_PATHS));
  if (spec.required !== undefined && rng() < 0.85) args.push(spec.required, pick(rng, OUTPUT_PATHS));
  const flagCount = Math.floor(rng() * 5);
  const names = Object.keys(spec.flags);
  for (let i = 0; i < flagCount; i++) {
    const shallow = rng() < 0.08;
    const flag = pick(rng, shallow ? Object.keys(SHALLOW) : names);
    const value = valueFor(rng, (shallow ? SHALLOW : spec.flags)[flag]!);
    if (value === undefined) args.push(flag);
    else if (rng() < 0.2) args.push(`${flag}=${value}`);
    else args.push(flag, value);
  }
  // keep training on the cpu backend most of the time (the wasm one loads slower)
  if (['simulate', 'explain', 'sweep'].includes(command) && rng() < 0.7) args.push('--backend', 'cpu');
  return { seed, index, args };
}

function valueFor(rng: Rng, kind: ValueKind): string | undefined {
  switch (kind) {
    case 'none':
      return undefined;
    case 'number':
      return pick(rng, NUMBERS);
    case 'input':
      return pick(rng, INPUT_PATHS);
    case 'output':
      return pick(rng, OUTPUT_PATHS);
    case 'text':
      return pick(rng, rng() < 0.3 ? NUMBERS : TEXTS);
  }
}

/** The fixture files the command line reads: its positional paths, what they read, --expect. */
function inputsOf(args: readonly string[]): Set<string> {
  const inputs = new Set<string>();
  const add = (path: string) => {
    inputs.add(path);
    for (const read of READS[path] ?? []) inputs.add(read);
  };
  for (let i = 1; i < args.length; i++) {
    const arg = args[i]!;
    if (arg.startsWith('-') && arg !== '-') {
      if (!arg.includes('=') && i + 1 < args.length && !args[i + 1]!.startsWith('--')) {
        if (arg === '--expect' && !args.includes('--update')) add(args[i + 1]!);
        i += 1;
      }
      continue;
    }
    add(arg);
  }
  if (args.some((arg) => arg.startsWith('--expect=') && !args.includes('--update'))) add(args.find((arg) => arg.startsWith('--expect='))!.slice(9));
  if (args.length <= 1 || !args.slice(1).some((arg) => !arg.startsWith('-'))) add('small.yaml');
  return inputs;
}

/** The values given to output flags: a file there may change unless it is also an input. */
function outputsOf(args: readonly string[]): string[] {
  const outputs: string[] = [];
  const flags = ['--json', '--report', '--timeline', '--csv', '--out', '--expect'];
  args.forEach((arg, i) => {
    const [name, inline] = arg.split(/=(.*)/s);
    if (!flags.includes(name!)) return;
    if (name === '--expect' && !args.includes('--update')) return;
    outputs.push(inline ?? args[i + 1] ?? '');
  });
  return outputs;
}

interface Snapshot {
  /** path (relative) → type and content hash */
  entries: Map<string, string>;
}

function snapshot(dir: string): Snapshot {
  const entries = new Map<string, string>();
  const walk = (path: string): void => {
    const stat = lstatSync(path);
    const name = relative(dir, path);
    if (stat.isDirectory()) {
      if (name !== '') entries.set(name, 'dir');
      for (const child of readdirSync(path)) walk(join(path, child));
    } else if (stat.isFile()) {
      entries.set(name, `file ${createHash('sha256').update(readFileSync(path)).digest('hex')}`);
    } else {
      entries.set(name, stat.isFIFO() ? 'fifo' : stat.isSymbolicLink() ? 'symlink' : 'other');
    }
  };
  walk(dir);
  return { entries };
}

function isUnder(path: string, outputs: readonly string[]): boolean {
  return outputs.some((out) => {
    const clean = out.replace(/^\.\/?/, '');
    return clean === '' ? !path.includes('/') : path === clean || path.startsWith(`${clean}/`);
  });
}

export interface CaseResult {
  problems: string[];
  status: number | null;
  stderr: string;
}

/** Runs one case in a fresh copy of `template`; lists every broken rule. */
export async function runCase(template: string, fuzzCase: FuzzCase, timeoutMs: number): Promise<CaseResult> {
  const cwd = mkdtempSync(join(tmpdir(), 'dtrain-cli-case-'));
  cpSync(template, cwd, { recursive: true });
  execFileSync('mkfifo', [join(cwd, 'fifo')]);
  const before = snapshot(cwd);
  const devices = ['/dev/null', '/dev/zero'].map((path) => [path, statSync(path).rdev] as const);
  const { status, signal, stderr, timedOut } = await spawnWithTimeout(fuzzCase.args, cwd, timeoutMs);
  const problems: string[] = [];
  if (timedOut) problems.push(`no exit after ${timeoutMs} ms (a hang?)`);
  else if (status === null || !ALLOWED_EXIT_CODES.includes(status)) problems.push(`exit code ${status ?? `signal ${signal}`}, expected one of ${ALLOWED_EXIT_CODES.join(', ')}`);
  if (STACK_TRACE.test(stderr)) problems.push('a stack trace on stderr');
  const after = snapshot(cwd);
  const inputs = inputsOf(fuzzCase.args);
  const outputs = outputsOf(fuzzCase.args);
  for (const [path, was] of before.entries) {
    const now = after.entries.get(path);
    if (now === was) continue;
    const protectedPath = inputs.has(path) || !isUnder(path, outputs);
    if (protectedPath) problems.push(`${JSON.stringify(path)} changed (${was} → ${now ?? 'removed'})`);
  }
  for (const path of after.entries.keys()) {
    if (/(^|\/)\.dtrain-[^/]*$|\.tmp$/.test(path)) problems.push(`temporary file left behind: ${JSON.stringify(path)}`);
  }
  for (const [path, rdev] of devices) {
    const stat = statSync(path);
    if (!stat.isCharacterDevice() || stat.rdev !== rdev) problems.push(`${path} is no longer the device it was`);
  }
  // a failing case's folder is kept for a look; the others are removed
  if (problems.length === 0) rmSync(cwd, { recursive: true, force: true });
  else problems.push(`its folder is kept: ${cwd}`);
  return { problems, status, stderr };
}

function spawnWithTimeout(args: readonly string[], cwd: string, timeoutMs: number): Promise<{ status: number | null; signal: NodeJS.Signals | null; stderr: string; timedOut: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let timedOut = false;
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      if (stderr.length < 100_000) stderr += chunk;
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stderr, timedOut });
    });
  });
}

/** A failure as the seed, the case, the command line (shell-quoted) and the head of stderr. */
export function describeFailure(fuzzCase: FuzzCase, result: CaseResult): string {
  const quoted = fuzzCase.args.map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `$'${arg.replace(/[\\']/g, '\\$&').replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)}'`));
  return [
    `case ${fuzzCase.index} of seed ${fuzzCase.seed} — replay: FUZZ_SEED=${fuzzCase.seed} FUZZ_CASE=${fuzzCase.index} npx vitest run test/properties/cli-fuzz.test.ts`,
    `  dtrain ${quoted.join(' ')}`,
    ...result.problems.map((problem) => `  - ${problem}`),
    `  stderr: ${JSON.stringify(result.stderr.slice(0, 600))}`,
  ].join('\n');
}
