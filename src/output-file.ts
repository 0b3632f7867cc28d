/**
 * Writing a command's output files as one set (SPEC §1.5, issue 9): every file is first
 * written whole to a temporary file beside its target, and only when all of them were written
 * are they renamed over their targets; a failure on any removes every temporary file, so a
 * command leaves either all of its outputs or none. Targets that are not regular files (a
 * device such as /dev/null, a FIFO, standard output) are written in place after the temporary
 * files succeeded, never replaced by a rename.
 *
 * Temporary names are short (`.dtrain-<pid>-<n>.tmp`, so a 250-byte file name still fits) and
 * carry the writer's pid: a process killed mid-write leaves one behind, and the next dtrain
 * writing into that directory removes it once that pid is gone.
 */
import { closeSync, constants, existsSync, mkdirSync, openSync, readdirSync, readSync, realpathSync, renameSync, rmdirSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { threadId } from 'node:worker_threads';
import type { Writable } from 'node:stream';
import { DtrainError } from './errors.js';
import { escapeForTerminal } from './text/terminal-escape.js';

/** Where one output goes, decided before the run (src/cli/output-plan.ts). */
export type OutputTarget =
  /** a regular file (existing or new): temp file in its directory, then rename; `path` absolute, symlinks resolved */
  | { kind: 'file'; path: string; label: string }
  /** a device, FIFO or socket, or a path under /dev or /proc: opened and written in place */
  | { kind: 'special'; path: string; label: string }
  | { kind: 'stdout'; label: string }
  | { kind: 'stderr'; label: string };

const TEMP_NAME = /^\.dtrain-(\d+)-\d+(?:-(\d+))?\.tmp$/;
let tempCount = 0;

function nextTempPath(dir: string): string {
  tempCount += 1;
  // a worker thread (a study's, writing a run's full report) counts its own: its thread id
  // keeps its names apart from the main thread's and the other workers'
  return join(dir, `.dtrain-${process.pid}-${tempCount}${threadId === 0 ? '' : `-${threadId}`}.tmp`);
}

function processIsGone(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    // EPERM: alive, owned by someone else
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Removes the temporary files in `dir` that `whose` picks (by pid and thread id). Best effort. */
function removeTemps(dir: string, whose: (pid: number, thread: string | undefined) => boolean): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const match = TEMP_NAME.exec(name);
    if (match === null || !whose(Number(match[1]), match[2])) continue;
    try {
      rmSync(join(dir, name), { force: true });
    } catch {
      // someone else's file we may not remove: leave it
    }
  }
}

/** Removes temporary files left in `dir` by dtrain processes that no longer run. Best effort. */
export function removeStaleTemps(dir: string): void {
  removeTemps(dir, (pid) => processIsGone(pid));
}

/**
 * The folders this thread has already cleaned of dead processes' temporary files. Once is
 * enough: a study or sweep writes a file per run into one folder, and listing a folder of
 * 20,000 records for each of them took 11 ms a run, most of a 20,000-run study's main thread.
 */
const cleanedDirs = new Set<string>();

function removeStaleTempsOnce(dir: string): void {
  if (cleanedDirs.has(dir)) return;
  cleanedDirs.add(dir);
  removeStaleTemps(dir);
}

/**
 * Removes the temporary files this process's worker threads left in `dir`: a worker stopped
 * mid-run (Ctrl-C during a sweep) cannot remove its own. Call it only once those workers are
 * gone. Best effort.
 */
export function removeWorkerTemps(dir: string): void {
  removeTemps(dir, (pid, thread) => pid === process.pid && thread !== undefined);
}

const WRITE_PROBLEMS: Record<string, string> = {
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large',
  EIO: 'input/output error',
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  ENOENT: 'no such file or directory',
  ENAMETOOLONG: 'file name too long',
  ENXIO: 'no process is reading the named pipe',
  EPIPE: 'the reader closed the pipe',
  EEXIST: 'already exists',
  EXDEV: 'cannot rename across file systems',
  ELOOP: 'too many symbolic links',
  EAGAIN: 'the device is not ready',
};

