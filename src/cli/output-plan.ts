/**
 * Every output of a command is decided and checked before the command runs (issue 9): the
 * path is writable, is not a directory, does not name a file the command reads (the scenario,
 * its traces and CSV dataset, a golden file, a plug-in) nor another output of the same command. Files are
 * told apart by device and inode when they exist (hard links, symlinks, `./x` vs `x`) and by the
 * real path of their directory when they do not yet. What passes becomes an OutputTarget for
 * the OutputWriter (src/output-file.ts), which writes the set whole or not at all.
 */
import { accessSync, constants, lstatSync, realpathSync, statSync, type Stats } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DtrainError } from '../errors.js';
import { createProblemIn, OutputWriter, type OutputTarget } from '../output-file.js';
import type { LatencySpec, Scenario } from '../scenario/types.js';
import { escapeForTerminal } from '../text/terminal-escape.js';

/** A file the command reads, in words: `{ what: 'the scenario file', path }`. */
export interface InputFile {
  what: string;
  path: string;
}

/** Longest file name most file systems take (bytes). */
const MAX_NAME_BYTES = 255;

const STDOUT_NAMES = new Set(['/dev/stdout', '/dev/fd/1', '/proc/self/fd/1']);
const STDERR_NAMES = new Set(['/dev/stderr', '/dev/fd/2', '/proc/self/fd/2']);

/** A path as shown in a message: relative to the working directory when under it, escaped. */
export function showPath(path: string): string {
  const rel = relative(process.cwd(), path);
  const shown = isAbsolute(path) && (rel === '' || rel.startsWith('..') || isAbsolute(rel)) ? path : rel === '' ? '.' : rel;
  return escapeForTerminal(shown);
}

function quote(path: string): string {
  return `'${escapeForTerminal(path)}'`;
}

function invalid(message: string): DtrainError {
  return new DtrainError('cli.invalidArgument', message);
}

function statOrUndefined(stat: (path: string) => Stats, path: string): Stats | undefined {
  try {
    return stat(path);
  } catch {
    return undefined;
  }
}

function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** Refuses a directory a file cannot be created in (every output file starts as a temporary file there). */
function checkCanCreateIn(dir: string, what: () => string): void {
  const problem = createProblemIn(dir);
  if (problem !== null) throw invalid(`${what()} is not writable (${problem})`);
}

function kindOf(stat: Stats): string {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isFIFO()) return 'a named pipe (FIFO)';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  return 'a regular file';
}

/**
 * The entries of dtrain's own installation (the package root, found from this module as
 * `dtrain playground --build` finds the built playground) that no output may overwrite: the
 * CLI's entry file, the compiled code, the bundled datasets and scenarios, the manual. An
 * output path is not an input of the run, so nothing else would stop `--ndjson
 * <install>/bin/dtrain.js`. schema/ is left out: `npm run schema` writes it with `dtrain schema --out`.
 */
const INSTALL_ENTRIES = new Set(['bin', 'dist', 'data', 'scenarios', 'docs', 'src', 'node_modules', 'package.json', 'package-lock.json']);
let installRoot: string | null | undefined;

/** src/cli/output-plan.ts or dist/cli/output-plan.js → the package root, symlinks resolved (null if gone). */
function dtrainRoot(): string | null {
  if (installRoot === undefined) {
    try {
      installRoot = realpathSync(fileURLToPath(new URL('../../', import.meta.url)));
    } catch {
      installRoot = null;
    }
  }
  return installRoot;
}

/** Refuses a real path inside one of the installation's own entries. */
function checkNotInstallation(label: string, real: string): void {
  const root = dtrainRoot();
  if (root === null) return;
  const rel = relative(root, real);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return;
  const entry = rel.split(sep)[0]!;
  if (!INSTALL_ENTRIES.has(entry)) return;
  throw invalid(`${label}: is part of dtrain's own installation (${quote(join(root, entry))}), which no output may overwrite; write the output somewhere else`);
}

function inodeKey(stat: Stats): string {
  return `inode:${stat.dev}:${stat.ino}`;
}

interface Planned {
  label: string;
  key: string;
  /** /dev/null and its kind may take several outputs */
  shareable: boolean;
}

