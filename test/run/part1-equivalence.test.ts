/**
 * Time model v2 without a server link is Part I's model wherever no node was dropped: every
 * bundled scenario is run with v2 and compared with its Part I run (test/golden/part1/, the
 * golden files recorded before v2) on every figure of the clock and the plan, round by round,
 * up to and including the first round in which a node was dropped (from there on v2's barrier
 * waits to learn of the drop, so the rounds start later).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/index.js';
import { loadScenario } from '../../src/node/load.js';
import { stubEngineFactory } from '../properties/harness.js';

const ROOT = join(import.meta.dirname, '..', '..');
const PART1 = join(ROOT, 'test', 'golden', 'part1');

interface Part1Node { id: string; efficiency: number; batch: number; threads: number; ioQueue: number; participated: boolean; finishMs: number | null; responseMs: number | null; dropReason: string | null }
interface Part1Round { round: number; startMs: number; endMs: number; skipped: boolean; nodes: Part1Node[] }
interface Part1Report { runs: Array<{ strategy: { name: string }; rounds: Part1Round[] }> }

const CLOCK_FIELDS = ['id', 'efficiency', 'batch', 'threads', 'ioQueue', 'participated', 'finishMs', 'responseMs'] as const;

describe('v2 without a server link equals Part I until a node is dropped', () => {
  for (const file of readdirSync(PART1).filter((name) => name.endsWith('.json')).sort()) {
    it(file.replace(/\.json$/, ''), async () => {
      const part1 = JSON.parse(readFileSync(join(PART1, file), 'utf8')) as Part1Report;
      const scenario = await loadScenario(join(ROOT, 'scenarios', file.replace(/\.json$/, '.yaml')));
      expect(scenario.cluster.server ?? null).toBeNull();
      const result = await runScenario(scenario, { backend: 'cpu', engine: stubEngineFactory(() => {}) });
      let compared = 0;
      part1.runs.forEach((run, r) => {
        for (const expected of run.rounds) {
          const actual = result.runs[r]!.rounds[expected.round - 1]!;
          const dropped = expected.nodes.some((n) => n.dropReason === 'retries' || n.dropReason === 'deadline');
          // a round with a drop ends when v2 learns of it: its plan and arrivals still agree
          if (!dropped) expect([actual.startMs, actual.endMs, actual.skipped], `${run.strategy.name} round ${expected.round}`).toEqual([expected.startMs, expected.endMs, expected.skipped]);
          expected.nodes.forEach((node, n) => {
            const got = actual.nodes[n]!;
            for (const field of CLOCK_FIELDS) expect(got[field], `${run.strategy.name} round ${expected.round} node ${node.id} ${field}`).toBe(node[field]);
            compared++;
          });
          if (dropped) break;
        }
      });
      expect(compared).toBeGreaterThan(0);
    });
  }
});
