/**
 * Bounded reads from the file system, for the Node host (host.ts) and the CLI's own files
 * (reports, goldens, sweep.json). A file is read in chunks up to a limit, so `/dev/zero` or a
 * huge file stops there; with `regularOnly` a pipe, socket, device or directory is refused by
 * looking at the opened descriptor, never waited on.
 */
import { closeSync, constants, fstatSync, opendirSync, openSync, readSync, type Stats } from 'node:fs';
import { basename, dirname } from 'node:path';
import { didYouMean } from '../scenario/suggest.js';
import { decodeText, fileOverLimit, formatBytes, type BytesRead, type TextFileRead } from '../scenario/text-file.js';

const CHUNK_BYTES = 1024 * 1024;

/** What went wrong opening or reading a file, in words that fit "found …". */
export function fileProblem(error: unknown): string {
  const code = (error as { code?: string }).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return 'no such file';
  if (code === 'EISDIR') return 'a directory';
  if (code === 'EACCES' || code === 'EPERM') return 'a file it has no permission to read';
  if (code === 'ELOOP') return 'a loop of symbolic links';
  if (code === 'ENAMETOOLONG') return 'a path that is too long';
  if (code === 'ERR_INVALID_ARG_VALUE' || code === 'ERR_INVALID_ARG_TYPE') return 'a path with a NUL character';
  return code ?? String(error);
}

/** A folder listed for a name close to a missing file's, at most this many entries: a typo's folder is a user's, not a dataset's. */
const NEAR_FILE_ENTRIES = 10_000;

/**
 * A file in `path`'s folder whose name is close to the missing one's (`scenario.yml` →
 * `scenario.yaml`, `Quickstart.yaml` → `quickstart.yaml`), its folder written as in `path`.
 */
export function nearFile(path: string): string | undefined {
  const folder = dirname(path);
  const names: string[] = [];
  try {
    const dir = opendirSync(folder);
    try {
      for (let entry = dir.readSync(); entry !== null && names.length < NEAR_FILE_ENTRIES; entry = dir.readSync()) {
        if (entry.isFile() || entry.isSymbolicLink()) names.push(entry.name);
      }
    } finally {
      dir.closeSync();
    }
  } catch {
    return undefined;
  }
  const match = didYouMean(basename(path), names);
  if (match === undefined) return undefined;
  return path.slice(0, path.length - basename(path).length) + match;
}

/**
 * `read`, and for a file that is not there the name of one close to it (`near`). Only where a
 * message follows: a folder is listed for it, which a loop over many files that may be missing
 * (a resume's stored reports) must not pay for each.
 */
export function withNearFile<R extends { ok: boolean; problem?: string }>(path: string, read: R): R & { near?: string } {
  if (read.ok || read.problem !== 'no such file') return read;
  const near = nearFile(path);
  return near === undefined ? read : { ...read, near };
}