export class OutputPlan {
  private readonly planned = new Map<string, Planned>();

  /** Whether an output goes to standard output (then the terminal text must go to stderr). */
  get usesStdout(): boolean {
    return this.planned.has('stdout');
  }

  /**
   * A file named by a flag (`--json FILE`). With `dash`, `-` and /dev/stdout mean standard
   * output. `messageFlag` is how errors name it (`init` for `dtrain init FILE`).
   */
  file(flag: string, path: string, options: { dash?: boolean } = {}): OutputTarget {
    const label = `${flag} ${escapeForTerminal(path)}`;
    if (path === '') throw invalid(`${flag}: expected a file name, found an empty string`);
    if (options.dash === true && (path === '-' || STDOUT_NAMES.has(path))) return this.add({ kind: 'stdout', label }, 'stdout', false);
    if (options.dash === true && STDERR_NAMES.has(path)) return this.add({ kind: 'stderr', label }, 'stderr', false);
    const absolute = resolve(path);
    const linkStat = statOrUndefined(lstatSync, absolute);
    const stat = statOrUndefined(statSync, absolute);
    if (linkStat !== undefined && stat === undefined) {
      throw invalid(`${label}: is a symbolic link to a missing file; remove it or name another file`);
    }
    if (stat === undefined) return this.newFile(flag, path, absolute, label);
    if (stat.isDirectory()) throw invalid(`${label}: is a directory, expected a file name`);
    if (stat.isBlockDevice() || stat.isSocket()) throw invalid(`${label}: is ${kindOf(stat)}, expected a file`);
    if (!writable(absolute)) throw invalid(`${label}: is not writable`);
    if (stat.isFile()) {
      const real = realpathSync(absolute);
      checkCanCreateIn(dirname(real), () => `${label}: directory ${quote(dirname(path))}`);
      return this.add({ kind: 'file', path: real, label }, inodeKey(stat), false);
    }
    // a device or FIFO is written in place, whatever directory it is in
    return this.add({ kind: 'special', path: absolute, label }, inodeKey(stat), stat.isCharacterDevice());
  }

  /**
   * A directory named by a flag, created at commit if missing; `parents`: missing parents too.
   * `holds` says what the command writes there, for the refusal of `-`.
   */
  directory(flag: string, path: string, options: { parents: boolean; holds?: string }): string {
    const label = `${flag} ${escapeForTerminal(path)}`;
    if (path === '') throw invalid(`${flag}: expected a directory name, found an empty string`);
    // `-` is standard output to every file flag: a folder named `-` made instead would surprise
    if (path === '-') {
      throw invalid(`${flag} -: expected a directory, found - (standard output)${options.holds === undefined ? ', where a folder of files cannot go' : `: ${options.holds}`}`);
    }
    const absolute = resolve(path);
    const stat = statOrUndefined(statSync, absolute);
    if (stat !== undefined) {
      if (!stat.isDirectory()) throw invalid(`${label}: exists and is not a directory`);
      checkCanCreateIn(absolute, () => `${label}: directory`);
      return realpathSync(absolute);
    }
    let existing = dirname(absolute);
    if (!options.parents) {
      const parent = statOrUndefined(statSync, existing);
      if (parent === undefined || !parent.isDirectory()) throw invalid(`${label}: parent directory ${quote(dirname(path))} does not exist`);
    } else {
      while (statOrUndefined(statSync, existing) === undefined && dirname(existing) !== existing) existing = dirname(existing);
      if (!statSync(existing).isDirectory()) throw invalid(`${label}: ${quote(existing)} is not a directory`);
    }
    checkCanCreateIn(existing, () => `${label}: directory ${quote(existing)}`);
    checkNameLength(label, basename(absolute));
    const created = join(realpathSync(existing), relative(existing, absolute));
    // a directory to be created may not be the file another output writes (`--json o --csv o`)
    this.add({ kind: 'file', path: created, label }, `path:${created}`, false);
    return created;
  }