/**
 * Why a file cannot be created in `dir`, in words, or null when it can: a temporary file is
 * created there and removed at once. access(2) alone says yes where creating fails, for root
 * on /sys for one, and a run would then find out only at its end.
 */
export function createProblemIn(dir: string): string | null {
  const probe = nextTempPath(dir);
  try {
    rmSync(probe, { force: true });
    closeSync(openSync(probe, 'wx'));
  } catch (error) {
    // /proc answers a create in an existing directory with "no such file"
    return (error as NodeJS.ErrnoException).code === 'ENOENT' && existsSync(dir) ? 'no file can be created there' : writeProblem(error);
  }
  rmSync(probe, { force: true });
  return null;
}

/** A write error's reason in words (never a stack). */
export function writeProblem(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return WRITE_PROBLEMS[code] ?? code;
  return error instanceof Error ? error.message : String(error);
}

interface Staged {
  target: OutputTarget;
  content: string;
  temp?: string;
  /** a streamed entry: its temporary file, open for appending until commit */
  fd?: number;
  streamed?: boolean;
}

/** Bytes copied per write when a streamed output goes to a device or standard output. */
const COPY_CHUNK = 1 << 20;

function writeAll(fd: number, content: string | Buffer): void {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  let offset = 0;
  while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
}

/**
 * One command's outputs: `stage` each, then `commit`. `write` is the file writer, replaceable
 * by tests to simulate a full disk.
 */
export class OutputWriter {
  private readonly staged: Staged[] = [];
  private readonly createdDirs: string[] = [];
  private done = false;
  private committed = false;
  // process.exit() between stage and commit (a second Ctrl-C) must not leave temporary files
  private readonly onExit = (): void => this.abort();
  private listening = false;

  constructor(private readonly write: (path: string, content: string) => void = (path, content) => writeFileSync(path, content, { flag: 'wx' })) {}

  /** Creates `dir` (and missing parents) now; removed again if the set is not committed. */
  ensureDir(dir: string, label: string): void {
    let first: string | undefined;
    try {
      first = mkdirSync(dir, { recursive: true });
    } catch (error) {
      this.abort();
      throw new DtrainError('output.unwritable', `cannot create ${label}: ${writeProblem(error)}; no output was written`, { exitCode: 1 });
    }
    if (first === undefined) return;
    const chain: string[] = [];
    for (let d = dir; ; d = dirname(d)) {
      chain.push(d);
      if (d === first || dirname(d) === d) break;
    }
    for (let i = chain.length - 1; i >= 0; i--) this.createdDirs.push(chain[i]!);
  }

  /** Writes a regular file's content to its temporary file now; other targets are written at commit. */
  stage(target: OutputTarget, content: string): void {
    if (this.done) throw new Error('OutputWriter: stage after commit');
    const entry: Staged = { target, content };
    if (target.kind === 'file') {
      const dir = dirname(target.path);
      removeStaleTempsOnce(dir);
      const temp = nextTempPath(dir);
      if (!this.listening) process.on('exit', this.onExit);
      this.listening = true;
      entry.temp = temp;
      this.staged.push(entry);
      try {
        // a leftover of an earlier process that had our pid; 'wx' then refuses planted symlinks
        rmSync(temp, { force: true });
        this.write(temp, content);
      } catch (error) {
        this.fail(target, error);
      }
      return;
    }
    this.staged.push(entry);
  }

  /**
   * An output written piece by piece as the run goes (a `--json` of 131,072 nodes is too large
   * to hold as one string): each call appends to a temporary file, which commit treats as
   * `stage` does its content: renamed over a regular file, copied to a device or standard
   * output. A failure removes every temporary file and throws, as `stage` does.
   */
  stream(target: OutputTarget): (piece: string | Buffer) => void {
    const entry = this.openStreamed(target);
    return (piece) => this.append(entry, piece);
  }

