import { describe, expect, it } from 'vitest';
import { csvCell, CsvStream, NODE_COLUMNS, ROUND_COLUMNS, toCsvFiles, toNodesCsv, toRoundsCsv } from '../../src/report/csv.js';
import { toJsonReport } from '../../src/report/json.js';
import { generatedResult, tinyResult } from './fixtures.js';

describe('csvCell', () => {
  it('numbers take JSON’s shortest round-trip form; non-finite and null are empty cells', () => {
    expect(csvCell(0.1 + 0.2)).toBe('0.30000000000000004');
    expect(csvCell(1e21)).toBe('1e+21');
    expect(csvCell(-0)).toBe('0');
    expect(csvCell(Number.NaN)).toBe('');
    expect(csvCell(Number.POSITIVE_INFINITY)).toBe('');
    expect(csvCell(null)).toBe('');
    expect(csvCell(true)).toBe('true');
  });

  it('quotes a cell holding a comma, a quote or a line break, doubling quotes (RFC 4180)', () => {
    expect(csvCell('plain-id_1.x')).toBe('plain-id_1.x');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('cr\r')).toBe('"cr\r"');
  });

  it('a text cell a spreadsheet would run as a formula is prefixed with \' and quoted (OWASP CSV injection)', () => {
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe('"\'=HYPERLINK(""http://x"",""y"")"');
    expect(csvCell('+1+2')).toBe('"\'+1+2"');
    expect(csvCell('-2+3')).toBe('"\'-2+3"');
    expect(csvCell('@SUM(A1)')).toBe('"\'@SUM(A1)"');
    expect(csvCell('\tcmd')).toBe('"\'\tcmd"');
    expect(csvCell('\rcmd')).toBe('"\'\rcmd"');
    expect(csvCell('a=b')).toBe('a=b');
  });

  it('numbers stay numbers: negative values and text that is exactly a decimal number are not prefixed', () => {
    expect(csvCell(-0.5)).toBe('-0.5');
    expect(csvCell(-1e-7)).toBe('-1e-7');
    expect(csvCell('-0.5')).toBe('-0.5');
    expect(csvCell('-12')).toBe('-12');
    expect(csvCell('+3')).toBe('"\'+3"');
  });
});

