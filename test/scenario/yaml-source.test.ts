/**
 * YAML-level rules of the scenario reader: always YAML 1.2 core (a %YAML 1.1 directive is
 * refused), explicit tags refused by name, issues behind an alias placed at the alias, and
 * checking that stays linear in the number of keys.
 */
import { describe, expect, it } from 'vitest';
import { formatIssues, formatIssuesCapped } from '../../src/errors.js';
import { collectScenarioIssues } from '../../src/node/load.js';
import { readYamlSource } from '../../src/scenario/yaml-source.js';

const CLUSTER = 'cluster:\n  nodes:\n    - { id: a, latency: { constant: 5 } }\n';
const TOP_KEYS = 'name, description, seed, rounds, targetAccuracy, strategy, compare, data, model, pipeline, cluster';

function messages(text: string): string {
  return formatIssues(collectScenarioIssues(text, 'y.yaml', { baseDir: '/nonexistent' }));
}

describe('YAML 1.2 only', () => {
  const YAML_11 = 'seed: 017\nrounds: 1:30\ntargetAccuracy: off\nbase: &b { cores: 4 }\ncluster:\n  nodes:\n    - <<: *b\n      id: a\n      latency: { constant: 5 }\n';
  const REFUSED = 'expected no %YAML directive, or %YAML 1.2 (scenarios are YAML 1.2: 017 is 17, 1:30 and off are strings, << merges nothing), found %YAML 1.1';

  it('a %YAML 1.1 directive is refused at the directive, whatever follows it', () => {
    expect(messages(`%YAML 1.1\n---\n${YAML_11}`)).toBe(`y.yaml:1:1  ${REFUSED}`);
    expect(messages(`# written for PyYAML\n%YAML   1.1\n---\n${YAML_11}`)).toBe(`y.yaml:2:1  ${REFUSED}`);
  });

  it('without a directive, or with %YAML 1.2: 017 is 17, 1:30 and off are strings, << is an unknown key', () => {
    const expected = [
      'y.yaml:2:9  rounds: expected an integer from 1 to 100000, found "1:30" (a string)',
      'y.yaml:3:17  targetAccuracy: expected a number from 0 to 1, found "off" (a string)',
      `y.yaml:4:1  base: expected a known top-level key (${TOP_KEYS}) — did you mean name?, found base`,
      'y.yaml:7:7  cluster.nodes[0].<<: expected a known key of nodes[0] (id, count, latency, cores, msPerSample, parallelFraction, ioMsPerBatch, bandwidth, labelNoise, dataShare, slowdown, stepOverheadMs), found <<',
    ].join('\n');
    expect(messages(YAML_11)).toBe(expected);
    expect(messages(`%YAML 1.2\n---\n${YAML_11}`)).toBe(expected.replace(/y\.yaml:(\d+)/g, (_, line: string) => `y.yaml:${Number(line) + 2}`));
    expect(readYamlSource(`seed: 017\n${CLUSTER}`, 'y.yaml').value).toMatchObject({ seed: 17 });
  });
});