  /**
   * An output written piece by piece now, by `fill` (a copy of a file too large to hold as
   * one string, say), then staged as `stream` stages it; its temporary file is closed when
   * `fill` returns, so a command may stage many. A throw from `fill` removes every temporary
   * file and passes on.
   */
  stageFrom(target: OutputTarget, fill: (append: (piece: string | Buffer) => void) => void): void {
    const entry = this.openStreamed(target);
    try {
      fill((piece) => this.append(entry, piece));
    } catch (error) {
      this.abort();
      throw error;
    }
    try {
      closeSync(entry.fd!);
      entry.fd = undefined;
    } catch (error) {
      this.fail(target, error);
    }
  }

  private openStreamed(target: OutputTarget): Staged {
    if (this.done) throw new Error('OutputWriter: stream after commit');
    const dir = target.kind === 'file' ? dirname(target.path) : tmpdir();
    removeStaleTempsOnce(dir);
    const entry: Staged = { target, content: '', temp: nextTempPath(dir), streamed: true };
    if (!this.listening) process.on('exit', this.onExit);
    this.listening = true;
    this.staged.push(entry);
    try {
      rmSync(entry.temp!, { force: true });
      entry.fd = openSync(entry.temp!, 'wx');
    } catch (error) {
      this.fail(target, error);
    }
    return entry;
  }

  private append(entry: Staged, piece: string | Buffer): void {
    if (this.done || entry.fd === undefined) throw new Error('OutputWriter: write after commit');
    try {
      writeAll(entry.fd, piece);
    } catch (error) {
      this.fail(entry.target, error);
    }
  }

  /** In-place targets first (they can still fail), then the renames, then standard output and error. */
  commit(): void {
    if (!this.commitFiles()) return;
    for (const { entry, stream } of this.toStreams()) {
      if (entry.streamed === true) copyTo(entry.temp!, (chunk) => stream.write(chunk));
      else stream.write(entry.content);
    }
    this.removeCopies();
  }

  /**
   * commit, with what goes to standard output or error written at its reader's pace: a
   * streamed output there (`--json -` of 131,072 nodes is 1.2 GB) was written in one loop that
   * queued all of it in memory whenever the reader was slower than the disk. `filesCommitted`
   * is told once every file is in place, before standard output is written.
   */
  async commitPaced(filesCommitted?: () => void): Promise<void> {
    if (!this.commitFiles()) return;
    filesCommitted?.();
    // a reader gone ends the process from its error handler (src/cli.ts): the copies go with it
    const onExit = (): void => this.removeCopies();
    process.on('exit', onExit);
    try {
      for (const { entry, stream } of this.toStreams()) {
        if (entry.streamed !== true) {
          stream.write(entry.content);
          continue;
        }
        for (const chunk of chunksOf(entry.temp!)) if (!stream.write(chunk)) await drained(stream);
      }
    } finally {
      process.off('exit', onExit);
      this.removeCopies();
    }
  }

  /** The outputs bound for standard output or error, in the order they were staged. */
  private toStreams(): Array<{ entry: Staged; stream: NodeJS.WriteStream }> {
    return this.staged.flatMap((entry) => {
      const stream = entry.target.kind === 'stdout' ? process.stdout : entry.target.kind === 'stderr' ? process.stderr : null;
      return stream === null ? [] : [{ entry, stream }];
    });
  }

  /** The temporary copies of streamed outputs that went to a device or standard output. */
  private removeCopies(): void {
    for (const entry of this.staged) {
      if (entry.temp === undefined) continue;
      rmSync(entry.temp, { force: true });
      entry.temp = undefined;
    }
  }

