import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTrace, parseTraceText } from '../../src/scenario/trace-file.js';
import { DataFileError } from '../../src/scenario/dataset-csv.js';
import { sampleList } from '../helpers/trace-samples.js';

/** The position and wording of the error a trace text raises. */
function traceError(text: string, fileName = 'trace.csv') {
  try {
    parseTraceText(text, fileName);
  } catch (error) {
    if (!(error instanceof DataFileError)) throw error;
    return { line: error.line, column: error.column, expected: error.expected, found: error.found };
  }
  throw new Error('expected the trace to be rejected');
}

describe('CSV traces', () => {
  it('times become relative to the first row and an empty latency is a lost sample (NaN)', () => {
    const samples = parseTraceText('time_ms,latency_ms\r\n1000,5.5\r\n1050,\r\n 1100 , 7 \r\n\r\n', 't.csv');

    // two columns of exactly the samples' length, whatever the lines of the file
    expect(samples.timesMs).toBeInstanceOf(Float64Array);
    expect(samples.latenciesMs).toBeInstanceOf(Float64Array);
    expect(Array.from(samples.timesMs)).toEqual([0, 50, 100]);
    expect(Array.from(samples.latenciesMs)).toEqual([5.5, Number.NaN, 7]);
  });

  it('a file of many rows is held as columns of its samples, however many lines were blank', () => {
    const rows = Array.from({ length: 100 }, (_, k) => `${2000 + 10 * k},${k % 9 === 4 ? '' : k / 4}\n${k % 3 === 0 ? '\n\n' : ''}`);
    const samples = parseTraceText(`time_ms,latency_ms\n${rows.join('')}`, 't.csv');

    expect([samples.timesMs.length, samples.latenciesMs.length]).toEqual([100, 100]);
    expect([samples.timesMs[0], samples.timesMs[99], samples.latenciesMs[94], samples.latenciesMs[99]]).toEqual([0, 990, Number.NaN, 24.75]);
    // 4, 13, … 94 lost: 11 samples
    expect(samples.latenciesMs.filter(Number.isNaN)).toHaveLength(11);
  });

  it('a non-numeric latency is located at its cell', () => {
    expect(traceError('time_ms,latency_ms\n0,5\n100,abc\n')).toEqual({
      line: 3, column: 5, expected: 'a latency in ms ≥ 0 (empty = lost)', found: 'text that is not a number',
    });
  });

  it('a negative latency is refused', () => {
    expect(traceError('time_ms,latency_ms\n0,-2\n')).toMatchObject({ line: 2, column: 3, found: 'a negative number' });
  });

  it('times must strictly increase: a decreasing or repeated time is located at its cell', () => {
    expect(traceError('time_ms,latency_ms\n0,5\n100,6\n50,7\n')).toEqual({
      line: 4, column: 1, expected: "a time later than the previous row's (line 3)", found: 'an earlier time',
    });
    expect(traceError('time_ms,latency_ms\n0,5\n0,6\n')).toEqual({
      line: 3, column: 1, expected: "a time later than the previous row's (line 2)", found: 'the same time',
    });
  });

  it('times are kept to the microsecond from the first: two rows within one microsecond are refused, one apart are kept', () => {
    const within = "a time at least a microsecond later than the previous row's (line 3; times are kept to the microsecond)";
    expect(traceError('time_ms,latency_ms\n0,5\n1,6\n1.0000001,7\n')).toEqual({ line: 4, column: 1, expected: within, found: 'the same time to the microsecond' });
    // 10.0004 − 10 is 0.4 µs: kept, it would be 0 like the first row
    expect(traceError('time_ms,latency_ms\n10,5\n11,6\n11.0004,7\n')).toEqual({ line: 4, column: 1, expected: within, found: 'the same time to the microsecond' });
    expect([...parseTraceText('time_ms,latency_ms\n10,5\n10.001,6\n10.003,7\n', 't.csv').timesMs]).toEqual([0, 0.001, 0.003]);
  });

  it('a header without rows, a wrong header and a row with three cells are refused', () => {
    expect(traceError('time_ms,latency_ms\n')).toEqual({ line: 2, column: 1, expected: 'at least one sample row', found: 'only a header' });
    expect(traceError('time,latency\n0,1\n')).toEqual({ line: 1, column: 1, expected: 'the CSV header time_ms,latency_ms', found: 'another first line' });
    expect(traceError('time_ms,rtt\n0,1\n')).toEqual({ line: 1, column: 1, expected: 'the CSV header time_ms,latency_ms', found: 'a header whose second column is not latency_ms' });
    expect(traceError('time_ms,latency_ms,x\n0,1\n')).toEqual({ line: 1, column: 1, expected: 'the CSV header time_ms,latency_ms', found: 'a header of 3 columns' });
    expect(traceError('time_ms,latency_ms\n0,1,2\n')).toEqual({ line: 2, column: 1, expected: '2 comma-separated cells (time_ms,latency_ms)', found: '3' });
  });
});

