import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatIssues, ScenarioError } from '../../src/errors.js';
import { collectScenarioIssues, parseScenarioText } from '../../src/node/load.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');
/** A valid cluster to append, so that each case shows only its own problem. */
const CLUSTER = 'cluster:\n  nodes:\n    - { id: a, latency: { constant: 5 } }\n';

function messages(text: string): string {
  return formatIssues(collectScenarioIssues(text, 'bad.yaml', { baseDir: FIXTURES }));
}

describe('YAML-level problems', () => {
  it('a syntax error names its line and column and stops there', () => {
    expect(messages('seed: 7\nname: "unclosed\nrounds: -1\n')).toBe(
      'bad.yaml:4:1  expected valid YAML (missing closing "quote), found the end of the file',
    );
  });

  it('a tab used for indentation', () => {
    expect(messages('cluster:\n\tnodes: []\n')).toBe('bad.yaml:2:1  expected spaces for indentation, found a tab');
  });

  it('a duplicate key is reported at the second one, and validation goes on', () => {
    expect(messages(`seed: 1\nseed: 2\nrounds: 0\n${CLUSTER}`)).toBe([
      'bad.yaml:2:1  seed: expected each key at most once in a map, found seed again (first at line 1)',
      'bad.yaml:3:9  rounds: expected an integer from 1 to 100000, found 0',
    ].join('\n'));
  });

  it('an alias bomb is refused', () => {
    const bomb = 'x: &a [1,2,3,4,5,6,7,8,9,10]\ny: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nz: [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\n';
    expect(messages(bomb)).toBe('bad.yaml:2:8  expected at most 100 nodes from YAML aliases, found aliases that expand to more (an alias bomb)');
  });

  it('more than 10,000 anchors and aliases are refused before yaml resolves them (each alias costs a pass over all before it)', () => {
    const pairs = (count: number) => Array.from({ length: count }, (_, i) => `&a${i} 0, *a${i}`).join(', ');
    // 5,001 pairs: the 10,001st is the anchor &a5000, where the message points
    const text = `x: [${pairs(5001)}]\n${CLUSTER}`;
    const column = text.indexOf('&a5000') + 1;
    expect(messages(text)).toBe(`bad.yaml:1:${column}  expected at most 10,000 YAML anchors (&name) and aliases (*name), found 10,002 (nodes alike are one entry with count: N)`);
    // 10,000 are read (and the unknown key is what is wrong)
    expect(messages(`x: [${pairs(5000)}]\n${CLUSTER}`)).toBe('bad.yaml:1:1  x: expected a known top-level key (name, description, seed, rounds, targetAccuracy, strategy, compare, data, model, pipeline, cluster), found x');
  });

  it('flow brackets nested past 1,000 are refused before the document is built, where the 65th level opens, as past 64', () => {
    // 2,000 `[` never closed: yaml would build every level first (4 MiB of them: 47 s, 3.7 GB)
    const deep = `name: x\nseed: ${'['.repeat(2000)}\n`;
    // the top-level map is the first level: the 64th `[` opens the 65th
    expect(messages(deep)).toBe('bad.yaml:2:70  expected maps and lists nested at most 64 levels deep, found deeper nesting');
    // 1,000 closed ones are parsed, and refused as past 64 at the same place
    expect(messages(`name: x\nseed: ${'['.repeat(1000)}${']'.repeat(1000)}\n`)).toBe('bad.yaml:2:70  expected maps and lists nested at most 64 levels deep, found deeper nesting');
    // a flow list at the root is the first level itself: the 65th `[`, before and after parsing alike
    expect(messages(`# deep\n${'['.repeat(2000)}\n`)).toBe('bad.yaml:2:65  expected maps and lists nested at most 64 levels deep, found deeper nesting');
    expect(messages(`# deep\n${'['.repeat(1000)}${']'.repeat(1000)}\n`)).toBe('bad.yaml:2:65  expected maps and lists nested at most 64 levels deep, found deeper nesting');
    // brackets in quotes and comments do not count
    const quoted = `name: "${'['.repeat(2000)}"\ndescription: '${'{'.repeat(2000)}'' and more'\n# ${'['.repeat(2000)}\n${CLUSTER}`;
    expect(messages(quoted)).toBe('');
  });

  it('an alias without its anchor', () => {
    expect(messages(`seed: *nope\n${CLUSTER}`)).toBe('bad.yaml:1:7  expected an anchor &nope defined before this alias, found *nope');
  });

  it('an empty file', () => {
    expect(messages('')).toBe('bad.yaml:1:1  expected a scenario: a YAML map with at least cluster.nodes, found an empty file');
  });
});