  /** Everything but standard output and error; false when already done. */
  private commitFiles(): boolean {
    if (this.done) return false;
    for (const entry of this.staged) {
      if (entry.fd === undefined) continue;
      try {
        closeSync(entry.fd);
        entry.fd = undefined;
      } catch (error) {
        this.fail(entry.target, error);
      }
    }
    for (const entry of this.staged) {
      if (entry.target.kind !== 'special') continue;
      try {
        if (entry.streamed === true) copyInPlace(entry.temp!, entry.target.path);
        else writeInPlace(entry.target.path, entry.content);
      } catch (error) {
        this.fail(entry.target, error);
      }
    }
    for (const entry of this.staged) {
      if (entry.target.kind !== 'file') continue;
      try {
        renameSync(entry.temp!, entry.target.path);
        entry.temp = undefined;
      } catch (error) {
        this.fail(entry.target, error);
      }
    }
    this.done = true;
    this.committed = true;
    process.off('exit', this.onExit);
    return true;
  }

  /** Removes every temporary file and every directory this set created. */
  abort(): void {
    if (this.committed) return;
    this.done = true;
    process.off('exit', this.onExit);
    for (const entry of this.staged) {
      if (entry.fd !== undefined) {
        try {
          closeSync(entry.fd);
        } catch {
          // already failing: the file goes anyway
        }
        entry.fd = undefined;
      }
      if (entry.temp !== undefined) rmSync(entry.temp, { force: true });
      entry.temp = undefined;
    }
    for (let i = this.createdDirs.length - 1; i >= 0; i--) {
      try {
        rmdirSync(this.createdDirs[i]!);
      } catch {
        // not empty (someone else wrote into it): leave it
      }
    }
  }

  private fail(target: OutputTarget, error: unknown): never {
    this.abort();
    throw new DtrainError('output.unwritable', `cannot write ${target.label}: ${writeProblem(error)}; no output was written`, { exitCode: 1 });
  }
}

/**
 * A device or FIFO opened for writing, never created or truncated by rename. A FIFO is first
 * opened without blocking, which fails (ENXIO) when no process reads it instead of hanging;
 * that descriptor stays open until the blocking one is, so the reader never sees an end of
 * file between the two (a reader such as `cat` would take it for the end and leave, and the
 * blocking open would then wait for a reader for ever).
 */
function openInPlace(path: string): number {
  let probe: number | undefined;
  try {
    probe = openSync(path, constants.O_WRONLY | constants.O_NONBLOCK);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
  }
  try {
    return openSync(path, constants.O_WRONLY);
  } finally {
    if (probe !== undefined) closeSync(probe);
  }
}

function withDescriptorInPlace(path: string, use: (fd: number) => void): void {
  const fd = openInPlace(path);
  try {
    use(fd);
  } finally {
    closeSync(fd);
  }
}

function writeInPlace(path: string, content: string): void {
  withDescriptorInPlace(path, (fd) => writeAll(fd, content));
}

/** A file's bytes, a chunk at a time. */
function copyTo(path: string, write: (chunk: Buffer) => void): void {
  for (const chunk of chunksOf(path)) write(chunk);
}

/** A file's bytes, COPY_CHUNK at a time, each chunk a buffer of its own (a stream may keep it queued). */
function* chunksOf(path: string): Generator<Buffer, void, void> {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(COPY_CHUNK);
    for (let read = readSync(fd, buffer, 0, COPY_CHUNK, null); read > 0; read = readSync(fd, buffer, 0, COPY_CHUNK, null)) {
      yield Buffer.from(buffer.subarray(0, read));
    }
  } finally {
    closeSync(fd);
  }
}

/** A streamed output's temporary file copied to a device or FIFO (opened as writeInPlace does). */
function copyInPlace(temp: string, path: string): void {
  withDescriptorInPlace(path, (fd) => copyTo(temp, (chunk) => writeAll(fd, chunk)));
}

