import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DtrainError } from '../../src/errors.js';
import { planSweep } from '../../src/sweep/grid.js';
import { makeManifest, manifestJsonSteps, manifestText, parseManifest, reportFileName } from '../../src/sweep/manifest.js';
import { runSteps } from '../../src/train/steps.js';
import { readScenarioSource } from '../../src/sweep/resolve-point.js';
import { parseSetArgs } from '../../src/sweep/set-spec.js';

const FILE = join(import.meta.dirname, 'fixtures', 'tiny.yaml');

describe('sweep manifest', () => {
  it('round-trips and lists the whole grid, whatever the shard', () => {
    const plan = planSweep(readScenarioSource(readFileSync(FILE, 'utf8'), FILE), parseSetArgs(['seed=1..2']));
    const manifest = makeManifest(plan, { name: 'tiny', file: 'tiny.yaml' }, { name: 'dtrain', version: '0.1.0' }, { index: 2, count: 3 });
    expect(parseManifest(manifestText(manifest), 'sweep.json')).toEqual(manifest);
    expect(manifest.runs).toHaveLength(4);
    expect(manifest.runs[0]).toEqual({ index: 0, key: plan.runs[0]!.key, point: ['1'], strategy: 's1s4', seed: 1, report: reportFileName(plan.runs[0]!.key) });
  });

  it('is written out in steps (a Ctrl-C is answered meanwhile) as JSON.stringify writes it whole, nested or not, its runs anywhere among its fields', () => {
    const plan = planSweep(readScenarioSource(readFileSync(FILE, 'utf8'), FILE), parseSetArgs(['seed=1..5', 'model.hidden=[],[3]']));
    const manifest = makeManifest(plan, { name: 'tiny', file: 'a "quoted"\nname.yaml' }, { name: 'dtrain', version: '0.1.0' }, { index: 1, count: 2 });
    const whole = JSON.stringify(manifest, null, 2);
    const steps = manifestJsonSteps(manifest, '', 3);
    let yields = 0;
    let step = steps.next();
    for (; step.done !== true; step = steps.next()) yields += 1;
    expect(yields).toBe(Math.floor((manifest.runs.length - 1) / 3));
    expect(step.value).toBe(whole);
    expect(manifestText(manifest)).toBe(`${whole}\n`);
    expect(runSteps(manifestJsonSteps(manifest, '    ', 2))).toBe(whole.replaceAll('\n', '\n    '));
    expect(runSteps(manifestJsonSteps({ ...manifest, runs: [] }))).toBe(JSON.stringify({ ...manifest, runs: [] }, null, 2));
    const { runs, ...rest } = manifest;
    const runsFirst = { runs, ...rest };
    expect(runSteps(manifestJsonSteps(runsFirst, '', 4))).toBe(JSON.stringify(runsFirst, null, 2));
  });

  it('a report file is named by the first 16 hex digits of the run key', () => {
    expect(reportFileName('0123456789abcdef0123')).toBe('0123456789abcdef.json');
  });

  it('anything else is a user error (exit 2) naming the field, what was expected and what was found', () => {
    const refused = (text: string, message: string) => expect(() => parseManifest(text, 'd/sweep.json'), text).toThrowError(new DtrainError('sweep.badManifest', message));
    refused('{"sweepVersion": 2}', 'd/sweep.json is not a dtrain sweep manifest: sweepVersion: expected 1, found 2 (written by another version of dtrain)');
    refused('{"mine": true}', 'd/sweep.json is not a dtrain sweep manifest: sweepVersion: expected 1, found nothing');
    refused('[1]', 'd/sweep.json is not a dtrain sweep manifest: expected a JSON object, found an array');
    refused('{"sweepVersion": 1, "tool": "dtrain"}', 'd/sweep.json is not a dtrain sweep manifest: tool: expected an object, found "dtrain"');
    refused('nope', 'd/sweep.json: expected a sweep manifest (JSON), found text that is not JSON (cut short or edited)');
    refused('', 'd/sweep.json: expected a sweep manifest (JSON), found an empty file');
    refused(' \n', 'd/sweep.json: expected a sweep manifest (JSON), found an empty file');
    const plan = planSweep(readScenarioSource(readFileSync(FILE, 'utf8'), FILE), parseSetArgs(['seed=1..2']));
    const manifest = makeManifest(plan, { name: 'tiny', file: 'tiny.yaml' }, { name: 'dtrain', version: '0.1.0' }, null);
    const text = manifestText({ ...manifest, runs: manifest.runs.map((run, i) => (i === 1 ? { ...run, seed: '\u001b[2J' as unknown as number } : run)) });
    refused(text, 'd/sweep.json is not a dtrain sweep manifest: runs[1].seed: expected a number, found "\\u001b[2J"');
  });

  it('a run whose report is not its own plain file name is refused, without quoting the name', () => {
    const plan = planSweep(readScenarioSource(readFileSync(FILE, 'utf8'), FILE), parseSetArgs(['seed=1..2']));
    const manifest = makeManifest(plan, { name: 'tiny', file: 'tiny.yaml' }, { name: 'dtrain', version: '0.1.0' }, null);
    const refused = new DtrainError('sweep.badManifest', 'd/sweep.json: run 2 names a report that is not its own file in this folder (expected the first 16 hex digits of its key + .json)');
    const own = manifest.runs[1]!.report;
    for (const report of ['../x.json', '/etc/passwd', `sub/${own}`, `..\\${own}`, own.toUpperCase(), manifest.runs[0]!.report, `${own}.json`]) {
      const text = manifestText({ ...manifest, runs: manifest.runs.map((run, i) => (i === 1 ? { ...run, report } : run)) });
      expect(() => parseManifest(text, 'd/sweep.json'), report).toThrowError(refused);
    }
  });

  it('a manifest whose runs are not the grid its gridHash names, or out of grid order, is refused', () => {
    const plan = planSweep(readScenarioSource(readFileSync(FILE, 'utf8'), FILE), parseSetArgs(['seed=1..2']));
    const manifest = makeManifest(plan, { name: 'tiny', file: 'tiny.yaml' }, { name: 'dtrain', version: '0.1.0' }, null);
    const edited = new DtrainError('sweep.badManifest', 'd/sweep.json: its axes, strategies and runs are not the grid its gridHash names (the file was edited)');
    const relabelled = manifest.runs.map((run, i) => (i === 1 ? { ...run, strategy: 's1s4' } : run));
    expect(() => parseManifest(manifestText({ ...manifest, runs: relabelled }), 'd/sweep.json')).toThrowError(edited);
    const otherSeed = manifest.runs.map((run, i) => (i === 2 ? { ...run, point: ['3'] } : run));
    expect(() => parseManifest(manifestText({ ...manifest, runs: otherSeed }), 'd/sweep.json')).toThrowError(edited);
    expect(() => parseManifest(manifestText({ ...manifest, axes: [{ path: 'seed', values: ['1'] }] }), 'd/sweep.json')).toThrowError(edited);
    const swapped = [manifest.runs[1]!, manifest.runs[0]!, ...manifest.runs.slice(2)];
    expect(() => parseManifest(manifestText({ ...manifest, runs: swapped }), 'd/sweep.json')).toThrowError(
      new DtrainError('sweep.badManifest', 'd/sweep.json: run 1 has index 1, expected 0 (the runs in grid order)'),
    );
  });
});
