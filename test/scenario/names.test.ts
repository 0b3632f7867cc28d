/**
 * Node ids and strategy names that are also property names of every JavaScript object
 * (`constructor`, `toString`, `__proto__` …) or words the reports use (`others`) are
 * ordinary names to the scenario layer: loading, `count` expansion, duplicate checks and
 * did-you-mean treat them like any other.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatIssues } from '../../src/errors.js';
import { collectScenarioIssues, parseScenarioText } from '../../src/node/load.js';
import { runCli, STACK_TRACE } from '../hostile/cli.js';

const OBJECT_NAMES = ['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__', 'isPrototypeOf', 'prototype', 'others'];

const SCENARIO = [
  'name: constructor',
  'compare:',
  '  - s1s4',
  '  - { batch: fixed, resources: fixed, aggregation: mean, name: toString }',
  '  - { batch: fixed, resources: fixed, aggregation: samples, name: __proto__ }',
  '  - { batch: efficiency, resources: fixed, aggregation: mean, name: hasOwnProperty }',
  'cluster:',
  '  defaults: { latency: { constant: 5 } }',
  '  nodes:',
  ...OBJECT_NAMES.map((id) => `    - { id: ${id} }`),
  '    - { id: valueOf, count: 2 }',
  '',
].join('\n');

describe('names that are also Object.prototype properties', () => {
  it('load as ordinary node ids and strategy names, count expansion included', () => {
    const scenario = parseScenarioText(SCENARIO, 'names.yaml');
    expect(scenario.name).toBe('constructor');
    expect(scenario.cluster.nodes.map((node) => node.id)).toEqual([...OBJECT_NAMES, 'valueOf-1', 'valueOf-2']);
    expect(scenario.strategies.map((strategy) => strategy.name)).toEqual(['s1s4', 'toString', '__proto__', 'hasOwnProperty']);
    expect(Object.keys(Object.prototype)).toEqual([]);
  });

  it('a repeated one is a duplicate like any other; a preset name is not looked up on Object', () => {
    const nodes = [
      'cluster:',
      '  nodes:',
      '    - { id: constructor, latency: { constant: 5 } }',
      '    - { id: __proto__, count: 2, latency: { constant: 5 } }',
      '    - { id: constructor, latency: { constant: 5 } }',
      '    - { id: __proto__-2, latency: { constant: 5 } }',
      '',
    ].join('\n');
    const compare = 'compare: [ { batch: fixed, resources: fixed, aggregation: mean, name: toString }, { batch: fixed, resources: fixed, aggregation: samples, name: toString } ]\n';
    expect(formatIssues(collectScenarioIssues(compare + nodes, 'n.yaml', { baseDir: '/nonexistent' }))).toBe([
      'n.yaml:1:83  compare[1]: expected a strategy name not used earlier in compare (give a stage pick its own name:), found toString again (also compare[0])',
      'n.yaml:6:13  cluster.nodes[2].id: expected a node id not used by an earlier node, found "constructor" again (also cluster.nodes[0])',
      'n.yaml:7:13  cluster.nodes[3].id: expected a node id not used by an earlier node, found "__proto__-2" again (also cluster.nodes[1])',
    ].join('\n'));
    expect(formatIssues(collectScenarioIssues(`strategy: constructor\n${nodes}`, 'p.yaml', { baseDir: '/nonexistent' })).split('\n')[0]).toMatch(
      /^p\.yaml:1:11 {2}strategy: expected one of s1s4, .*, found "constructor" \(a string\)$/,
    );
  });

  it('dtrain validate and a short dtrain simulate accept them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dtrain-names-'));
    writeFileSync(join(dir, 'names.yaml'), SCENARIO);
    const validate = await runCli(['validate', 'names.yaml'], { cwd: dir });
    expect(validate).toMatchObject({ status: 0, stdout: 'names.yaml: ok\n', stderr: '' });
    const simulate = await runCli(['simulate', 'names.yaml', '--rounds', '2', '--quiet'], { cwd: dir });
    expect(simulate.stderr).not.toMatch(STACK_TRACE);
    expect(simulate.status).toBe(0);
    expect(simulate.stdout).toContain('scenario constructor');
    for (const name of ['toString', '__proto__', 'hasOwnProperty']) expect(simulate.stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
  });
});

describe('bidi and invisible characters in names', () => {
  it('are refused in the scenario name, strategy names and node ids, and shown as escapes', () => {
    const text = [
      'name: plain\u202Eevil',
      'compare: [ { batch: fixed, resources: fixed, aggregation: mean, name: "a\u2066b\u2069" }, s1s4 ]',
      'cluster:',
      '  nodes:',
      '    - { id: "n\u200Fx", latency: { constant: 5 } }',
      '    - { id: "n\u061Cy", latency: { trace: "t\u200B.csv" } }',
      '',
    ].join('\n');
    const words = 'without control, bidi or invisible characters';
    expect(formatIssues(collectScenarioIssues(text, 'b.yaml', { baseDir: '/nonexistent' }))).toBe([
      `b.yaml:1:7  name: expected a non-empty string ${words}, found "plain\\u{202e}evil" (a string)`,
      `b.yaml:2:71  compare[0].name: expected a non-empty string ${words}, found "a\\u{2066}b\\u{2069}" (a string)`,
      'b.yaml:5:13  cluster.nodes[0].id: expected a node id (letters, digits, _ . - ; as a string), found "n\\u{200f}x" (a string)',
      'b.yaml:6:13  cluster.nodes[1].id: expected a node id (letters, digits, _ . - ; as a string), found "n\\u{61c}y" (a string)',
      `b.yaml:6:38  cluster.nodes[1].latency.trace: expected a trace file path ${words}, found "t\\u{200b}.csv" (a string)`,
    ].join('\n'));
  });

  it('invisible ones that are not bidi marks are refused too: a tag character, soft hyphen, Hangul filler, U+034F …', () => {
    const text = [
      'name: "x\u00ADy"',
      'compare:',
      '  - s1s4',
      '  - { batch: fixed, resources: fixed, aggregation: mean, name: "s1s4\u{E0020}" }',
      '  - { batch: fixed, resources: fixed, aggregation: mean, name: "a\u3164" }',
      '  - { batch: fixed, resources: fixed, aggregation: mean, name: "b\u034Fc\u{1D173}" }',
      'data: { dataset: { csv: "d\u180E.csv" } }',
      'cluster:',
      '  nodes:',
      '    - { id: a, latency: { constant: 5 } }',
      '',
    ].join('\n');
    const words = 'without control, bidi or invisible characters';
    expect(formatIssues(collectScenarioIssues(text, 'b.yaml', { baseDir: '/nonexistent' }))).toBe([
      `b.yaml:1:7  name: expected a non-empty string ${words}, found "x\\xady" (a string)`,
      `b.yaml:4:64  compare[1].name: expected a non-empty string ${words}, found "s1s4\\u{e0020}" (a string)`,
      `b.yaml:5:64  compare[2].name: expected a non-empty string ${words}, found "a\\u{3164}" (a string)`,
      `b.yaml:6:64  compare[3].name: expected a non-empty string ${words}, found "b\\u{34f}c\\u{1d173}" (a string)`,
      `b.yaml:7:25  data.dataset.csv: expected a CSV file path ${words}, found "d\\u{180e}.csv" (a string)`,
    ].join('\n'));
  });
});
