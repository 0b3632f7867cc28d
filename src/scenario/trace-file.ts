/**
 * Latency trace files for `{ trace: path }` (SPEC §3), told apart by content:
 *
 * 1. CSV: header `time_ms,latency_ms`, one row per probe. An empty latency is a lost probe.
 *    Times must be finite and strictly increasing (two samples at one time would make the
 *    first unreachable for "the last sample at or before t"); latencies finite and ≥ 0.
 * 2. Raw `ping -D` output: times come from the bracketed Unix timestamps of the replies. Every
 *    icmp_seq between the first and the last seen (or up to the summary's "N packets
 *    transmitted") that got no reply is a lost sample, as are `no answer yet for icmp_seq=N`,
 *    `Request timeout for icmp_seq N` and `From … icmp_seq=N Destination Host Unreachable`
 *    lines; its time is interpolated by icmp_seq between the nearest answered neighbours.
 *    `(DUP!)` replies, header and summary lines are ignored.
 *
 * Times come out relative to the first sample (0), rounded to the microsecond, with one
 * exception: a CSV whose first time is negative is on the simulated clock already (a series
 * from `dtrain export latency` starts at the monitoring origin, −windowMs, before round 1),
 * so its times are kept exactly as written and it replays in place. A recording's own clock
 * never starts below 0, so no recorded trace changes meaning. Problems throw
 * DataFileError with a 1-based line and column inside the trace file and the kind of value
 * found, never the value: a scenario may name a secret (`trace: ../.env`) by mistake, and CI
 * logs are public.
 */
import { cellNumber, DataFileError, describeCellKind } from './dataset-csv.js';
import type { TraceSample } from './types.js';

const TRACE_WORDS = 'a latency trace (a CSV with header time_ms,latency_ms, or ping -D output)';
/** Spacing assumed for lost probes outside the answered range when only one reply exists (ping's default -i). */
const DEFAULT_PING_INTERVAL_MS = 1000;
/** Guards against a mangled icmp_seq turning into billions of lost samples. */
const MAX_PROBES = 10_000_000;

/** Where in the trace file a lost sample comes from: 1-based line and column. */
export interface FilePosition {
  line: number;
  column: number;
}

export interface ParsedTrace {
  samples: TraceSample[];
  /**
   * The lost sample nearest the top of the file (a CSV row's empty latency; a ping log's
   * unanswered-probe line, or the reply after a gap in icmp_seq, or the summary line for
   * probes missing at the end), null when every sample has a value: a slowdown trace may have
   * none, and is told where.
   */
  firstLost: FilePosition | null;
}

export function parseTraceText(text: string, fileName: string): TraceSample[] {
  return parseTrace(text, fileName).samples;
}

export function parseTrace(text: string, fileName: string): ParsedTrace {
  const nul = text.indexOf('\u0000');
  if (nul >= 0) {
    const { line, column } = positionOf(text, nul);
    throw new DataFileError(line, column, 'a text file', 'binary data (a NUL byte)');
  }
  const csv = new TextLines(text);
  let first = csv.next();
  while (first !== null && first.trim() === '') first = csv.next();
  if (first === null) throw new DataFileError(1, 1, TRACE_WORDS, 'an empty file');
  // a CSV is read line by line, never as an array of its lines: at a few million rows, that
  // array and the samples copied from one array into another were most of the memory taken
  if (/^\s*time_ms\s*,/i.test(first)) return parseCsvTrace(csv, first);
  const lines = text.split(/\r?\n/);
  if (/^PING\s/.test(first) || lines.some((line) => /icmp_seq/.test(line))) return parsePingTrace(lines);
  if (/\.csv$/i.test(fileName)) throw new DataFileError(csv.lineNo, 1, 'the CSV header time_ms,latency_ms', 'another first line');
  throw new DataFileError(csv.lineNo, 1, TRACE_WORDS, 'a first line that is neither');
}

/** A text's lines one at a time, split as `split(/\r?\n/)` splits them; `lineNo`: the last one's, 1-based. */
class TextLines {
  lineNo = 0;
  private at = 0;

  constructor(private readonly text: string) {}

  next(): string | null {
    const { text } = this;
    if (this.at > text.length) return null;
    const newline = text.indexOf('\n', this.at);
    const end = newline < 0 ? text.length : newline;
    const line = text.slice(this.at, newline > this.at && text.charCodeAt(newline - 1) === 13 ? newline - 1 : end);
    this.at = end + 1;
    this.lineNo++;
    return line;
  }
}

