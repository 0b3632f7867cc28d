import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { formatIssue } from '../../src/errors.js';
import { collectScenarioIssues } from '../../src/node/load.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');

function codes(text: string): string[] {
  return collectScenarioIssues(text, 'bad.yaml', { baseDir: FIXTURES }).map((issue) => `${issue.code} ${issue.path}`);
}

describe('scenario issues carry a code (the words are formatIssue\'s)', () => {
  it('field problems: unknown key, wrong type, out of range, not an allowed value, fields in conflict', () => {
    const text = [
      'rounds: 0',
      'seed: abc',
      'strategy: s1s5',
      'compare: [s1s4]',
      'pipeline: { s1: { treshold: 5 } }',
      'cluster: { nodes: [ { id: a, latency: { constant: 5 } }, { id: a, latency: { constant: 5 } } ] }',
    ].join('\n');

    expect(codes(text)).toEqual([
      'field.range rounds',
      'field.type seed',
      'field.value strategy',
      'field.conflict compare',
      'field.unknownKey pipeline.s1.treshold',
      'field.conflict cluster.nodes[1].id',
    ]);
  });

  it('YAML problems: a duplicate key, a tag, a syntax error', () => {
    expect(codes('seed: 1\nseed: 2\ncluster: { nodes: [ { id: a, latency: { constant: 5 } } ] }\n')).toEqual(['yaml.duplicateKey seed']);
    expect(codes('seed: !!binary 1\ncluster: { nodes: [ { id: a, latency: { constant: 5 } } ] }\n')).toEqual(['yaml.unsupported seed']);
    expect(codes('cluster: { nodes: [\n')).toEqual(['yaml.syntax ']);
  });

  it('file problems: not text, a data file that cannot be read, a data file that holds the wrong thing', () => {
    expect(codes('seed: 1\u0000')).toEqual(['file.notText ']);
    expect(codes('data: { dataset: { csv: no-such.csv } }\ncluster: { nodes: [ { id: a, latency: { constant: 5 } } ] }\n'))
      .toEqual(['file.unreadable data.dataset.csv']);
    expect(codes('cluster: { nodes: [ { id: a, latency: { trace: spec-example.yaml } } ] }\n'))
      .toEqual(['file.invalid cluster.nodes[0].latency.trace']);
  });

  it('formatIssue words an issue the same with or without its code', () => {
    const [issue] = collectScenarioIssues('rounds: 0\ncluster: { nodes: [ { id: a, latency: { constant: 5 } } ] }\n', 'bad.yaml', { baseDir: FIXTURES });
    const { code: _code, ...words } = issue!;

    expect(formatIssue(words)).toBe(formatIssue(issue!));
    expect(formatIssue(issue!)).toBe('bad.yaml:1:9  rounds: expected an integer from 1 to 100000, found 0');
  });
});