describe('field problems', () => {
  it('a wrong type', () => {
    expect(messages(`rounds: many\n${CLUSTER}`)).toBe('bad.yaml:1:9  rounds: expected an integer from 1 to 100000, found "many" (a string)');
  });

  it('a negative duration', () => {
    expect(messages('cluster:\n  retryMs: -5\n  nodes: [ { id: a, latency: { constant: 5 } } ]\n')).toBe(
      'bad.yaml:2:12  cluster.retryMs: expected a duration (ms, or a string like 250ms, 2s, 1.5m) ≥ 0, found -5',
    );
  });

  it('an S1 window that is not a multiple of the interval', () => {
    expect(messages(`pipeline:\n  s1: { intervalMs: 100, windowMs: 250 }\n${CLUSTER}`)).toBe(
      'bad.yaml:2:36  pipeline.s1.windowMs: expected a multiple of intervalMs (100), found 250',
    );
  });

  it('a window left at its default is named as the default', () => {
    expect(messages(`pipeline:\n  s1: { intervalMs: 300 }\n${CLUSTER}`)).toBe(
      'bad.yaml:2:7  pipeline.s1.windowMs: expected a multiple of intervalMs (300), found 2000 (the default)',
    );
  });

  it('an unknown key, with a did-you-mean', () => {
    expect(messages(`pipeline:\n  s1: { windowMS: 2s }\n${CLUSTER}`)).toBe(
      'bad.yaml:2:9  pipeline.s1.windowMS: expected a known key of s1 (intervalMs, windowMs, thresholdMs) — did you mean windowMs?, found windowMS',
    );
  });

  it('an unknown dataset, with a did-you-mean', () => {
    expect(messages(`data: { dataset: digit }\n${CLUSTER}`)).toBe(
      'bad.yaml:1:18  data.dataset: expected one of iris, wine, breast_cancer, digits — did you mean digits?, found "digit" (a string)',
    );
  });

  it('two process keys in one latency, reported at the second', () => {
    expect(messages('cluster:\n  nodes:\n    - { id: a, latency: { constant: 5, normal: { mean: 1, std: 1 } } }\n')).toBe(
      'bad.yaml:3:40  cluster.nodes[0].latency: expected exactly one latency process (constant, uniform, normal, lognormal, spikes, burst, periodic, trace, phases), found constant and normal',
    );
  });

  it('a latency missing from the node and from cluster.defaults, reported at the node', () => {
    expect(messages('cluster:\n  nodes:\n    - { id: a, cores: 2 }\n')).toBe(
      'bad.yaml:3:7  cluster.nodes[0].latency: expected a latency (on the node or in cluster.defaults), found nothing',
    );
  });

  it('a duplicate node id after count expansion is reported at the later node', () => {
    expect(messages('cluster:\n  nodes:\n    - { id: d-2, latency: { constant: 5 } }\n    - { id: d, count: 3, latency: { constant: 5 } }\n')).toBe(
      'bad.yaml:4:13  cluster.nodes[1].id: expected a node id not used by an earlier node, found "d-2" again (also cluster.nodes[0])',
    );
  });
});

describe('cross-field rules', () => {
  it('strategy and compare together are refused at compare', () => {
    expect(messages(`strategy: s1s4\ncompare: [fedavg]\n${CLUSTER}`)).toBe('bad.yaml:2:1  compare: expected either strategy or compare, not both, found both');
  });

  it('a stage pick that takes a preset\'s name twice in compare', () => {
    expect(messages(`compare: [s1s4, { batch: efficiency, resources: pressure, aggregation: volatility }]\n${CLUSTER}`)).toBe(
      'bad.yaml:1:17  compare[1]: expected a strategy name not used earlier in compare (give a stage pick its own name:), found s1s4 again (also compare[0])',
    );
  });

  it('S2 minBatch above the batch cap, S3 bases outside [min, max] and min above max', () => {
    expect(messages(`pipeline:\n  s2: { standardBatch: 32, minBatch: 40 }\n  s3: { maxThreads: 2, minQueue: 10, maxQueue: 5 }\n${CLUSTER}`)).toBe([
      'bad.yaml:2:38  pipeline.s2.minBatch: expected an integer ≤ standardBatch (32), which maxBatch defaults to, found 40',
      'bad.yaml:3:7  pipeline.s3.baseThreads: expected an integer from minThreads to maxThreads (1 to 2), found 4 (the default)',
      'bad.yaml:3:34  pipeline.s3.minQueue: expected an integer ≤ maxQueue (5), found 10',
    ].join('\n'));
  });

  it('a zero latency resolution and too many nodes after expansion, both at once', () => {
    const text = 'cluster:\n  latencyResolutionMs: 0\n  nodes:\n    - { id: a, count: 100000, latency: { constant: 5 } }\n    - { id: b, count: 100000, latency: { constant: 5 } }\n    - { id: c, count: 62145, latency: { constant: 5 } }\n';
    expect(messages(text)).toBe([
      'bad.yaml:2:24  cluster.latencyResolutionMs: expected a duration (ms, or a string like 250ms, 2s, 1.5m) > 0, found 0',
      'bad.yaml:4:5  cluster.nodes: expected at most 262144 nodes after count expansion, found 262145',
    ].join('\n'));
  });

  it('one count group may hold every node a cluster may have (262,144), not one more', () => {
    const group = (count: number) => `cluster:\n  nodes:\n    - { id: a, count: ${count}, latency: { constant: 5 } }\n`;
    expect(parseScenarioText(group(131_072), 'one.yaml').cluster.nodes).toHaveLength(131_072);
    expect(parseScenarioText(group(262_144), 'one.yaml').cluster.nodes.at(-1)!.id).toBe('a-262144');
    expect(messages(group(262_145))).toBe('bad.yaml:3:23  cluster.nodes[0].count: expected an integer from 1 to 262144, found 262145');
  });

  it('phases: until on all but the last, none on the last; loop only with trace', () => {
    const text = [
      'cluster:',
      '  nodes:',
      '    - id: a',
      '      latency:',
      '        phases:',
      '          - { constant: 1 }',
      '          - { until: 5s, constant: 2, loop: true }',
      '          - { phases: [ { until: 1s, constant: 1 } ] }',
    ].join('\n');
    expect(messages(text)).toBe([
      'bad.yaml:6:13  cluster.nodes[0].latency.phases[0].until: expected a duration (until is required on every phase but the last), found nothing',
      'bad.yaml:7:45  cluster.nodes[0].latency.phases[1].loop: expected loop only next to trace, found true',
      'bad.yaml:8:34  cluster.nodes[0].latency.phases[2].phases[0].until: expected no until on the last phase (it holds from there on), found "1s" (a string)',
    ].join('\n'));
  });
});