describe('explicit tags', () => {
  const WORDS = 'expected a plain YAML value (no tags but !!str, !!int, !!float, !!bool, !!null, !!map, !!seq)';

  it('!!timestamp, !!set, !!omap, !!binary and custom tags are named, at the tag, not read as an empty map', () => {
    const text = 'seed: !!timestamp 2001-12-14\nrounds: !!set { 3, 4 }\ndescription: !!omap [ a: 1 ]\nname: !foo bar\n'
      + 'targetAccuracy: !!binary aGVsbG8=\ncompare: [ !<tag:example.com,2000:x> s1s4 ]\n' + CLUSTER;
    expect(messages(text)).toBe([
      `y.yaml:1:7  seed: ${WORDS}, found a YAML !!timestamp tag`,
      `y.yaml:2:9  rounds: ${WORDS}, found a YAML !!set tag`,
      `y.yaml:3:14  description: ${WORDS}, found a YAML !!omap tag`,
      `y.yaml:4:7  name: ${WORDS}, found a YAML !foo tag`,
      `y.yaml:5:17  targetAccuracy: ${WORDS}, found a YAML !!binary tag`,
      `y.yaml:6:12  compare[0]: ${WORDS}, found a YAML tag:example.com,2000:x tag`,
    ].join('\n'));
  });

  it('a core tag that cannot read its value is named with the value as written, not as the string yaml leaves', () => {
    expect(messages(`rounds: !!float 2\n${CLUSTER}`)).toBe('y.yaml:1:9  rounds: expected a number with a decimal point or an exponent after !!float (2.0, 1e3), found !!float 2');
    expect(messages(`rounds: !!int 2.5\n${CLUSTER}`)).toBe('y.yaml:1:9  rounds: expected a whole number after !!int, found !!int 2.5');
    expect(messages(`data: { shuffle: !!bool yes }\n${CLUSTER}`)).toBe('y.yaml:1:18  data.shuffle: expected true or false after !!bool, found !!bool yes');
    expect(messages(`model: !!map [1]\n${CLUSTER}`)).toBe('y.yaml:1:8  model: expected a map after !!map, found a list after !!map');
    expect(readYamlSource('rounds: !!float 2.0\n', 'y.yaml').value).toEqual({ rounds: 2 });
  });

  it('core tags that restate the type are fine', () => {
    expect(messages(`name: !!str 007\nrounds: !!int "3"\ntargetAccuracy: !!float 0.5\ndescription: ! plain\n${CLUSTER}`)).toBe('');
  });
});

describe('aliases', () => {
  it('a problem in an aliased map is placed at each alias that uses it, not at the anchor', () => {
    const text = 'x-slow: &slow { constant: -5 }\ncluster:\n  nodes:\n    - { id: a, latency: *slow }\n    - { id: b, latency: *slow }\n';
    expect(messages(text)).toBe([
      `y.yaml:1:1  x-slow: expected a known top-level key (${TOP_KEYS}), found x-slow`,
      'y.yaml:4:25  cluster.nodes[0].latency.constant: expected a duration (ms, or a string like 250ms, 2s, 1.5m) ≥ 0, found -5',
      'y.yaml:5:25  cluster.nodes[1].latency.constant: expected a duration (ms, or a string like 250ms, 2s, 1.5m) ≥ 0, found -5',
    ].join('\n'));
  });

  it('a node repeated by alias is a duplicate id at the alias', () => {
    const text = 'cluster:\n  nodes:\n    - &n { id: a, latency: { constant: 5 } }\n    - *n\n';
    expect(messages(text)).toBe('y.yaml:4:7  cluster.nodes[1].id: expected a node id not used by an earlier node, found "a" again (also cluster.nodes[0])');
  });

  it('an alias resolves to the last anchor of that name before it, as YAML says', () => {
    const text = 'x: &v 1\nseed: *v\ny: &v -1\nrounds: *v\n' + CLUSTER;
    expect(messages(text)).toContain('y.yaml:4:9  rounds: expected an integer from 1 to 100000, found -1');
    expect(readYamlSource(text, 'y.yaml').value).toMatchObject({ seed: 1, rounds: -1 });
  });

  it('a key written as an alias (*k :) is a duplicate of its anchor\'s key, at the alias, and its value is placed there too', () => {
    const text = `&k rounds: 2\ndata: { dataset: iris }\n${CLUSTER}*k : -3\n`;
    expect(messages(text)).toBe([
      'y.yaml:6:1  rounds: expected each key at most once in a map, found rounds (as *k) again (first at line 1)',
      'y.yaml:6:6  rounds: expected an integer from 1 to 100000, found -3',
    ].join('\n'));
    const cluster = `&c cluster: 2\nrounds: 2\n${CLUSTER}*c : 3\n`;
    expect(messages(cluster)).toBe([
      'y.yaml:3:1  cluster: expected each key at most once in a map, found cluster again (first at line 1)',
      'y.yaml:6:1  cluster: expected each key at most once in a map, found cluster (as *c) again (first at line 1)',
      'y.yaml:6:6  cluster: expected a cluster: a map with nodes: [ … ], found 3',
    ].join('\n'));
  });

  it('an alias key that is not a repeat means its anchor\'s key, and is located at the alias', () => {
    const text = 'cluster:\n  nodes:\n    - { id: &k a, latency: { constant: 5 } }\n    - { *k : 1, id: b, latency: { constant: 5 } }\n';
    expect(messages(text)).toBe(
      'y.yaml:4:9  cluster.nodes[1].a: expected a known key of nodes[1] (id, count, latency, cores, msPerSample, parallelFraction, ioMsPerBatch, bandwidth, labelNoise, dataShare, slowdown, stepOverheadMs), found a',
    );
  });
});