describe('ping -D traces', () => {
  const PING = [
    'PING 10.0.0.2 (10.0.0.2) 56(84) bytes of data.',
    '[1000.000000] 64 bytes from 10.0.0.2: icmp_seq=1 ttl=64 time=10.0 ms',
    '[1000.100000] 64 bytes from 10.0.0.2: icmp_seq=2 ttl=64 time=12.5 ms',
    '[1000.100500] 64 bytes from 10.0.0.2: icmp_seq=2 ttl=64 time=12.9 ms (DUP!)',
    '[1000.400000] 64 bytes from 10.0.0.2: icmp_seq=5 ttl=64 time=11.0 ms',
    '[1000.450000] no answer yet for icmp_seq=6',
    '[1000.500000] 64 bytes from 10.0.0.2: icmp_seq=7 ttl=64 time=9.5 ms',
    '',
    '--- 10.0.0.2 ping statistics ---',
    '8 packets transmitted, 4 received, 50% packet loss, time 700ms',
  ].join('\n');

  it('missing icmp_seqs are lost samples at times interpolated by seq; DUP replies are ignored', () => {
    const samples = sampleList(parseTraceText(PING, 'ping.txt'));

    // seq 3, 4 lie between seq 2 (100 ms) and 5 (400 ms); seq 6 between 5 and 7 (500 ms);
    // seq 8 (from "8 packets transmitted") after the last reply, at the mean spacing 500/6 ms
    expect(samples).toEqual([
      { timeMs: 0, latencyMs: 10 },
      { timeMs: 100, latencyMs: 12.5 },
      { timeMs: 200, latencyMs: null },
      { timeMs: 300, latencyMs: null },
      { timeMs: 400, latencyMs: 11 },
      { timeMs: 450, latencyMs: null },
      { timeMs: 500, latencyMs: 9.5 },
      { timeMs: 583.333, latencyMs: null },
    ]);
  });

  it('a "Request timeout" line past the last reply is a lost sample one spacing later', () => {
    const text = [
      '[50.000] 64 bytes from h: icmp_seq=0 ttl=64 time=3 ms',
      '[50.250] 64 bytes from h: icmp_seq=1 ttl=64 time=4 ms',
      'Request timeout for icmp_seq 2',
    ].join('\n');

    expect(sampleList(parseTraceText(text, 'mac.txt'))).toEqual([
      { timeMs: 0, latencyMs: 3 },
      { timeMs: 250, latencyMs: 4 },
      { timeMs: 500, latencyMs: null },
    ]);
  });

  it('a late reply is placed by its arrival time; a second reply to one probe is ignored, even unmarked', () => {
    const text = [
      '[10.000] 64 bytes from h: icmp_seq=1 ttl=64 time=5 ms',
      '[10.200] 64 bytes from h: icmp_seq=3 ttl=64 time=6 ms',
      '[10.250] 64 bytes from h: icmp_seq=2 ttl=64 time=150 ms',
      // earlier than the reply above: refused if it were read as a reply of its own
      '[10.220] 64 bytes from h: icmp_seq=2 ttl=64 time=7 ms',
      '[10.400] 64 bytes from h: icmp_seq=4 ttl=64 time=8 ms',
    ].join('\n');
    const { samples, firstLost } = parseTrace(text, 'p.txt');

    expect(Array.from(samples.timesMs)).toEqual([0, 200, 250, 400]);
    expect(Array.from(samples.latenciesMs)).toEqual([5, 6, 150, 8]);
    expect(firstLost).toBeNull();
  });

  it('a non-numeric round-trip time is located at its value', () => {
    expect(traceError('[1.0] 64 bytes from h: icmp_seq=1 ttl=64 time=abc ms\n', 'p.txt')).toEqual({
      line: 1, column: 47, expected: 'a round-trip time in ms ≥ 0', found: 'text that is not a number',
    });
  });

  it('replies without -D timestamps, decreasing timestamps and a log with no replies are refused', () => {
    expect(traceError('PING h\n64 bytes from h: icmp_seq=1 ttl=64 time=1 ms\n', 'p.txt')).toMatchObject({
      line: 2, column: 1, expected: 'a [unix time] before each reply (ping -D output)', found: 'a reply without one',
    });
    expect(traceError('[9.5] 64 bytes from h: icmp_seq=1 ttl=64 time=1 ms\n[9.2] 64 bytes from h: icmp_seq=2 ttl=64 time=1 ms\n', 'p.txt')).toEqual({
      line: 2, column: 2, expected: "a timestamp no earlier than the previous reply's (line 1)", found: 'an earlier timestamp',
    });
    expect(traceError('PING h (h) 56(84) bytes of data.\n\n--- h ping statistics ---\n3 packets transmitted, 0 received\n', 'p.txt')).toEqual({
      line: 1, column: 1, expected: 'at least one reply ([time] … icmp_seq=N … time=X ms)', found: 'no replies',
    });
  });
});