describe('rounds.csv and nodes.csv of a tiny run', () => {
  it('rounds.csv: one row per strategy × round, participants counted, the global batch and effective participants', () => {
    // By hand: Σ batch 32 + 16 + 24 = 72 and 1 / (0.4² + 0.35² + 0.25²) = 1 / 0.345 = 2.8986;
    // round 2: 32 + 11 + 19 = 62, 1 / (0.5² + 0.25² + 0.25²) = 1 / 0.375 = 2.6667; four equal weights: 4; skipped: 0
    expect(toRoundsCsv(tinyResult())).toBe(
      'strategy,round,startMs,endMs,skipped,loss,accuracy,participants,globalBatch,effectiveParticipants\n'
      + 's1s4,1,0,6420,false,0.69314,0.5,3,72,2.8985507246376807\n'
      + 's1s4,2,6420,8115,false,0.48213,0.88333,3,62,2.6666666666666665\n'
      + 'sync-sgd,1,0,6000,false,0.7,0.61,4,128,4\n'
      + 'sync-sgd,2,6000,8000,true,0.7,0.61,0,0,0\n',
    );
  });

  it('nodes.csv: one row per strategy × round × node with every JSON node field but samplesMs', () => {
    // the fixture's phase ends are 40 and 20 ms before the finish: compute 20, upload 20, download the rest
    expect(toNodesCsv(tinyResult())).toBe([
      'strategy,round,node,efficiency,effectiveMs,observedMs,batch,responseMs,pressure,threads,ioQueue,participated,'
        + 'dropReason,droppedAtMs,finishMs,downloadMs,computeMs,uploadMs,gradNorm,volatility,weight,plannedBatch,downloadEndMs,computeEndMs',
      's1s4,1,a,1,2000,2000,32,,0,4,8,true,,,6000,5960,20,20,1.5,,0.4,32,5960,5980',
      's1s4,1,b,0.5,1000,2000,16,,0,2,4,true,,,6420,6380,20,20,2.5,,0.35,16,6380,6400',
      's1s4,1,c,0.75,1500,2000,24,,0,3,6,true,,,6100,6060,20,20,2,,0.25,24,6060,6080',
      's1s4,1,d,0,0,2000,0,,0,0,0,false,,,,,,,,,0,0,,',
      's1s4,2,a,1,2000,2000,32,12.5,400,5,10,true,,,8000,1540,20,20,1.25,0.1,0.5,32,7960,7980',
      's1s4,2,b,0.375,750,2000,11,12.75,140.25,2,3,true,,,8115,1655,20,20,2.25,0.042,0.25,11,8075,8095',
      's1s4,2,c,0.625,1250,2000,0,10.25,184.5,3,5,false,deadline,,,80,,,,,0,18,6500,',
      's1s4,2,d,0.6875,1375,2000,19,9.75,185.25,3,6,true,,,8050,1590,20,20,3,0.2,0.25,19,8010,8030',
      'sync-sgd,1,a,1,2000,2000,32,,0,4,8,true,,,5000,4960,20,20,1.5,,0.25,32,4960,4980',
      'sync-sgd,1,b,0.5,1000,2000,32,,0,4,8,true,,,6000,5960,20,20,2.5,,0.25,32,5960,5980',
      'sync-sgd,1,c,0.75,1500,2000,32,,0,4,8,true,,,5500,5460,20,20,2,,0.25,32,5460,5480',
      'sync-sgd,1,d,0,0,2000,32,,0,4,8,true,,,5900,5860,20,20,3,,0.25,32,5860,5880',
      'sync-sgd,2,a,1,2000,2000,0,12.5,400,4,8,false,retries,,,500,,,,,0,32,6500,',
      'sync-sgd,2,b,0.5,1000,2000,0,12.75,408,4,8,false,retries,,,500,,,,,0,32,6500,',
      'sync-sgd,2,c,0.75,1500,2000,0,11,352,4,8,false,retries,,,500,,,,,0,32,6500,',
      'sync-sgd,2,d,0,0,2000,0,14,448,4,8,false,retries,,,500,,,,,0,32,6500,',
      '',
    ].join('\n'));
  });

  it('a dropped node\'s drop time is in nodes.csv; a node not dispatched has no drop reason', () => {
    const result = tinyResult();
    result.runs[0]!.rounds[1]!.nodes[2]!.droppedAtMs = 8115;
    const rows = toNodesCsv(result).split('\n');
    expect(rows[7]).toBe('s1s4,2,c,0.625,1250,2000,0,10.25,184.5,3,5,false,deadline,8115,,80,,,,,0,18,6500,');
    expect(result.runs[0]!.rounds[0]!.nodes[3]!.dropReason).toBe('notDispatched');
    expect(rows[4]!.split(',')[12]).toBe('');
  });

  it('a strategy name with a comma and quotes is quoted in every row', () => {
    const result = tinyResult();
    result.runs[0]!.strategy = { ...result.runs[0]!.strategy, name: 'mine, "v2"' };
    expect(toRoundsCsv(result).split('\n')[1]).toBe('"mine, ""v2""",1,0,6420,false,0.69314,0.5,3,72,2.8985507246376807');
  });

  it('a strategy name starting with = is neutralised in rounds.csv and nodes.csv', () => {
    const result = tinyResult();
    result.runs[0]!.strategy = { ...result.runs[0]!.strategy, name: '=cmd|\' /C calc\'!A0' };
    expect(toRoundsCsv(result).split('\n')[1]).toBe('"\'=cmd|\' /C calc\'!A0",1,0,6420,false,0.69314,0.5,3,72,2.8985507246376807');
    expect(toNodesCsv(result).split('\n')[1]!.startsWith('"\'=cmd|\' /C calc\'!A0",1,a,1,')).toBe(true);
  });

  it('toCsvFiles names the two files', () => {
    expect(Object.keys(toCsvFiles(tinyResult()))).toEqual(['rounds.csv', 'nodes.csv']);
  });

  it('CsvStream hands nodes.csv over as the rounds come, a round of 10,000 nodes in pieces of 4,096 rows', () => {
    const result = generatedResult(10_000, 2);
    const pieces: string[] = [];
    const stream = new CsvStream((piece) => pieces.push(piece));
    expect(pieces).toEqual([`${NODE_COLUMNS.join(',')}\n`]);
    stream.round(result.runs[0]!.rounds[0]!, 's1s4');
    expect(pieces.map((piece) => piece.split('\n').length - 1)).toEqual([1, 4096, 4096, 1808]);
    expect(pieces[2]!.startsWith('s1s4,1,n-4097,')).toBe(true);
    stream.round(result.runs[0]!.rounds[1]!, 's1s4');
    expect(pieces).toHaveLength(7);
    expect(stream.roundsCsv()).toBe(toRoundsCsv({ ...result, runs: [result.runs[0]!] }));
    expect(pieces.join('')).toBe(toNodesCsv({ ...result, runs: [result.runs[0]!] }));
  });
});

describe('agreement with the JSON report', () => {
  it('every rounds.csv row is the JSON round, field for field', () => {
    const result = generatedResult(30, 3);
    const json = JSON.parse(toJsonReport(result, { version: '0', trace: false, timing: false }));
    const shared = ROUND_COLUMNS.filter((c) => c !== 'strategy' && c !== 'participants');
    const expected = json.runs.flatMap((run: any) => run.rounds.map((round: any) => shared.map((field) => JSON.stringify(round[field]))));
    const rows = toRoundsCsv(result).trimEnd().split('\n').slice(1).map((line) => line.split(','));
    expect(rows.map((row) => shared.map((field) => row[ROUND_COLUMNS.indexOf(field)]))).toEqual(expected);
  });
  it('every nodes.csv row is the JSON node record, field for field, in JSON key order', () => {
    const result = generatedResult(30, 3);
    const json = JSON.parse(toJsonReport(result, { version: '0', trace: false, timing: false }));
    const fields = NODE_COLUMNS.slice(3);
    const expected = json.runs.flatMap((run: any) => run.rounds.flatMap((round: any) => round.nodes.map((node: any) =>
      [run.strategy.name, round.round, node.id, ...fields.map((field) => node[field])]
        .map((v) => (v === null ? '' : typeof v === 'number' ? JSON.stringify(v) : String(v))).join(','))));
    const lines = toNodesCsv(result).trimEnd().split('\n');
    expect(lines.slice(1)).toEqual(expected);
    // the JSON has exactly these fields besides id (no samplesMs without --trace)
    expect(Object.keys(json.runs[0].rounds[0].nodes[0]).filter((k) => k !== 'id').sort()).toEqual([...fields].sort());
  });
});