  /** A file that a command writes inside an output directory (`rounds.csv` in `--csv DIR`). */
  fileIn(flag: string, dir: string, shownDir: string, name: string): OutputTarget {
    const path = join(dir, name);
    const label = `${flag} ${escapeForTerminal(shownDir)} (${escapeForTerminal(join(shownDir, name))})`;
    const linkStat = statOrUndefined(lstatSync, path);
    const stat = statOrUndefined(statSync, path);
    if (linkStat !== undefined && stat === undefined) throw invalid(`${label}: is a symbolic link to a missing file`);
    if (stat !== undefined) {
      if (!stat.isFile()) throw invalid(`${label}: is ${kindOf(stat)}, expected a regular file`);
      if (!writable(path)) throw invalid(`${label}: is not writable`);
      const real = realpathSync(path);
      return this.add({ kind: 'file', path: real, label }, inodeKey(stat), false);
    }
    return this.add({ kind: 'file', path, label }, `path:${path}`, false);
  }

  /** Refuses an output that is one of the files the command reads. */
  checkInputs(inputs: readonly InputFile[]): void {
    for (const input of inputs) {
      const stat = statOrUndefined(statSync, input.path);
      if (stat === undefined || stat.isCharacterDevice()) continue;
      const hit = this.planned.get(inodeKey(stat));
      if (hit !== undefined) {
        throw invalid(`${hit.label} would overwrite ${input.what} ${quote(showPath(input.path))}, which this command reads; write the output somewhere else`);
      }
    }
  }

  writer(): OutputWriter {
    return new OutputWriter();
  }

  private newFile(flag: string, path: string, absolute: string, label: string): OutputTarget {
    const dir = dirname(absolute);
    const dirStat = statOrUndefined(statSync, dir);
    if (dirStat === undefined || !dirStat.isDirectory()) throw invalid(`${label}: directory ${quote(dirname(path))} does not exist`);
    checkCanCreateIn(dir, () => `${label}: directory ${quote(dirname(path))}`);
    checkNameLength(label, basename(absolute));
    const real = join(realpathSync(dir), basename(absolute));
    return this.add({ kind: 'file', path: real, label }, `path:${real}`, false);
  }

  private add(target: OutputTarget, key: string, shareable: boolean): OutputTarget {
    if (target.kind === 'file') checkNotInstallation(target.label, target.path);
    const same = this.planned.get(key);
    if (same !== undefined && !(shareable && same.shareable)) {
      const reason = key === 'stdout' ? 'both write to standard output' : key === 'stderr' ? 'both write to standard error' : 'name the same file';
      throw invalid(`${same.label} and ${target.label} ${reason}; give each output its own path`);
    }
    if (same === undefined) this.planned.set(key, { label: target.label, key, shareable });
    return target;
  }
}

/** Whether two paths name one existing file (device and inode). */
export function isSameFile(a: string, b: string): boolean {
  const first = statOrUndefined(statSync, a);
  const second = statOrUndefined(statSync, b);
  return first !== undefined && second !== undefined && first.dev === second.dev && first.ino === second.ino;
}

function checkNameLength(label: string, name: string): void {
  const bytes = Buffer.byteLength(name, 'utf8');
  if (bytes > MAX_NAME_BYTES) throw invalid(`${label}: file name too long (${bytes} bytes, at most ${MAX_NAME_BYTES})`);
}

function latencyFiles(spec: LatencySpec, into: Set<string>): void {
  const process = spec.process;
  if (process.kind === 'trace') into.add(process.file);
  if (process.kind === 'phases') for (const phase of process.phases) latencyFiles(phase.latency, into);
}

/** The files loaded scenarios read: the scenario file, their trace files and CSV datasets. */
export function scenarioInputs(scenarios: Scenario | readonly Scenario[], file: string | undefined): InputFile[] {
  const inputs: InputFile[] = [];
  if (file !== undefined) inputs.push({ what: 'the scenario file', path: resolve(file) });
  const traces = new Set<string>();
  const datasets = new Set<string>();
  for (const scenario of Array.isArray(scenarios) ? scenarios : [scenarios]) {
    for (const node of scenario.cluster.nodes) latencyFiles(node.latency, traces);
    const dataset = scenario.data.dataset;
    if (dataset.kind === 'csv') datasets.add(dataset.file);
  }
  for (const trace of traces) inputs.push({ what: 'the trace file', path: trace });
  for (const dataset of datasets) inputs.push({ what: 'the CSV dataset', path: dataset });
  return inputs;
}