function kindOf(stat: Stats): string {
  if (stat.isFIFO()) return 'a named pipe (FIFO)';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

/**
 * The file's bytes, at most `maxBytes`; a problem in words when it cannot be read.
 * `regularOnly`: refuse pipes, sockets, devices and directories — for every file dtrain reads
 * that may come from someone else (traces, datasets, reports, manifests). The check is made
 * on the open descriptor, not on the path: the file is opened with O_NONBLOCK (so a FIFO
 * opens at once instead of waiting for a writer) and then fstat'ed, so a FIFO swapped in
 * after an earlier check is refused, never read or waited on. Without `regularOnly` a pipe
 * or device is read (the scenario may be `/dev/stdin`), still at most `maxBytes`.
 */
export function readFileBounded(path: string, maxBytes: number, options: { regularOnly?: boolean } = {}): BytesRead {
  // A regular file's bytes go straight into one buffer of its size (a 137 MB dataset was
  // copied twice, chunk by chunk and then joined: 0.8 s of its 4 s read, mostly memory
  // touched for the first time); a pipe's are gathered in chunks, and so is whatever a file
  // that grew since fstat holds past that size.
  const sized: { buffer: Buffer | null; filled: number } = { buffer: null, filled: 0 };
  const chunks: Buffer[] = [];
  let total = 0;
  let over = false;
  const read = readFileInChunks(path, (chunk) => {
    // devices, pipes and files that grew since fstat: stop reading once past the limit
    if (total + chunk.length > maxBytes) over = true;
    else if (sized.buffer !== null && chunks.length === 0 && sized.filled + chunk.length <= sized.buffer.length) sized.filled += chunk.copy(sized.buffer, sized.filled);
    else chunks.push(Buffer.from(chunk));
    total += chunk.length;
    return !over;
  }, { ...options, maxBytes, onSize: (size) => (sized.buffer = Buffer.allocUnsafe(size)) });
  if (!read.ok) return read;
  if (over) return { ok: false, problem: `more than ${formatBytes(maxBytes)} of data (the limit)`, tooLarge: true };
  const head = sized.buffer === null ? [] : [sized.buffer.subarray(0, sized.filled)];
  // a file that shrank since fstat: the bytes there were
  if (chunks.length === 0 && head.length === 1) return { ok: true, bytes: head[0]! };
  return { ok: true, bytes: Buffer.concat([...head, ...chunks], total) };
}

/**
 * Reads `path` a chunk at a time into `onChunk`, for a file too large to hold at once (a
 * 131,072-node run's JSON report is over a gigabyte): the same checks as readFileBounded, a
 * regular file of more than `maxBytes` (if given) refused before anything is read. `onChunk`
 * sees a buffer that is reused for the next chunk, and stops the reading by returning false.
 * An exception thrown by `onChunk` passes through, the file closed.
 */
export function readFileInChunks(
  path: string,
  onChunk: (chunk: Buffer) => boolean | void,
  /** onSize: a regular file's size, told before its first chunk */
  options: { regularOnly?: boolean; maxBytes?: number; onSize?: (bytes: number) => void } = {},
): { ok: true } | { ok: false; problem: string; tooLarge?: boolean } {
  const regularOnly = options.regularOnly === true;
  let fd: number;
  try {
    fd = openSync(path, regularOnly ? constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY : 'r');
  } catch (error) {
    return { ok: false, problem: fileProblem(error) };
  }
  try {
    let stat: Stats;
    try {
      stat = fstatSync(fd);
    } catch (error) {
      return { ok: false, problem: fileProblem(error) };
    }
    if (stat.isDirectory()) return { ok: false, problem: 'a directory' };
    if (regularOnly && !stat.isFile()) return { ok: false, problem: kindOf(stat) };
    if (options.maxBytes !== undefined && stat.isFile() && stat.size > options.maxBytes) {
      return { ok: false, problem: fileOverLimit(stat.size, options.maxBytes), tooLarge: true };
    }
    if (stat.isFile()) options.onSize?.(stat.size);
    const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    for (;;) {
      let read: number;
      try {
        read = readSync(fd, buffer, 0, buffer.length, null);
      } catch (error) {
        return { ok: false, problem: fileProblem(error) };
      }
      if (read === 0 || onChunk(buffer.subarray(0, read)) === false) return { ok: true };
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Read `path` as UTF-8 text (a leading BOM is dropped), or say what is wrong with it.
 * `quoteBytes: false` leaves the value of a bad byte out of the problem: the file may be a
 * secret that someone named by mistake, and messages end up in public CI logs.
 */
export function readTextFileLimited(path: string, maxBytes: number, options: { regularOnly?: boolean; quoteBytes?: boolean } = {}): TextFileRead {
  const read = readFileBounded(path, maxBytes, options);
  if (!read.ok) return read;
  return decodeText(read.bytes, { quoteBytes: options.quoteBytes });
}