describe('numbers are shown as written', () => {
  it('1e309, 0x1F, 1e9: the text in the file, not .inf, 31, 1000000000', () => {
    expect(messages(`rounds: 1e309\n${CLUSTER}`)).toBe('y.yaml:1:9  rounds: expected an integer from 1 to 100000, found 1e309');
    expect(messages(`rounds: 0x1F0000\n${CLUSTER}`)).toBe('y.yaml:1:9  rounds: expected an integer from 1 to 100000, found 0x1F0000');
    expect(messages('cluster:\n  nodes:\n    - { id: a, count: 1e9, latency: { constant: -1e309 } }\n')).toBe([
      'y.yaml:3:23  cluster.nodes[0].count: expected an integer from 1 to 262144, found 1e9',
      'y.yaml:3:49  cluster.nodes[0].latency.constant: expected a duration (ms, or a string like 250ms, 2s, 1.5m), found -1e309',
    ].join('\n'));
  });

  it('through an alias: the anchor\'s text, at the alias', () => {
    expect(messages(`x-big: &big 1e400\nrounds: *big\n${CLUSTER}`)).toContain('y.yaml:2:9  rounds: expected an integer from 1 to 100000, found 1e400');
  });

  it('an integer past 2^53 − 1 is refused with that bound, showing the digits written', () => {
    const range = 'expected an integer from 0 to 9007199254740991 (2^53 − 1)';
    expect(messages(`seed: 9007199254740993\n${CLUSTER}`)).toBe(`y.yaml:1:7  seed: ${range}, found 9007199254740993`);
    expect(messages(`seed: 18446744073709551616\n${CLUSTER}`)).toBe(`y.yaml:1:7  seed: ${range}, found 18446744073709551616`);
    expect(messages(`seed: 9007199254740991\n${CLUSTER}`)).toBe('');
    // a bounded integer keeps its own bound; a fraction or a negative number the plain words
    expect(messages(`rounds: 1e30\n${CLUSTER}`)).toBe('y.yaml:1:9  rounds: expected an integer from 1 to 100000, found 1e30');
    expect(messages(`seed: 1.5\n${CLUSTER}`)).toBe('y.yaml:1:7  seed: expected an integer ≥ 0, found 1.5');
    expect(messages(`seed: -1e30\n${CLUSTER}`)).toBe('y.yaml:1:7  seed: expected an integer ≥ 0, found -1e30');
  });
});

