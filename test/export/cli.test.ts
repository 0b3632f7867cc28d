/**
 * `dtrain export latency` through the built CLI: where the output goes (stdout by default and
 * with `--out -`, a file written whole), and bad input — an unknown node (did-you-mean), a
 * duration that is not positive or not a duration, an unknown format, an output over a file
 * the scenario reads: one `error:` line, exit 2, nothing written, no stack trace.
 */
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, STACK_TRACE } from '../hostile/cli.js';

const FIXTURE = join(import.meta.dirname, 'fixtures', 'link.yaml');
const EDGE_CSV = 'time_ms,latency_ms\n-300,12.5\n-200,12.5\n-100,12.5\n0,\n100,\n200,12.5\n';

function exportArgs(...rest: string[]): string[] {
  return ['export', 'latency', FIXTURE, ...rest];
}

async function refused(args: string[], cwd?: string): Promise<string> {
  const result = await runCli(args, cwd === undefined ? {} : { cwd });
  expect(result.stdout).toBe('');
  expect(result.stderr).not.toMatch(STACK_TRACE);
  expect(result.status).toBe(2);
  return result.stderr;
}

describe('dtrain export latency: outputs', () => {
  it('writes the CSV to stdout by default and with --out -', async () => {
    for (const out of [[], ['--out', '-']]) {
      const result = await runCli(exportArgs('--node', 'edge', '--duration', '200ms', '--format', 'csv', ...out));
      expect(result).toMatchObject({ status: 0, stdout: EDGE_CSV, stderr: '' });
    }
  });

  it('--out FILE gets the same bytes, and --seed changes the draws', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dtrain-export-'));
    const file = join(dir, 'jitter.csv');
    const written = await runCli(exportArgs('--node', 'jitter', '--duration', '1s', '--format', 'csv', '--out', file));
    expect(written).toMatchObject({ status: 0, stdout: '', stderr: `wrote ${file} · node jitter, 14 slots of 100 ms from -300 to 1100 ms\n` });
    const stdout = await runCli(exportArgs('--node', 'jitter', '--duration', '1s', '--format', 'csv'));
    expect(readFileSync(file, 'utf8')).toBe(stdout.stdout);
    expect(readdirSync(dir)).toEqual(['jitter.csv']);
    const reseeded = await runCli(exportArgs('--node', 'jitter', '--duration', '1s', '--format', 'csv', '--seed', '6'));
    expect(reseeded.status).toBe(0);
    expect(reseeded.stdout).not.toBe(stdout.stdout);
    expect(reseeded.stdout.split('\n')[1]!.startsWith('-300,')).toBe(true);
  });
});

describe('dtrain export latency: bad input', () => {
  it('an unknown node lists the nodes and suggests the closest', async () => {
    expect(await refused(exportArgs('--node', 'Edge', '--duration', '1s', '--format', 'csv'))).toBe(
      "error: --node: unknown node 'Edge' in scenario link: expected one of edge, jitter\nhint: did you mean edge?\n",
    );
    expect(await refused(exportArgs('--node', 'x\u001b[31m', '--duration', '1s', '--format', 'csv'))).toBe(
      "error: --node: unknown node 'x\\e[31m' in scenario link: expected one of edge, jitter\n",
    );
  });

  it('a duration that is not positive, or not a duration, is refused by the scenario files\' grammar', async () => {
    for (const duration of ['0', '-1s', 'soon', '1 fortnight', '']) {
      expect(await refused(exportArgs('--node', 'edge', '--duration', duration, '--format', 'csv'))).toBe(
        `error: option '--duration <time>' argument '${duration}' is invalid. --duration must be a positive duration (ms, or a string like 250ms, 2s, 1.5m), found '${duration}'.\n(run with --help for usage)\n`,
      );
    }
  });

  it('an unknown format names the two there are; a missing flag is named', async () => {
    expect(await refused(exportArgs('--node', 'edge', '--duration', '1s', '--format', 'tsv'))).toBe(
      "error: option '--format <format>' argument 'tsv' is invalid. Allowed choices are csv, netem.\n(run with --help for usage)\n",
    );
    expect(await refused(exportArgs('--node', 'edge', '--format', 'csv'))).toBe(
      "error: required option '--duration <time>' not specified\n(run with --help for usage)\n",
    );
  });

  it('never writes over the scenario or a trace it reads, nor into a missing directory; nothing is written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dtrain-export-'));
    const scenario = join(dir, 'link.yaml');
    copyFileSync(FIXTURE, scenario);
    const before = readFileSync(scenario, 'utf8');
    expect(await refused(['export', 'latency', 'link.yaml', '--node', 'edge', '--duration', '1s', '--format', 'csv', '--out', 'link.yaml'], dir)).toBe(
      "error: --out link.yaml would overwrite the scenario file 'link.yaml', which this command reads; write the output somewhere else\n",
    );
    expect(readFileSync(scenario, 'utf8')).toBe(before);
    writeFileSync(join(dir, 't.csv'), 'time_ms,latency_ms\n0,5\n');
    writeFileSync(join(dir, 'trace.yaml'), before.replace('{ constant: 12.5, down: [ { from: 0, to: 200 } ] }', '{ trace: t.csv }'));
    expect(await refused(['export', 'latency', 'trace.yaml', '--node', 'edge', '--duration', '1s', '--format', 'csv', '--out', 't.csv'], dir)).toBe(
      "error: --out t.csv would overwrite the trace file 't.csv', which this command reads; write the output somewhere else\n",
    );
    expect(await refused(exportArgs('--node', 'edge', '--duration', '1s', '--format', 'csv', '--out', join(dir, 'no', 'x.csv')))).toBe(
      "error: --out " + join(dir, 'no', 'x.csv') + ": directory '" + join(dir, 'no') + "' does not exist\n",
    );
    // a bad node with a good --out leaves no file behind
    expect(await refused(exportArgs('--node', 'nope', '--duration', '1s', '--format', 'csv', '--out', join(dir, 'out.csv')))).toMatch(/^error: --node: unknown node 'nope'/);
    expect(existsSync(join(dir, 'out.csv'))).toBe(false);
    expect(readdirSync(dir).sort()).toEqual(['link.yaml', 't.csv', 'trace.yaml']);
  });
});
