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
import type { TraceSamples } from './types.js';

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
  samples: TraceSamples;
  /**
   * The lost sample nearest the top of the file (a CSV row's empty latency; a ping log's
   * unanswered-probe line, or the reply after a gap in icmp_seq, or the summary line for
   * probes missing at the end), null when every sample has a value: a slowdown trace may have
   * none, and is told where.
   */
  firstLost: FilePosition | null;
}

export function parseTraceText(text: string, fileName: string): TraceSamples {
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
  // icmp_seq on any line is icmp_seq in the text: the pattern cannot span a line break
  if (/^PING\s/.test(first) || /icmp_seq/.test(text)) return parsePingTrace(new TextLines(text));
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

  /** How many lines next() can still return, at most (the line breaks left, and one more). */
  linesLeft(): number {
    let count = 1;
    for (let at = this.text.indexOf('\n', this.at); at >= 0; at = this.text.indexOf('\n', at + 1)) count++;
    return count;
  }
}

/**
 * A column of doubles appended one value at a time: a trace's samples are parsed straight into
 * columns like these, never into an object each (see TraceSamples).
 */
class GrowingColumn {
  length = 0;
  private values: Float64Array;

  constructor(capacity: number) {
    this.values = new Float64Array(Math.max(16, capacity));
  }

  push(value: number): void {
    if (this.length === this.values.length) {
      const grown = new Float64Array(2 * this.values.length);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = value;
  }

  at(index: number): number {
    return this.values[index]!;
  }

  set(index: number, value: number): void {
    this.values[index] = value;
  }

  /**
   * The values as an array of their own length: a view of the column when little of it is
   * spare (a copy would hold the samples twice at the parse's peak), else a copy.
   */
  done(): Float64Array {
    const spare = this.values.length - this.length;
    return spare <= this.values.length / 16 ? this.values.subarray(0, this.length) : this.values.slice(0, this.length);
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
  // a row a line at most: sized once, the columns are not grown on the way
  const rowsAtMost = lines.linesLeft();
  const times = new GrowingColumn(rowsAtMost);
  const latencies = new GrowingColumn(rowsAtMost);
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
    const previousMs = times.length > 0 ? times.at(times.length - 1) : -Infinity;
    if (timeMs <= previousMs) {
      throw new DataFileError(lineNo, timeColumn, `a time later than the previous row's (line ${previousLine})`, timeMs === previousMs ? 'the same time' : 'an earlier time');
    }
    // times are kept to the microsecond from the first (below): two rows within one would be one time
    const firstMs = times.length > 0 ? times.at(0) : timeMs;
    if (firstMs >= 0 && times.length > 0 && roundMicro(timeMs - firstMs) === roundMicro(previousMs - firstMs)) {
      throw new DataFileError(lineNo, timeColumn, `a time at least a microsecond later than the previous row's (line ${previousLine}; times are kept to the microsecond)`, 'the same time to the microsecond');
    }
    previousLine = lineNo;
    const latencyCell = cells[1]!.trim();
    const latencyMs = latencyCell === '' ? null : cellNumber(latencyCell);
    // an empty cell is shown where it starts, blanks and all
    if (latencyMs === null) firstLost ??= { line: lineNo, column: cells[0]!.length + 2 };
    if (latencyMs !== null && !(Number.isFinite(latencyMs) && latencyMs >= 0)) {
      throw new DataFileError(lineNo, latencyColumn, 'a latency in ms ≥ 0 (empty = lost)', describeCellKind(latencyCell));
    }
    times.push(timeMs);
    latencies.push(latencyMs ?? Number.NaN);
  }
  if (times.length === 0) throw new DataFileError(headerIndex + 2, 1, 'at least one sample row', 'only a header');
  const startMs = times.at(0);
  // in place (a second column as long was as large again), and not when the CSV starts below 0:
  // a slot start like 0.1 · 43 must stay the very double it was written as
  if (startMs >= 0) for (let k = 0; k < times.length; k++) times.set(k, roundMicro(times.at(k) - startMs));
  return { samples: { timesMs: times.done(), latenciesMs: latencies.done() }, firstLost };
}

function leadingSpace(cell: string): number {
  return cell.length - cell.trimStart().length;
}

/** A ping log's replies in the order they appear, a column each. */
class Replies {
  readonly seqs: GrowingColumn;
  /** the reply's line in the file (1-based) */
  readonly lines: GrowingColumn;
  /** ms since the whole second of the first reply (keeps µs precision in a double) */
  readonly timesMs: GrowingColumn;
  readonly latenciesMs: GrowingColumn;
  /** every seq answered, made only once one comes in out of order (see has) */
  private answered: Set<number> | null = null;
  private lastSeq = -Infinity;

