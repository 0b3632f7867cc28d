/**
 * study.json read back: a file of another dtrain version, or not JSON at all, is refused naming
 * the field (or the file), what was expected and what was found.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DtrainError } from '../../src/errors.js';
import { parseStudyManifest, studyManifestText, studyManifestTextSteps, type StudyManifest } from '../../src/study/manifest.js';
import { planSweep } from '../../src/sweep/grid.js';
import { makeManifest } from '../../src/sweep/manifest.js';
import { readScenarioSource } from '../../src/sweep/resolve-point.js';
import { parseSetArgs } from '../../src/sweep/set-spec.js';

const FILE = join(import.meta.dirname, '..', 'sweep', 'fixtures', 'tiny.yaml');

function manifest(): StudyManifest {
  const plan = planSweep(readScenarioSource(readFileSync(FILE, 'utf8'), FILE), parseSetArgs(['seed=1,2']));
  const grid = makeManifest(plan, { name: 'tiny', file: 'tiny.yaml' }, { name: 'dtrain', version: '0.1.0' }, null);
  return { studyVersion: 1, seeds: [1, 2], baseline: 'sync-sgd', target: 0.5, ablate: false, store: 'compact', grid };
}

describe('study.json read back', () => {
  it('round-trips', () => {
    expect(parseStudyManifest(studyManifestText(manifest()), 'd/study.json')).toEqual(manifest());
  });

  it('is written out in steps as JSON.stringify writes it whole', () => {
    const study = manifest();
    const steps = studyManifestTextSteps(study, 1);
    let yields = 0;
    let step = steps.next();
    for (; step.done !== true; step = steps.next()) yields += 1;
    expect(yields).toBe(study.grid.runs.length - 1);
    expect(step.value).toBe(`${JSON.stringify(study, null, 2)}\n`);
    expect(studyManifestText(study)).toBe(step.value);
  });

  it('refuses another version, a wrong field, its grid of another version, an empty file or text that is not JSON', () => {
    const refused = (text: string, message: string) => expect(() => parseStudyManifest(text, 'd/study.json'), text).toThrowError(new DtrainError('study.badManifest', message));
    const edited = (edit: (data: Record<string, any>) => void) => {
      const data = JSON.parse(studyManifestText(manifest())) as Record<string, any>;
      edit(data);
      return JSON.stringify(data);
    };
    refused(edited((d) => { d.studyVersion = 2; }), 'd/study.json is not a dtrain study manifest: studyVersion: expected 1, found 2 (written by another version of dtrain)');
    refused(edited((d) => { d.store = 'all'; }), 'd/study.json is not a dtrain study manifest: store: expected "compact" or "full", found "all"');
    refused(edited((d) => { d.grid.sweepVersion = 2; }), 'd/study.json is not a dtrain study manifest: grid.sweepVersion: expected 1, found 2 (written by another version of dtrain)');
    refused('', 'd/study.json: expected a study manifest (JSON), found an empty file');
    refused('SECRET=hunter2', 'd/study.json: expected a study manifest (JSON), found text that is not JSON (cut short or edited)');
  });
});
