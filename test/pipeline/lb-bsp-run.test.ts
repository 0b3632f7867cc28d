/**
 * The lb-bsp preset through the CLI on the bundled quickstart: it runs, and every round's
 * batches are what the balanced split gives when recomputed here from the run's own JSON
 * (the window's samples, the response time and batch of each node's last aggregated round).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dtrain, scratch } from '../cli/run-dtrain.js';

interface NodeRecord {
  id: string;
  samplesMs: Array<number | null>;
  plannedBatch: number;
  responseMs: number | null;
  participated: boolean;
  threads: number;
  weight: number | null;
}

// quickstart: B = 64, 1 local step, 8 cores, 12 ms per sample, parallel fraction 0.9, 2 ms of
// I/O per batch, 1 Gbps links; the model has 64·32 + 32 + 32·10 + 10 = 2410 parameters.
const B = 64;
const M = 2410 * 4;
const BANDWIDTH = 1e9;
const ESTIMATED_C = Math.max((B / 2) * 12 / (1 / (0.1 + 0.9 / 4)), 2 / 8) / (B / 2);

/** The balanced split, written again from its definition, for one round. */
function balancedBatches(nodes: readonly NodeRecord[], lastBatch: ReadonlyArray<number | null>): number[] {
  const n = nodes.filter((node) => node.samplesMs.some((s) => s !== null && s < 50)).length;
  const G = Math.floor((B * n) / 2);
  const d: number[] = [];
  const c: number[] = [];
  let active: number[] = [];
  nodes.forEach((node, i) => {
    const kept = node.samplesMs.filter((s): s is number => s !== null);
    d.push(kept.length === 0 ? 0 : 2 * (kept.reduce((a, b) => a + b, 0) / kept.length) + (2 * 1000 * M * 8) / BANDWIDTH);
    c.push(lastBatch[i] === null ? ESTIMATED_C : node.responseMs! / lastBatch[i]!);
    if (kept.length > 0) active.push(i);
  });
  const share = nodes.map(() => 0);
  for (;;) {
    const T = (G + active.reduce((s, i) => s + d[i]! / c[i]!, 0)) / active.reduce((s, i) => s + 1 / c[i]!, 0);
    for (const i of active) share[i] = Math.max(0, (T - d[i]!) / c[i]!);
    const next = active.filter((i) => (T - d[i]!) / c[i]! >= 0);
    if (next.length === active.length) break;
    active = next;
  }
  const batches = share.map((x) => Math.floor(x + 1e-9));
  let left = G - batches.reduce((a, b) => a + b, 0);
  const order = share.map((x, i) => i).filter((i) => share[i]! > 0)
    .sort((a, b) => (Math.abs((share[a]! - batches[a]!) - (share[b]! - batches[b]!)) < 1e-9 ? a - b : (share[b]! - batches[b]!) - (share[a]! - batches[a]!)));
  for (const i of order) if (left-- > 0) batches[i] += 1;
  return batches;
}

describe('dtrain simulate --strategy lb-bsp', () => {
  it('runs the bundled quickstart', () => {
    const result = dtrain(['simulate', 'scenarios/quickstart.yaml', '--strategy', 'lb-bsp', '--quiet']);

    expect(result.status).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^ {2}lb-bsp {2,}0\.\d{4} /m);
  });

  it('plans every round as the balanced split of its window, all cores, weights ∝ batch', () => {
    const file = join(scratch(), 'lb-bsp.json');
    const result = dtrain(['simulate', 'scenarios/quickstart.yaml', '--strategy', 'lb-bsp', '--quiet', '--trace', '--json', file]);
    expect(result.status).toBe(0);
    const rounds = (JSON.parse(readFileSync(file, 'utf8')) as { runs: Array<{ rounds: Array<{ globalBatch: number; nodes: NodeRecord[] }> }> }).runs[0]!.rounds;

    let lastBatch: Array<number | null> = [null, null, null, null];
    let measured = 0;
    for (const round of rounds) {
      expect(round.nodes.map((node) => node.plannedBatch)).toEqual(balancedBatches(round.nodes, lastBatch));
      for (const node of round.nodes) if (node.plannedBatch > 0) expect(node.threads).toBe(8);
      const total = round.nodes.reduce((sum, node) => sum + (node.participated ? node.plannedBatch : 0), 0);
      for (const node of round.nodes) if (node.participated) expect(node.weight).toBeCloseTo(node.plannedBatch / total, 12);
      lastBatch = round.nodes.map((node, i) => (node.participated ? node.plannedBatch : lastBatch[i]!));
      measured += lastBatch.filter((b) => b !== null).length;
    }
    // the measured time per sample was used (not only the first-round estimate)
    expect(measured).toBeGreaterThan(100);
    expect(rounds.length).toBe(30);
  });

  it('explain shows the cores stage by its own working, not S3\'s formula', () => {
    const result = dtrain(['explain', 'scenarios/quickstart.yaml', '--strategy', 'lb-bsp', '--round', '5', '--node', 'a']);

    expect(result.status).toBe(0);
    expect(result.stdout).toContain('threads 8, I/O queue 8 (resources stage cores: rule = cores, cores = 8)');
    expect(result.stdout).not.toContain('threads = 4 →');
    expect(result.stdout).toContain('batch stage balanced (rule = balanced, G = 128, latencyMs = 5, d = 10.15, c = 2.55, cFrom = last round');
  });
});
