/**
 * The streamed reports emit their nodes in strings of about CHUNK_CHARS characters, short
 * enough for V8's ordinary heap (chunk-sizer.ts), whatever the length of a node's record, and
 * the bytes do not depend on where the strings are cut.
 */
import { describe, expect, it } from 'vitest';
import { CHUNK_CHARS, ChunkSizer, MAX_CHUNK_NODES } from '../../src/report/chunk-sizer.js';
import { toJsonReport } from '../../src/report/json.js';
import { JsonReportStream } from '../../src/report/json-stream.js';
import { NdjsonStream } from '../../src/report/ndjson.js';
import type { RunResult } from '../../src/sim/records.js';
import { generatedResult } from './fixtures.js';

const OPTIONS = { version: '0.1.0', trace: false, timing: false, scenarioHash: 'abc' };

describe('ChunkSizer', () => {
  it('starts at 16 nodes, then fits CHUNK_CHARS by the last measured length a node, between 1 and MAX_CHUNK_NODES', () => {
    const sizer = new ChunkSizer();
    expect(CHUNK_CHARS).toBe(65536);
    expect(sizer.nodes()).toBe(16); // 65,536 / 4,096 assumed
    sizer.measured(64 * 2000, 64);
    expect(sizer.nodes()).toBe(32); // ⌊65,536 / 2,000⌋
    sizer.measured(300, 100);
    expect(sizer.nodes()).toBe(MAX_CHUNK_NODES); // 3 a node would allow 21,845
    sizer.measured(200_000, 1);
    expect(sizer.nodes()).toBe(1); // one record longer than the bound still goes out
    sizer.measured(0, 0); // nothing measured: the last figure stands
    expect(sizer.nodes()).toBe(1);
    sizer.measured(900 * 10, 10);
    expect(sizer.nodes()).toBe(72); // ⌊65,536 / 900⌋
  });
});

/** `result` with every node's id `length` characters long (its record that much longer). */
function withLongIds(result: RunResult, length: number): RunResult {
  const long = (id: string): string => id.padStart(length, 'x');
  return {
    ...result,
    runs: result.runs.map((run) => ({
      ...run,
      rounds: run.rounds.map((round) => ({ ...round, nodes: round.nodes.map((node) => ({ ...node, id: long(node.id) })) })),
    })),
  };
}

function streamed(result: RunResult): { json: string[]; ndjson: string[] } {
  const json: string[] = [];
  const ndjson: string[] = [];
  const jsonStream = new JsonReportStream(result.scenario, OPTIONS, (piece) => json.push(piece));
  const ndjsonStream = new NdjsonStream(result.scenario, OPTIONS, (piece) => ndjson.push(piece));
  for (const run of result.runs) {
    for (const round of run.rounds) {
      jsonStream.round(round, run.strategy, run.backend);
      ndjsonStream.round(round, run.strategy, run.backend);
    }
    jsonStream.runEnd(run);
  }
  jsonStream.finish(result);
  ndjsonStream.finish(result);
  return { json, ndjson };
}

describe('the streamed reports of large rounds', () => {
  it.each([
    ['records of the usual length', 0],
    ['records with 3,000-character ids', 3000],
  ])('emit %s in strings under twice CHUNK_CHARS, the same bytes as the whole report', (_, idLength) => {
    const base = generatedResult(1500, 2);
    const result = idLength === 0 ? base : withLongIds(base, idLength);
    const { json, ndjson } = streamed(result);
    expect(json.join('')).toBe(toJsonReport(result, OPTIONS));
    const pieces = [...json, ...ndjson];
    expect(Math.max(...pieces.map((piece) => piece.length))).toBeLessThan(2 * CHUNK_CHARS);
    // 1,500 nodes take several strings a round, not one
    expect(json.length).toBeGreaterThan(2 * (1500 / MAX_CHUNK_NODES));
    const lines = ndjson.join('').split('\n');
    const rounds = lines.filter((line) => line.startsWith('{"type":"round"')).map((line) => JSON.parse(line) as { nodes: Array<{ id: string }> });
    expect(rounds.map((round) => round.nodes.length)).toEqual([1500, 1500]);
    expect(rounds[1]!.nodes[1499]!.id).toBe(result.runs[0]!.rounds[1]!.nodes[1499]!.id);
  });
});