describe('any trace', () => {
  it('an empty file is refused', () => {
    expect(traceError('  \n\n')).toEqual({
      line: 1, column: 1, expected: 'a latency trace (a CSV with header time_ms,latency_ms, or ping -D output)', found: 'an empty file',
    });
  });

  it('binary content is refused at its first NUL byte', () => {
    expect(traceError('time_ms,latency_ms\n0,1\n2\u0000,3\n')).toEqual({ line: 3, column: 2, expected: 'a text file', found: 'binary data (a NUL byte)' });
  });
});

describe('the recorded ping traces in test/fixtures/traces', () => {
  const dir = resolve(import.meta.dirname, '../fixtures/traces');
  for (const name of ['bursty_loss', 'normal_jitter']) {
    it(`${name}: the CSV and the raw ping output give the same 400 samples, losses and latencies`, () => {
      const csv = sampleList(parseTraceText(readFileSync(resolve(dir, `${name}.csv`), 'utf8'), `${name}.csv`));
      const ping = sampleList(parseTraceText(readFileSync(resolve(dir, `${name}.txt`), 'utf8'), `${name}.txt`));

      expect(csv).toHaveLength(400);
      expect(ping).toHaveLength(400);
      expect(ping.map((s) => s.latencyMs)).toEqual(csv.map((s) => s.latencyMs));
    });

    it(`${name}: CSV times are send times, ping times are reply times: they differ by the RTT change`, () => {
      const csv = sampleList(parseTraceText(readFileSync(resolve(dir, `${name}.csv`), 'utf8'), `${name}.csv`));
      const ping = sampleList(parseTraceText(readFileSync(resolve(dir, `${name}.txt`), 'utf8'), `${name}.txt`));
      const firstRtt = ping[0]!.latencyMs!;

      csv.forEach((sample, i) => {
        const reply = ping[i]!;
        if (reply.latencyMs !== null) expect(sample.timeMs).toBeCloseTo(reply.timeMs - reply.latencyMs + firstRtt, 3);
      });
    });
  }

  it('bursty_loss loses 31 of 400 probes, normal_jitter none (as their recording notes state)', () => {
    const lost = (name: string) =>
      parseTraceText(readFileSync(resolve(dir, `${name}.txt`), 'utf8'), name).latenciesMs.filter(Number.isNaN).length;

    expect([lost('bursty_loss'), lost('normal_jitter')]).toEqual([31, 0]);
  });
});

