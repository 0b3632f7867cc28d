/**
 * The files a scenario names (the scenario itself, traces, CSV datasets) as text, without
 * trusting them (SPEC §1.5: bad input gets a clear error). The host reads the bytes, bounded
 * (src/host.ts; node/read-file.ts for Node), so a huge file, `/dev/zero` or `/dev/urandom`
 * stops at the size limit instead of filling memory; here the bytes must be UTF-8 text without
 * NUL bytes, and a bad byte is reported with its line and column, because a silently replaced
 * byte (U+FFFD) would change an id or a path.
 */
import type { FileHost } from '../host.js';
import { escapeForTerminal } from '../text/terminal-escape.js';

/** Scenario files are hand-written: 4 MiB is far more than any real one. */
export const MAX_SCENARIO_BYTES = 4 * 1024 * 1024;
/** Traces and CSV datasets: a day of 1 Hz pings or a 1M-row dataset fits comfortably. */
export const MAX_DATA_FILE_BYTES = 256 * 1024 * 1024;
/**
 * JSON reports (run reports, goldens) and `sweep.json`: dtrain writes a report as one string,
 * so none it wrote is longer than V8's longest string (2^29 − 24 characters, ASCII).
 */
export const MAX_REPORT_BYTES = 2 ** 29 - 24;

export type TextFileRead =
  | { ok: true; text: string }
  /**
   * the file cannot be read at all (missing, a directory, too large): `problem` fits "found …";
   * `near`: for a missing file, one of a close name in its folder, written as the path was
   */
  | { ok: false; problem: string; tooLarge?: boolean; near?: string }
  /** the file was read, but its bytes are not text; 1-based position of the first bad byte */
  | { ok: false; problem: string; line: number; column: number };

export function formatBytes(bytes: number): string {
  return formatBytesTo(bytes, 1);
}

/**
 * "found" words for a file over a size limit. Rounded, 4 MiB + 1 byte and its 4 MiB limit
 * read the same; then both are shown in bytes.
 */
export function fileOverLimit(size: number, limit: number): string {
  if (formatBytes(size) !== formatBytes(limit)) return `a file of ${formatBytes(size)} (the limit is ${formatBytes(limit)})`;
  const bytes = (n: number) => `${n.toLocaleString('en-US')} bytes`;
  return `a file of ${bytes(size)} (the limit is ${formatBytes(limit)}, ${bytes(limit)})`;
}

/** formatBytes with `decimals` decimals (formatBytes has one). */
export function formatBytesTo(bytes: number, decimals: number): string {
  const whole = Math.round(bytes); // an estimate's part may be a fraction of a byte
  if (whole < 1024) return `${whole} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${Number(value.toFixed(decimals))} ${units[unit]}`;
}

/**
 * A file's bytes, or what is wrong with it in words that fit "found …"; `tooLarge`: it is over
 * the size limit (a caller may say how to make it smaller).
 */
export type BytesRead = { ok: true; bytes: Uint8Array } | { ok: false; problem: string; tooLarge?: boolean; near?: string };

/** `did you mean 'scenario.yaml'?` for a missing file whose folder has one of a close name. */
export function nearFileHint(read: { near?: string }): string | undefined {
  return read.near === undefined ? undefined : `did you mean '${escapeForTerminal(read.near)}'?`;
}

/**
 * Read `path` through the host as UTF-8 text (a leading BOM is dropped), or say what is wrong
 * with it. `quoteBytes: false` leaves the value of a bad byte out of the problem: the file may
 * be a secret that someone named by mistake, and messages end up in public CI logs.
 */
export function readTextFileWith(
  host: Pick<FileHost, 'readFile'>,
  path: string,
  maxBytes: number,
  options: { regularOnly?: boolean; quoteBytes?: boolean } = {},
): TextFileRead {
  const read = host.readFile(path, maxBytes, { regularOnly: options.regularOnly });
  if (!read.ok) return read;
  return decodeText(read.bytes, { quoteBytes: options.quoteBytes });
}

/** Bytes → text; NUL bytes and invalid UTF-8 are located (line and column in characters). */
export function decodeText(bytes: Uint8Array, options: { quoteBytes?: boolean } = {}): TextFileRead {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return { ok: false, problem: 'UTF-16 text (save the file as UTF-8)', line: 1, column: 1 };
  }
  const nul = bytes.indexOf(0);
  const invalid = firstInvalidUtf8(bytes);
  const bad = nul >= 0 && (invalid < 0 || nul < invalid) ? nul : invalid;
  if (bad >= 0) {
    const value = options.quoteBytes === false ? '' : ` (0x${bytes[bad]!.toString(16).toUpperCase().padStart(2, '0')})`;
    const what = bad === nul ? 'binary data (a NUL byte)' : `a byte that is not UTF-8${value}`;
    return { ok: false, problem: what, ...positionOfByte(bytes, bad) };
  }
  const text = new TextDecoder('utf-8').decode(bytes);
  return { ok: true, text };
}

function positionOfByte(bytes: Uint8Array, offset: number): { line: number; column: number } {
  let lineStart = 0;
  let line = 1;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  // the bytes before `offset` on its line are valid UTF-8: count their characters
  const column = [...new TextDecoder('utf-8').decode(bytes.subarray(lineStart, offset))].length + 1;
  return { line, column };
}

/** Offset of the first byte that breaks UTF-8 (RFC 3629: no overlongs, no surrogates), or −1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    let code: number;
    if (b >= 0xc2 && b <= 0xdf) [need, min, code] = [1, 0x80, b & 0x1f];
    else if (b >= 0xe0 && b <= 0xef) [need, min, code] = [2, 0x800, b & 0x0f];
    else if (b >= 0xf0 && b <= 0xf4) [need, min, code] = [3, 0x10000, b & 0x07];
    else return i;
    for (let k = 1; k <= need; k++) {
      const next = bytes[i + k];
      if (next === undefined || (next & 0xc0) !== 0x80) return i;
      code = (code << 6) | (next & 0x3f);
    }
    if (code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}