function positionOf(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

function roundMicro(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

function parseCsvTrace(lines: TextLines, headerLine: string): ParsedTrace {
  const headerIndex = lines.lineNo - 1;
  const header = headerLine.split(',').map((cell) => cell.trim().toLowerCase());
  if (header.length !== 2 || header[1] !== 'latency_ms') {
    const found = header.length !== 2 ? `a header of ${header.length} columns` : 'a header whose second column is not latency_ms';
    throw new DataFileError(headerIndex + 1, 1, 'the CSV header time_ms,latency_ms', found);
  }
  const raw: TraceSample[] = [];
  let previousLine = 0;
  let firstLost: FilePosition | null = null;
  for (let line = lines.next(); line !== null; line = lines.next()) {
    if (line.trim() === '') continue;
    const lineNo = lines.lineNo;
    const cells = line.split(',');
    if (cells.length !== 2) throw new DataFileError(lineNo, 1, '2 comma-separated cells (time_ms,latency_ms)', `${cells.length}`);
    const timeColumn = 1 + leadingSpace(cells[0]!);
    const latencyColumn = cells[0]!.length + 2 + leadingSpace(cells[1]!);
    const timeCell = cells[0]!.trim();
    const timeMs = cellNumber(timeCell);
    if (!Number.isFinite(timeMs)) throw new DataFileError(lineNo, timeColumn, 'a finite time in ms', describeCellKind(timeCell));
    const previous = raw[raw.length - 1];
    if (previous !== undefined && timeMs <= previous.timeMs) {
      throw new DataFileError(lineNo, timeColumn, `a time later than the previous row's (line ${previousLine})`, timeMs === previous.timeMs ? 'the same time' : 'an earlier time');
    }
    previousLine = lineNo;
    const latencyCell = cells[1]!.trim();
    const latencyMs = latencyCell === '' ? null : cellNumber(latencyCell);
    // an empty cell is shown where it starts, blanks and all
    if (latencyMs === null) firstLost ??= { line: lineNo, column: cells[0]!.length + 2 };
    if (latencyMs !== null && !(Number.isFinite(latencyMs) && latencyMs >= 0)) {
      throw new DataFileError(lineNo, latencyColumn, 'a latency in ms ≥ 0 (empty = lost)', describeCellKind(latencyCell));
    }
    raw.push({ timeMs, latencyMs });
  }
  if (raw.length === 0) throw new DataFileError(headerIndex + 2, 1, 'at least one sample row', 'only a header');
  const startMs = raw[0]!.timeMs;
  // not rounded either: a slot start like 0.1 · 43 must stay the very double it was written as
  if (startMs < 0) return { samples: raw, firstLost };
  // in place: a second array of as many samples was as large again
  for (const sample of raw) sample.timeMs = roundMicro(sample.timeMs - startMs);
  return { samples: raw, firstLost };
}

function leadingSpace(cell: string): number {
  return cell.length - cell.trimStart().length;
}

interface Reply {
  seq: number;
  /** the reply's line in the file (1-based) */
  line: number;
  /** ms since the whole second of the first reply (keeps µs precision in a double) */
  timeMs: number;
  latencyMs: number;
}

const STAMP = /^\s*\[(\d+)(?:\.(\d+))?\]/;
const SEQ = /icmp_seq[= ](\d+)/;
const RTT = /\btime[=<](\S*)/;

function parsePingTrace(lines: string[]): ParsedTrace {
  const replies = new Map<number, Reply>();
  /** unanswered icmp_seq → the line that says so */
  const lost = new Map<number, number>();
  let transmitted: number | undefined;
  let transmittedLine = 0;
  let baseSecond: number | undefined;
  let lastStampMs = -Infinity;
  let lastStampLine = 0;
  const seqs = new SeqUnwrapper();
  lines.forEach((line, index) => {
    const lineNo = index + 1;
    const sent = /^(\d+) packets transmitted/.exec(line.trim());
    if (sent !== null) {
      transmitted = Number(sent[1]);
      transmittedLine = lineNo;
    }
    const seqMatch = SEQ.exec(line);
    if (seqMatch === null) return;
    const seq = seqs.unwrap(Number(seqMatch[1]));
    const rtt = RTT.exec(line);
    if (rtt === null) {
      if (!lost.has(seq)) lost.set(seq, lineNo);
      return;
    }
    if (/\(DUP!\)/.test(line) || replies.has(seq)) return;
    const stamp = STAMP.exec(line);
    if (stamp === null) {
      throw new DataFileError(lineNo, 1, 'a [unix time] before each reply (ping -D output)', 'a reply without one');
    }
    baseSecond ??= Number(stamp[1]);
    const stampMs = (Number(stamp[1]) - baseSecond) * 1000 + Number(`0.${stamp[2] ?? '0'}`) * 1000;
    if (stampMs < lastStampMs) {
      throw new DataFileError(lineNo, line.indexOf('[') + 2, `a timestamp no earlier than the previous reply's (line ${lastStampLine})`, 'an earlier timestamp');
    }
    lastStampMs = stampMs;
    lastStampLine = lineNo;
    const value = rtt[1]!.replace(/ms$/, '');
    const latencyMs = cellNumber(value);
    if (!(Number.isFinite(latencyMs) && latencyMs >= 0)) {
      throw new DataFileError(lineNo, rtt.index + 6, 'a round-trip time in ms ≥ 0', describeCellKind(value));
    }
    replies.set(seq, { seq, line: lineNo, timeMs: stampMs, latencyMs });
  });
  if (replies.size === 0) throw new DataFileError(1, 1, 'at least one reply ([time] … icmp_seq=N … time=X ms)', 'no replies');
  const summary = transmitted === undefined ? undefined : { count: transmitted, line: transmittedLine };
  return pingSamples([...replies.values()].sort((a, b) => a.seq - b.seq), lost, summary);
}

/** icmp_seq is 16 bits: a big drop means it wrapped past 65535. */
class SeqUnwrapper {
  private offset = 0;
  private last: number | undefined;

  unwrap(raw: number): number {
    if (this.last !== undefined && raw < this.last - 32_768) this.offset += 65_536;
    this.last = raw;
    return raw + this.offset;
  }
}

function pingSamples(answered: Reply[], lost: Map<number, number>, sent: { count: number; line: number } | undefined): ParsedTrace {
  // loops, not Math.min(...seqs): a day and a half of 1 Hz replies overflows the call stack
  let firstSeq = Infinity;
  let lastSeq = -Infinity;
  for (const { seq } of answered) {
    firstSeq = Math.min(firstSeq, seq);
    lastSeq = Math.max(lastSeq, seq);
  }
  for (const seq of lost.keys()) {
    firstSeq = Math.min(firstSeq, seq);
    lastSeq = Math.max(lastSeq, seq);
  }
  if (sent !== undefined) {
    // Linux numbers probes from 1; a seq 0 means a ping that counts from 0
    const start = firstSeq === 0 ? 0 : 1;
    firstSeq = Math.min(firstSeq, start);
    lastSeq = Math.max(lastSeq, start + sent.count - 1);
  }
  if (lastSeq - firstSeq + 1 > MAX_PROBES) throw new DataFileError(1, 1, `at most ${MAX_PROBES} probes`, 'icmp_seq numbers spanning more');
  const head = answered[0]!;
  const tail = answered[answered.length - 1]!;
  const spacingMs = answered.length > 1 ? (tail.timeMs - head.timeMs) / (tail.seq - head.seq) : DEFAULT_PING_INTERVAL_MS;
  const samples: { seq: number; timeMs: number; latencyMs: number | null }[] = [];
  let firstLostLine = Infinity;
  let next = 0;
  for (let seq = firstSeq; seq <= lastSeq; seq++) {
    while (next < answered.length && answered[next]!.seq < seq) next++;
    const upper = answered[next];
    if (upper !== undefined && upper.seq === seq) {
      samples.push({ seq, timeMs: upper.timeMs, latencyMs: upper.latencyMs });
      continue;
    }
    const lower = answered[next - 1];
    // a probe with no line of its own shows as a gap before the next reply, or in the summary
    const line = lost.get(seq) ?? upper?.line ?? sent?.line ?? lower!.line;
    firstLostLine = Math.min(firstLostLine, line);
    samples.push({ seq, timeMs: lostTime(seq, lower, upper, spacingMs), latencyMs: null });
  }
  // replies that arrived out of order are placed by arrival time (stable: ties keep seq order)
  samples.sort((a, b) => a.timeMs - b.timeMs);
  const startMs = samples[0]!.timeMs;
  return {
    samples: samples.map((s) => ({ timeMs: roundMicro(s.timeMs - startMs), latencyMs: s.latencyMs })),
    firstLost: firstLostLine === Infinity ? null : { line: firstLostLine, column: 1 },
  };
}

function lostTime(seq: number, lower: Reply | undefined, upper: Reply | undefined, spacingMs: number): number {
  if (lower !== undefined && upper !== undefined) {
    return lower.timeMs + ((upper.timeMs - lower.timeMs) * (seq - lower.seq)) / (upper.seq - lower.seq);
  }
  const near = (lower ?? upper)!;
  return near.timeMs + spacingMs * (seq - near.seq);
}
