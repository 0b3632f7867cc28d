/**
 * The node list's cap: a list longer than it is one problem, said with its length and how a
 * large cluster is written (groups with count), and its entries are not parsed one by one.
 */
import { describe, expect, it } from 'vitest';
import { formatIssue } from '../../src/errors.js';
import { collectScenarioIssues } from '../../src/node/load.js';
import { MAX_NODE_ENTRIES } from '../../src/scenario/schema.js';

describe('a node list over the cap', () => {
  it('is one problem with the list\'s length, not one more for each entry', () => {
    const text = `cluster:\n  nodes: [${new Array<string>(MAX_NODE_ENTRIES + 1).fill('0').join(', ')}]\n`;
    const issues = collectScenarioIssues(text, 'big.yaml').filter((issue) => issue.path.startsWith('cluster'));
    expect(issues.map(formatIssue)).toEqual([
      'big.yaml:2:10  cluster.nodes: expected at most 100,000 entries (nodes alike are one entry with count: N), found a list of 100,001 items',
    ]);
  });

  it('a list within the cap has each entry checked', () => {
    const text = `cluster:\n  nodes: [${new Array<string>(3).fill('0').join(', ')}]\n`;
    expect(collectScenarioIssues(text, 'small.yaml').filter((issue) => issue.path.startsWith('cluster')).map(formatIssue)).toEqual([
      'small.yaml:2:11  cluster.nodes[0]: expected a node: a map with id and latency, found 0',
      'small.yaml:2:14  cluster.nodes[1]: expected a node: a map with id and latency, found 0',
      'small.yaml:2:17  cluster.nodes[2]: expected a node: a map with id and latency, found 0',
    ]);
  });
});