  constructor(capacity: number) {
    this.seqs = new GrowingColumn(capacity);
    this.lines = new GrowingColumn(capacity);
    this.timesMs = new GrowingColumn(capacity);
    this.latenciesMs = new GrowingColumn(capacity);
  }

  get length(): number {
    return this.seqs.length;
  }

  /**
   * Whether `seq` was answered already. Replies come in icmp_seq order but for the odd late
   * one, so a seq above all before is new, and the seqs are put in a set only once one is not
   * (a set of every seq of a long log was as large as the columns).
   */
  has(seq: number): boolean {
    if (seq > this.lastSeq) return false;
    if (this.answered === null) {
      this.answered = new Set();
      for (let k = 0; k < this.seqs.length; k++) this.answered.add(this.seqs.at(k));
    }
    return this.answered.has(seq);
  }

  push(seq: number, line: number, timeMs: number, latencyMs: number): void {
    this.seqs.push(seq);
    this.lines.push(line);
    this.timesMs.push(timeMs);
    this.latenciesMs.push(latencyMs);
    this.lastSeq = Math.max(this.lastSeq, seq);
    this.answered?.add(seq);
  }
}

const STAMP = /^\s*\[(\d+)(?:\.(\d+))?\]/;
const SEQ = /icmp_seq[= ](\d+)/;
const RTT = /\btime[=<](\S*)/;

function parsePingTrace(lines: TextLines): ParsedTrace {
  // a reply a line at most
  const replies = new Replies(lines.linesLeft());
  /** unanswered icmp_seq → the line that says so */
  const lost = new Map<number, number>();
  let transmitted: number | undefined;
  let transmittedLine = 0;
  let baseSecond: number | undefined;
  let lastStampMs = -Infinity;
  let lastStampLine = 0;
  const seqs = new SeqUnwrapper();
  for (let line = lines.next(); line !== null; line = lines.next()) {
    const lineNo = lines.lineNo;
    const sent = /^(\d+) packets transmitted/.exec(line.trim());
    if (sent !== null) {
      transmitted = Number(sent[1]);
      transmittedLine = lineNo;
    }
    const seqMatch = SEQ.exec(line);
    if (seqMatch === null) continue;
    const seq = seqs.unwrap(Number(seqMatch[1]));
    const rtt = RTT.exec(line);
    if (rtt === null) {
      if (!lost.has(seq)) lost.set(seq, lineNo);
      continue;
    }
    if (/\(DUP!\)/.test(line) || replies.has(seq)) continue;
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
    replies.push(seq, lineNo, stampMs, latencyMs);
  }
  if (replies.length === 0) throw new DataFileError(1, 1, 'at least one reply ([time] … icmp_seq=N … time=X ms)', 'no replies');
  const summary = transmitted === undefined ? undefined : { count: transmitted, line: transmittedLine };
  return pingSamples(replies, lost, summary);
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

/** The indices 0 … count − 1 ordered by `compare` (which breaks its own ties), not sorted when in order already. */
function orderOf(count: number, compare: (a: number, b: number) => number): Uint32Array {
  const order = new Uint32Array(count);
  let sorted = true;
  for (let k = 0; k < count; k++) {
    order[k] = k;
    if (k > 0 && compare(k - 1, k) > 0) sorted = false;
  }
  return sorted ? order : order.sort(compare);
}

function pingSamples(replies: Replies, lost: Map<number, number>, sent: { count: number; line: number } | undefined): ParsedTrace {
  const { seqs, lines } = replies;
  // loops, not Math.min(...seqs): a day and a half of 1 Hz replies overflows the call stack
  let firstSeq = Infinity;
  let lastSeq = -Infinity;
  for (let k = 0; k < replies.length; k++) {
    firstSeq = Math.min(firstSeq, seqs.at(k));
    lastSeq = Math.max(lastSeq, seqs.at(k));
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
  // the replies by icmp_seq (each seq answered once)
  const answered = orderOf(replies.length, (a, b) => seqs.at(a) - seqs.at(b));
  const head = answered[0]!;
  const tail = answered[answered.length - 1]!;
  const spacingMs = answered.length > 1 ? (replies.timesMs.at(tail) - replies.timesMs.at(head)) / (seqs.at(tail) - seqs.at(head)) : DEFAULT_PING_INTERVAL_MS;
  const count = lastSeq - firstSeq + 1;
  const timesMs = new Float64Array(count);
  const latenciesMs = new Float64Array(count);
  let firstLostLine = Infinity;
  let next = 0;
  for (let k = 0; k < count; k++) {
    const seq = firstSeq + k;
    while (next < answered.length && seqs.at(answered[next]!) < seq) next++;
    const upper = next < answered.length ? answered[next]! : -1;
    if (upper >= 0 && seqs.at(upper) === seq) {
      timesMs[k] = replies.timesMs.at(upper);
      latenciesMs[k] = replies.latenciesMs.at(upper);
      continue;
    }
    const lower = next > 0 ? answered[next - 1]! : -1;
    // a probe with no line of its own shows as a gap before the next reply, or in the summary
    const line = lost.get(seq) ?? (upper >= 0 ? lines.at(upper) : undefined) ?? sent?.line ?? lines.at(lower);
    firstLostLine = Math.min(firstLostLine, line);
    timesMs[k] = lostTime(replies, seq, lower, upper, spacingMs);
    latenciesMs[k] = Number.NaN;
  }
  // replies that arrived out of order are placed by arrival time (ties keep seq order)
  const byTime = orderOf(count, (a, b) => timesMs[a]! - timesMs[b]! || a - b);
  const startMs = timesMs[byTime[0]!]!;
  const firstLost = firstLostLine === Infinity ? null : { line: firstLostLine, column: 1 };
  if (byTime.every((at, k) => at === k)) {
    // in time order already (the usual log): shifted in place, not copied into two more columns
    for (let k = 0; k < count; k++) timesMs[k] = roundMicro(timesMs[k]! - startMs);
    return { samples: { timesMs, latenciesMs }, firstLost };
  }
  const samples = { timesMs: new Float64Array(count), latenciesMs: new Float64Array(count) };
  for (let k = 0; k < count; k++) {
    samples.timesMs[k] = roundMicro(timesMs[byTime[k]!]! - startMs);
    samples.latenciesMs[k] = latenciesMs[byTime[k]!]!;
  }
  return { samples, firstLost };
}

/** A lost probe's time: between the replies either side of it by icmp_seq (indices into `replies`, −1 = none). */
function lostTime(replies: Replies, seq: number, lower: number, upper: number, spacingMs: number): number {
  const { seqs, timesMs } = replies;
  if (lower >= 0 && upper >= 0) {
    return timesMs.at(lower) + ((timesMs.at(upper) - timesMs.at(lower)) * (seq - seqs.at(lower))) / (seqs.at(upper) - seqs.at(lower));
  }
  const near = lower >= 0 ? lower : upper;
  return timesMs.at(near) + spacingMs * (seq - seqs.at(near));
}