describe('files named by the scenario', () => {
  it('an unreadable trace', () => {
    expect(messages('cluster:\n  nodes:\n    - { id: a, latency: { trace: traces/missing.csv } }\n')).toBe(
      'bad.yaml:3:34  cluster.nodes[0].latency.trace: expected a readable trace file, found no such file: traces/missing.csv',
    );
  });

  it('an empty trace', () => {
    expect(messages('cluster:\n  nodes:\n    - { id: a, latency: { trace: empty-trace.csv } }\n')).toBe(
      'bad.yaml:3:34  cluster.nodes[0].latency.trace: expected a latency trace (a CSV with header time_ms,latency_ms, or ping -D output), found an empty file at empty-trace.csv:1:1',
    );
  });

  it('a bad cell in a CSV dataset is located in the scenario and in the data file', () => {
    expect(messages(`data: { dataset: { csv: bad-dataset.csv } }\n${CLUSTER}`)).toBe(
      'bad.yaml:1:25  data.dataset.csv: expected a finite number, found text that is not a number at bad-dataset.csv:3:5',
    );
  });
});

describe('every problem at once', () => {
  const text = [
    'seed: -1',
    'compare: [s1s4, sgd-sync]',
    'pipeline:',
    '  s2: { standardBatch: 0 }',
    'cluster:',
    '  nodes:',
    '    - { id: a, latency: { normal: { mean: 30, std: 15 } }, labelNoise: 2 }',
    '    - { id: b, latency: { uniform: { min: 9, max: 1 } }, coress: 4 }',
  ].join('\n');
  const expected = [
    'bad.yaml:1:7  seed: expected an integer ≥ 0, found -1',
    'bad.yaml:2:17  compare[1]: expected one of s1s4, sync-sgd, fedavg, lb-bsp, found "sgd-sync" (a string)',
    'bad.yaml:4:24  pipeline.s2.standardBatch: expected a number ≥ 1, found 0',
    'bad.yaml:7:72  cluster.nodes[0].labelNoise: expected a number from 0 to 1, found 2',
    'bad.yaml:8:51  cluster.nodes[1].latency.uniform.max: expected a value ≥ min (9), found 1',
    'bad.yaml:8:58  cluster.nodes[1].coress: expected a known key of nodes[1] (id, count, latency, cores, msPerSample, parallelFraction, ioMsPerBatch, bandwidth, labelNoise, dataShare, slowdown, stepOverheadMs) — did you mean cores?, found coress',
  ];

  it('are all reported, in file order', () => {
    expect(messages(text)).toBe(expected.join('\n'));
  });

  it('parseScenarioText throws one ScenarioError that carries them all', () => {
    let error: unknown;
    try {
      parseScenarioText(text, 'bad.yaml', { baseDir: FIXTURES });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ScenarioError);
    expect((error as ScenarioError).exitCode).toBe(2);
    expect((error as ScenarioError).message).toBe(`bad.yaml: 6 problems\n${expected.join('\n')}`);
  });
});