describe('traces from a secret named by mistake', () => {
  it('no error quotes the file: each says what kind of value it found', () => {
    const secret = 'API_TOKEN=ghp_0123456789abcdefghijklmnopqrstuvwxyz';
    const found = [
      traceError(`${secret}\n`, '.env'),
      traceError(`${secret}\n`, 'secret.csv'),
      traceError(`time_ms,latency_ms\n0,${secret}\n`),
      traceError(`time_ms,latency_ms\n${secret},1\n`),
      traceError(`[1.0] 64 bytes from h: icmp_seq=1 ttl=64 time=${secret} ms\n`, 'p.txt'),
      traceError(`PING h\n${secret} icmp_seq=1 time=1 ms\n`, 'p.txt'),
    ].map((error) => error.found);
    expect(found).toEqual([
      'a first line that is neither', 'another first line', 'text that is not a number', 'text that is not a number',
      'text that is not a number', 'a reply without one',
    ]);
  });
});

describe('a long ping -D log', () => {
  it('130 000 replies (1.5 days at 1 Hz) parse without overflowing the stack', () => {
    const replies = 130_000;
    const lines = ['PING h (10.0.0.1) 56(84) bytes of data.'];
    for (let seq = 1; seq <= replies; seq++) {
      if (seq % 1000 === 500) continue; // one probe in 1000 lost
      lines.push(`[${1_700_000_000 + seq}.000000] 64 bytes from 10.0.0.1: icmp_seq=${seq} ttl=64 time=${(seq % 50) + 1} ms`);
    }
    const samples = sampleList(parseTraceText(`${lines.join('\n')}\n`, 'ping.txt'));
    expect(samples.length).toBe(replies);
    expect(samples[0]).toEqual({ timeMs: 0, latencyMs: 2 });
    expect(samples[499]).toEqual({ timeMs: 499_000, latencyMs: null });
    expect(samples[replies - 1]).toEqual({ timeMs: (replies - 1) * 1000, latencyMs: (replies % 50) + 1 });
  });
});

describe('where the first lost sample is written (a slowdown trace may have none)', () => {
  it('CSV: the empty latency cell of the first lost row; null when every row has a value', () => {
    expect(parseTrace('time_ms,latency_ms\n0,1\n10, \n20,\n', 't.csv').firstLost).toEqual({ line: 3, column: 4 });
    expect(parseTrace('time_ms,latency_ms\n0,1\n10,2\n', 't.csv').firstLost).toBeNull();
  });

  it('ping: an unanswered-probe line, the reply after a gap in icmp_seq, or the summary for probes missing at the end', () => {
    const reply = (seq: number, at: string) => `[${at}] 64 bytes from h: icmp_seq=${seq} ttl=64 time=1 ms`;
    // seq 2 has its own "no answer yet" line (3); the gap at seq 4 shows at seq 5's line (5)
    const early = [reply(1, '1.0'), '', '[1.2] no answer yet for icmp_seq=2', reply(3, '1.3'), reply(5, '1.5')].join('\n');
    expect(parseTrace(early, 'p.txt').firstLost).toEqual({ line: 3, column: 1 });
    const gap = [reply(1, '1.0'), reply(2, '1.1'), reply(4, '1.3')].join('\n');
    expect(parseTrace(gap, 'p.txt').firstLost).toEqual({ line: 3, column: 1 });
    const tail = [reply(1, '1.0'), reply(2, '1.1'), '', '3 packets transmitted, 2 received'].join('\n');
    expect(parseTrace(tail, 'p.txt').firstLost).toEqual({ line: 4, column: 1 });
    expect(parseTrace([reply(1, '1.0'), reply(2, '1.1')].join('\n'), 'p.txt').firstLost).toBeNull();
  });
});
