/**
 * A file named with a typo: the message says which file of a close name is in its folder, as
 * the user would write it (the scenario on the command line, a trace or dataset inside it).
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nearFile } from '../../src/node/read-file.js';
import { runCli, ROOT, STACK_TRACE } from './cli.js';

const TINY = join(ROOT, 'test', 'sweep', 'fixtures', 'tiny.yaml');

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dtrain-near-'));
  copyFileSync(TINY, join(dir, 'scenario.yaml'));
  mkdirSync(join(dir, 'traces'));
  writeFileSync(join(dir, 'traces', 'ping.csv'), 't_ms,latency_ms\n0,5\n100,6\n');
  mkdirSync(join(dir, 'scenario.yml.d'));
  return dir;
}

describe('nearFile', () => {
  it('a file of a close name in the folder, written with the folder as given; none when nothing is close or the folder is missing', () => {
    const dir = folder();
    expect(nearFile(join(dir, 'scenari.yaml'))).toBe(join(dir, 'scenario.yaml'));
    expect(nearFile(`${dir}/traces/../Scenario.yaml`)).toBe(`${dir}/traces/../scenario.yaml`);
    expect(nearFile(join(dir, 'traces', 'pings.csv'))).toBe(join(dir, 'traces', 'ping.csv'));
    // a folder of a close name is not offered as a file
    expect(nearFile(join(dir, 'scenario.yml.e'))).toBeUndefined();
    expect(nearFile(join(dir, 'other.yaml'))).toBeUndefined();
    expect(nearFile(join(dir, 'no-such-folder', 'scenario.yaml'))).toBeUndefined();
  });
});

describe('a mistyped file name gets the close one', () => {
  it('simulate, validate and sweep of scenario.yml beside scenario.yaml: exit 2, the hint, nothing written', async () => {
    const dir = folder();
    for (const args of [['simulate', 'scenario.yml'], ['validate', 'scenario.yml'], ['sweep', 'scenario.yml', '--set', 'seed=1,2', '--out', 'out']]) {
      const result = await runCli(args, { cwd: dir });
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(/^error: cannot read scenario file 'scenario\.yml': no such file\nhint: did you mean 'scenario\.yaml'\?\n/);
      expect(result.stderr).not.toMatch(STACK_TRACE);
    }
    const dotted = await runCli(['simulate', './Scenario.yaml'], { cwd: dir });
    expect(dotted.stderr).toBe("error: cannot read scenario file './Scenario.yaml': no such file\nhint: did you mean './scenario.yaml'?\n");
    const far = await runCli(['simulate', 'nothing.yaml'], { cwd: dir });
    expect(far.stderr).toBe("error: cannot read scenario file 'nothing.yaml': no such file\n");
    expect(readdirSync(dir).sort()).toEqual(['scenario.yaml', 'scenario.yml.d', 'traces']);
  });

  it('a trace named with a typo inside the scenario: the issue names the close one as the scenario would', async () => {
    const dir = folder();
    writeFileSync(join(dir, 'typo.yaml'), [
      'name: typo', 'rounds: 1', 'data: { dataset: iris }', 'model: { hidden: [] }',
      'cluster:', '  nodes:', '    - { id: a, latency: { trace: traces/pings.csv } }', '',
    ].join('\n'));
    const result = await runCli(['validate', 'typo.yaml'], { cwd: dir });
    expect(result.status).toBe(2);
    expect(result.stdout + result.stderr).toContain('typo.yaml:7:34  cluster.nodes[0].latency.trace: expected a readable trace file, found no such file: traces/pings.csv (did you mean traces/ping.csv?)\n');
  });
});