describe('keys', () => {
  it('a repeated plain key: the value checked (and placed) is the last one, the one a run would use', () => {
    expect(messages(`rounds: 2\n${CLUSTER}rounds: -3\n`)).toBe([
      'y.yaml:5:1  rounds: expected each key at most once in a map, found rounds again (first at line 1)',
      'y.yaml:5:9  rounds: expected an integer from 1 to 100000, found -3',
    ].join('\n'));
  });

  it('null: and ~: are the empty key, at their own line', () => {
    expect(messages(`rounds: 2\nnull: x\n${CLUSTER}`)).toBe(`y.yaml:2:1  expected a known top-level key (${TOP_KEYS}), found an empty key`);
    expect(messages(`rounds: 2\nnull: x\n~: y\n${CLUSTER}`)).toBe([
      'y.yaml:3:1  expected each key at most once in a map, found an empty key again (first at line 2)',
      `y.yaml:3:1  expected a known top-level key (${TOP_KEYS}), found an empty key`,
    ].join('\n'));
  });

  it('a list or map used as a key is refused at that key, also through an alias', () => {
    expect(messages(`rounds: 2\n? [a, b]\n: x\n${CLUSTER}`)).toBe('y.yaml:2:3  expected a plain key (a name), found a list used as a key');
    expect(messages(`rounds: 2\ncluster:\n  { a: 1 }: x\n`)).toBe('y.yaml:3:3  cluster: expected a plain key (a name), found a map used as a key');
    // yaml would spell this key `*m`, and stringifying `[*a]` for a message would throw
    expect(messages(`x: &m [1]\n*m : 2\n&a y: 1\n? [*a]\n: 3\n${CLUSTER}`)).toBe([
      'y.yaml:2:1  expected a plain key (a name), found a list used as a key',
      'y.yaml:4:3  expected a plain key (a name), found a list used as a key',
    ].join('\n'));
  });
});

describe('large files stay linear', () => {
  // A quadratic step (a key lookup per issue, a duplicate check against every earlier key)
  // took minutes here; linear, this is a second or two. The timeout only guards against a hang.
  const KEYS = 100_000;
  const HANG_GUARD = { timeout: 60_000 };

  it('100,000 unknown keys: every one reported, the first 20 shown', HANG_GUARD, () => {
    const lines: string[] = [];
    for (let k = 0; k < KEYS; k++) lines.push(`k${k}: 1`);
    const issues = collectScenarioIssues(`${lines.join('\n')}\n${CLUSTER}`, 'big.yaml', { baseDir: '/nonexistent' });
    expect(issues).toHaveLength(KEYS);
    const shown = formatIssuesCapped(issues, 20, 'add --all to list them all').split('\n');
    expect(shown).toHaveLength(21);
    expect(shown[0]).toBe(`big.yaml:1:1  k0: expected a known top-level key (${TOP_KEYS}), found k0`);
    expect(shown[19]).toBe(`big.yaml:20:1  k19: expected a known top-level key (${TOP_KEYS}), found k19`);
    expect(shown[20]).toBe('… and 99980 more (add --all to list them all)');
    expect(issues[KEYS - 1]).toMatchObject({ line: KEYS, column: 1, path: `k${KEYS - 1}` });
  });

  it('100,000 keys repeated in one map: each repeat reported, naming the first', HANG_GUARD, () => {
    const lines: string[] = [];
    for (let k = 0; k < KEYS; k++) lines.push(`  n${k % 50_000}: 1`);
    const issues = collectScenarioIssues(`pipeline:\n${lines.join('\n')}\n${CLUSTER}`, 'dup.yaml', { baseDir: '/nonexistent' });
    const repeats = issues.filter((issue) => issue.expected === 'each key at most once in a map');
    expect(repeats).toHaveLength(50_000);
    expect(formatIssues(repeats.slice(0, 1))).toBe('dup.yaml:50002:3  pipeline.n0: expected each key at most once in a map, found n0 again (first at line 2)');
  });

  it('thousands of anchors and aliases resolve in one pass', HANG_GUARD, () => {
    const lines: string[] = [];
    for (let k = 0; k < 5000; k++) lines.push(`  - { id: n${k}, latency: &l${k} { constant: ${k % 7 === 0 ? -1 : 5} } }`, `  - { id: m${k}, latency: *l${k} }`);
    const issues = collectScenarioIssues(`cluster:\n nodes:\n${lines.join('\n')}\n`, 'a.yaml', { baseDir: '/nonexistent' });
    // 715 anchors hold -1: each is reported at the anchor's node and again at its alias
    expect(issues).toHaveLength(2 * 715);
    expect(issues[1]).toMatchObject({ line: 4, column: 24, path: 'cluster.nodes[1].latency.constant' });
  });
});
