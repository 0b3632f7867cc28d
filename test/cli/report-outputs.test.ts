/**
 * `dtrain simulate --report --timeline --csv` end to end (runs dist/: `npm run build` first):
 * the three outputs of one tiny run agree with its `--json`, and bad paths fail before the run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { NODE_COLUMNS } from '../../src/report/csv.js';
import { toMicros } from '../../src/report/timeline.js';
import { writeProblem } from '../../src/output-file.js';
import { LINK_SCENARIO_TEXT } from '../report/link-fixture.js';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'dtrain.js');

// a: fast; b: sometimes slow (efficiency < 1); c: always slow and heavy, so s1s4 does not
// dispatch it (e = 0) and sync-sgd loses it at the 400 ms deadline.
const SCENARIO = `name: tiny-report
seed: 3
rounds: 3
compare: [s1s4, sync-sgd]
data: { dataset: iris }
model: { hidden: [] }
cluster:
  roundTimeoutMs: 400
  nodes:
    - { id: a, latency: { constant: 5 } }
    - { id: b, latency: { uniform: { min: 20, max: 80 } } }
    - { id: c, latency: { constant: 300 }, msPerSample: 2 }
`;

function dtrain(args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function cell(value: unknown): string {
  return value === null ? '' : typeof value === 'number' ? JSON.stringify(value) : String(value);
}

describe('simulate --report --timeline --csv on one run', () => {
  let dir: string;
  let json: any;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'dtrain-reports-'));
    writeFileSync(join(dir, 'tiny.yaml'), SCENARIO);
    const run = dtrain([
      'simulate', join(dir, 'tiny.yaml'), '--quiet', '--json', join(dir, 'run.json'), '--report', join(dir, 'run.html'),
      '--timeline', join(dir, 'run.trace.json'), '--csv', join(dir, 'csv'),
    ]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    json = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
  });

  it('the run covers a participant, a node not dispatched and a node dropped at the deadline', () => {
    const reasons = json.runs.flatMap((run: any) => run.rounds.flatMap((r: any) => r.nodes.map((n: any) => n.dropReason)));
    expect(new Set(reasons)).toEqual(new Set([null, 'deadline']));
    // not dispatched: no drop reason in the JSON, a planned batch of 0
    const nodes = json.runs.flatMap((run: any) => run.rounds.flatMap((r: any) => r.nodes));
    expect(nodes.some((n: any) => !n.participated && n.dropReason === null && n.plannedBatch === 0)).toBe(true);
  });

  it('--csv creates the directory; rounds.csv and nodes.csv are the JSON, cell for cell', () => {
    const rounds = readFileSync(join(dir, 'csv', 'rounds.csv'), 'utf8').trimEnd().split('\n');
    const nodes = readFileSync(join(dir, 'csv', 'nodes.csv'), 'utf8').trimEnd().split('\n');
    const expectedRounds = json.runs.flatMap((run: any) => run.rounds.map((r: any) =>
      [run.strategy.name, r.round, r.startMs, r.endMs, r.skipped, r.loss, r.accuracy, r.nodes.filter((n: any) => n.participated).length,
        r.globalBatch, r.effectiveParticipants]
        .map(cell).join(',')));
    const expectedNodes = json.runs.flatMap((run: any) => run.rounds.flatMap((r: any) => r.nodes.map((n: any) =>
      [run.strategy.name, r.round, n.id, ...NODE_COLUMNS.slice(3).map((field) => n[field])].map(cell).join(','))));
    expect(rounds.slice(1)).toEqual(expectedRounds);
    expect(nodes.slice(1)).toEqual(expectedNodes);
    expect(nodes).toHaveLength(1 + 2 * 3 * 3);
  });

  it('--timeline: each node track tiles the run; phases are the JSON’s timestamps; idle says why', () => {
    const trace = JSON.parse(readFileSync(join(dir, 'run.trace.json'), 'utf8'));
    expect(trace.displayTimeUnit).toBe('ms');
    const events = trace.traceEvents.filter((e: any) => e.ph === 'X');
    json.runs.forEach((run: any, s: number) => {
      run.rounds[0].nodes.forEach((_: unknown, n: number) => {
        const own = events.filter((e: any) => e.pid === s + 1 && e.tid === n + 1);
        for (let k = 1; k < own.length; k++) expect(own[k].ts).toBe(own[k - 1].ts + own[k - 1].dur);
        expect(own.at(-1).ts + own.at(-1).dur).toBe(toMicros(run.summary.simulatedMs));
      });
      for (const round of run.rounds) {
        round.nodes.forEach((node: any, n: number) => {
          const own = events.filter((e: any) => e.pid === s + 1 && e.tid === n + 1 && e.args.round === round.round);
          if (node.participated) {
            expect(own.find((e: any) => e.name === 'download')).toMatchObject({
              ts: toMicros(round.startMs), dur: toMicros(node.downloadEndMs) - toMicros(round.startMs),
            });
            expect(own.find((e: any) => e.name === 'upload')).toMatchObject({
              ts: toMicros(node.computeEndMs), dur: toMicros(node.finishMs) - toMicros(node.computeEndMs),
            });
          } else {
            expect(own.at(-1)).toMatchObject({ name: 'idle', args: { reason: node.dropReason ?? 'notDispatched' } });
          }
        });
      }
    });
  });

  it('--report: the summary and the heat-map cells show the JSON’s values', () => {
    const html = readFileSync(join(dir, 'run.html'), 'utf8');
    for (const run of json.runs) {
      expect(html).toContain(`<td>${run.strategy.name}</td><td class="num">${run.summary.finalAccuracy.toFixed(4)}</td>`);
    }
    json.runs.forEach((run: any, s: number) => {
      const figure = html.split(`id="chart-efficiency-${s + 1}"`)[1]!.split('</figure>')[0]!;
      const cells = [...figure.matchAll(/aria-label="round: (\d+); node: ([^;]+); efficiency e: ([^"]+)"/g)];
      expect(cells).toHaveLength(3 * 3);
      for (const [, round, id, value] of cells) {
        const node = run.rounds[Number(round) - 1].nodes.find((n: any) => n.id === id);
        expect(Number(value)).toBeCloseTo(node.efficiency, 10);
      }
    });
  });
});

describe('--report built as the rounds finish', () => {
  it('is the report, CSV and timeline of the same run kept whole, byte for byte, waits for the server link included', () => {
    // four nodes behind a 1 Mbps server link: their transfers queue for it
    const dir = mkdtempSync(join(tmpdir(), 'dtrain-reports-link-'));
    writeFileSync(join(dir, 'link.yaml'), LINK_SCENARIO_TEXT);
    // the outputs are built from each round as it finishes; writing a golden file (--expect
    // --update) makes the run keep every record, and the report is built from those at the end
    const outputs = (name: string) => ['--report', join(dir, `${name}.html`), '--csv', join(dir, `${name}-csv`), '--timeline', join(dir, `${name}.trace.json`)];
    const streamed = dtrain(['simulate', join(dir, 'link.yaml'), '--quiet', ...outputs('streamed')]);
    const kept = dtrain(['simulate', join(dir, 'link.yaml'), '--quiet', ...outputs('kept'), '--expect', join(dir, 'golden.json'), '--update']);
    expect([streamed.status, kept.status]).toEqual([0, 0]);
    expect(existsSync(join(dir, 'golden.json'))).toBe(true);
    const html = readFileSync(join(dir, 'streamed.html'), 'utf8');
    expect(html).toContain('phase: waiting for the server link;');
    expect(html).toBe(readFileSync(join(dir, 'kept.html'), 'utf8'));
    for (const name of ['rounds.csv', 'nodes.csv']) {
      expect(readFileSync(join(dir, 'streamed-csv', name), 'utf8')).toBe(readFileSync(join(dir, 'kept-csv', name), 'utf8'));
    }
    const trace = readFileSync(join(dir, 'streamed.trace.json'), 'utf8');
    expect(trace).toContain('"name":"link","cat":"link","ph":"X"');
    expect(trace).toBe(readFileSync(join(dir, 'kept.trace.json'), 'utf8'));
    expect(readFileSync(join(dir, 'streamed-csv', 'nodes.csv'), 'utf8').split('\n')).toHaveLength(1 + 2 * 4 + 1);
    // nothing but the two files in the directory (no temporary file left behind)
    expect(readdirSync(join(dir, 'streamed-csv')).sort()).toEqual(['nodes.csv', 'rounds.csv']);
  });
});

describe('report paths are checked before the run', () => {
  it('a missing directory, a directory for a file or a file for --csv: exit 2, nothing runs, nothing written', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dtrain-reports-bad-'));
    writeFileSync(join(dir, 'file.txt'), 'x');
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'tiny.yaml'), SCENARIO);
    const cases: Array<[string[], string]> = [
      [['--report', join(dir, 'nope', 'r.html')], `error: --report ${join(dir, 'nope', 'r.html')}: directory '${join(dir, 'nope')}' does not exist\n`],
      [['--timeline', join(dir, 'sub')], `error: --timeline ${join(dir, 'sub')}: is a directory, expected a file name\n`],
      [['--csv', join(dir, 'file.txt')], `error: --csv ${join(dir, 'file.txt')}: exists and is not a directory\n`],
      [['--csv', join(dir, 'nope', 'csv')], `error: --csv ${join(dir, 'nope', 'csv')}: parent directory '${join(dir, 'nope')}' does not exist\n`],
    ];
    for (const [flags, stderr] of cases) {
      // a valid scenario: had it run, stdout would hold its tables
      const run = dtrain(['simulate', join(dir, 'tiny.yaml'), ...flags]);
      expect(run.status).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toBe(stderr);
    }
    expect(existsSync(join(dir, 'nope'))).toBe(false);
  });

  it('a directory where access(2) says writable but no file can be created (/sys for root): exit 2 before the run, with the reason', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dtrain-reports-sys-'));
    writeFileSync(join(dir, 'tiny.yaml'), SCENARIO);
    // the reason this machine gives (permission denied on sysfs, read-only file system where /sys is mounted so)
    let reason = '';
    try {
      writeFileSync('/sys/dtrain-probe-of-the-test', '', { flag: 'wx' });
    } catch (error) {
      reason = writeProblem(error);
    }
    expect(['permission denied', 'read-only file system']).toContain(reason);
    const cases: Array<[string[], string]> = [
      [['--json', '/sys/x.json'], `error: --json /sys/x.json: directory '/sys' is not writable (${reason})\n`],
      [['--csv', '/sys/dtrain-csv'], `error: --csv /sys/dtrain-csv: directory '/sys' is not writable (${reason})\n`],
      [['--report', join(dir, 'r.html'), '--timeline', '/sys/t.json'], `error: --timeline /sys/t.json: directory '/sys' is not writable (${reason})\n`],
    ];
    for (const [flags, stderr] of cases) {
      const run = dtrain(['simulate', join(dir, 'tiny.yaml'), ...flags]);
      expect(run.status).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toBe(stderr);
    }
    expect(readdirSync(dir)).toEqual(['tiny.yaml']);
  });

  it('a run that fails writes no report', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dtrain-reports-fail-'));
    writeFileSync(join(dir, 'bad.yaml'), 'rounds: -3\n');
    const run = dtrain(['simulate', join(dir, 'bad.yaml'), '--report', join(dir, 'r.html'), '--csv', join(dir, 'csv')]);
    expect(run.status).toBe(2);
    expect(existsSync(join(dir, 'r.html'))).toBe(false);
    expect(existsSync(join(dir, 'csv'))).toBe(false);
  });
});