/**
 * An output written in place line by line as the run goes (`--ndjson`): not staged, because it
 * exists to keep the rounds that finished when the run does not. Opened (created or
 * truncated) now; `write` appends; `close` ends it. Write errors are `output.unwritable`.
 */
export interface LiveOutput {
  write(text: string): void;
  /**
   * Settles once what was written has been taken: at once for a file, a device or a FIFO
   * (written synchronously), when its stream drains for standard output or error (a pipe whose
   * reader is slower than the run would otherwise hold every round's text in memory: 2.9 GB at
   * 131,072 nodes), or when that stream fails or closes (its error is handled where every
   * write to it is, src/cli.ts).
   */
  taken(): Promise<void>;
  close(): void;
}

/** Characters written to a stream at a time by writePaced. */
const PACED_CHARS = 1024 * 1024;

/**
 * Text too long to be one string (the terminal tables of a long run), written to `stream` a
 * megabyte or so at a time, at its reader's pace: what the reader has not taken is not held.
 */
export async function writePaced(stream: Writable, pieces: Iterable<string>): Promise<void> {
  let batch: string[] = [];
  let chars = 0;
  const flush = async (): Promise<void> => {
    const text = batch.join('');
    batch = [];
    chars = 0;
    if (!stream.write(text)) await drained(stream);
  };
  for (const piece of pieces) {
    batch.push(piece);
    chars += piece.length;
    if (chars >= PACED_CHARS) await flush();
  }
  if (chars > 0) await flush();
}

/** Settles when `stream` has drained what it queued, or failed or closed trying. */
export function drained(stream: Writable): Promise<void> {
  if (!stream.writableNeedDrain) return Promise.resolve();
  return new Promise((settle) => {
    const done = (): void => {
      stream.off('drain', done).off('error', done).off('close', done);
      settle();
    };
    stream.on('drain', done).on('error', done).on('close', done);
  });
}

export function openLiveOutput(target: OutputTarget): LiveOutput {
  // opening comes before the run (nothing ran: exit 2); a write that fails stops a run (exit 1)
  const fail = (error: unknown, exitCode = 1): never => {
    throw new DtrainError('output.unwritable', `cannot write ${target.label}: ${writeProblem(error)}`, { exitCode });
  };
  if (target.kind === 'stdout' || target.kind === 'stderr') {
    // through the process's stream, so that a reader gone (`| head`) ends dtrain as it ends
    // every other write to standard output (src/cli.ts), quietly
    const stream = target.kind === 'stdout' ? process.stdout : process.stderr;
    return { write: (text) => void stream.write(text), taken: () => drained(stream), close: () => {} };
  }
  let fd: number | undefined;
  try {
    if (target.kind === 'special') {
      // a FIFO without a reader fails now (ENXIO) instead of hanging
      fd = openInPlace(target.path);
    } else {
      fd = openSync(target.path, 'w');
    }
  } catch (error) {
    fail(error, 2);
  }
  const out = fd!;
  let open = true;
  return {
    write(text) {
      if (!open) return;
      try {
        writeAll(out, text);
      } catch (error) {
        fail(error);
      }
    },
    taken: () => Promise.resolve(),
    close() {
      if (!open) return;
      open = false;
      closeSync(out);
    },
  };
}

/** The target for a path checked elsewhere: a device or FIFO in place, a file by its real path. */
export function targetOf(path: string): OutputTarget {
  const label = `'${escapeForTerminal(path)}'`;
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return { kind: 'file', path, label };
  }
  if (stat.isFile()) return { kind: 'file', path: realpathSync(path), label };
  return stat.isDirectory() ? { kind: 'file', path, label } : { kind: 'special', path, label };
}

/** One file written whole or not at all (a set of one). */
export function writeFileAtomic(target: OutputTarget | string, content: string): void {
  const writer = new OutputWriter();
  writer.stage(typeof target === 'string' ? targetOf(target) : target, content);
  writer.commit();
}
