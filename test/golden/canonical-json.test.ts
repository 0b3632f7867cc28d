import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CanonicalPieces, canonicalJson, writeCanonicalJson } from '../../src/golden/canonical-json.js';

describe('canonicalJson', () => {
  it('sorts object keys at every depth, so key order does not matter', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[2,{"y":2,"z":1}]},"b":1}');
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
  });

  it('leaves out undefined fields and writes numbers in shortest round-trip form', () => {
    expect(canonicalJson({ a: undefined, b: 0.1 + 0.2, c: 1e21 })).toBe('{"b":0.30000000000000004,"c":1e+21}');
  });

  it('keeps list order (a list is ordered data)', () => {
    expect(canonicalJson([3, 1, 2])).toBe('[3,1,2]');
  });
});

/** The definition the writer must keep (the scenario hashes in golden files and sweeps depend on it). */
function byDefinition(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(byDefinition).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${byDefinition(item)}`).join(',')}}`;
}

describe('canonicalJson written in pieces', () => {
  const pieces = (value: unknown): string[] => {
    const out: string[] = [];
    writeCanonicalJson(value, (piece) => out.push(piece));
    return out;
  };

  it('is the definition, for data with shared objects, undefined fields and any keys', () => {
    const key = fc.string({ unit: 'binary', maxLength: 4 });
    const leaf = fc.oneof(fc.double(), fc.integer(), fc.string({ unit: 'binary', maxLength: 6 }), fc.boolean(), fc.constant(null), fc.constant(undefined));
    const { tree } = fc.letrec((tie) => ({
      tree: fc.oneof({ depthSize: 'small' }, leaf, tie('list'), tie('record')),
      list: fc.array(tie('tree'), { maxLength: 5 }),
      record: fc.dictionary(key, tie('tree'), { maxKeys: 5 }),
    }));
    fc.assert(fc.property(tree, fc.array(tree, { maxLength: 4 }), (shared, others) => {
      // the same object in several places, as a group's nodes share their latency
      const value = { a: shared, list: [shared, ...others, shared], b: { shared, again: [shared] } };
      const expected = byDefinition(value);
      expect(canonicalJson(value)).toBe(expected);
      expect(pieces(value).join('')).toBe(expected);
      expect(canonicalJson(value)).toBe(expected); // and again: nothing remembered from one call to the next
    }), { numRuns: 500 });
  });

  it('key sets that would read alike joined by a separator are told apart', () => {
    const value = [{ 'a\u0000b': 1 }, { a: 2, b: 3 }, { 'a\u0000b': 4 }, { a: 5, b: 6 }];
    expect(canonicalJson(value)).toBe('[{"a\\u0000b":1},{"a":2,"b":3},{"a\\u0000b":4},{"a":5,"b":6}]');
  });

  it('records of one shape in a run, then others of as many keys, each keep their own keys', () => {
    // the writer reuses the last record's key order while the keys are the same ones in the same order
    const value = [{ a: 1, b: 2 }, { a: 3, b: 4 }, { b: 5, a: 6 }, { a: 7, c: 8 }, { a: 9, b: undefined }, { a: -0, b: Number.NaN }, { a: true, b: 1e-7 }];
    expect(canonicalJson(value)).toBe('[{"a":1,"b":2},{"a":3,"b":4},{"a":6,"b":5},{"a":7,"c":8},{"a":9},{"a":0,"b":null},{"a":true,"b":1e-7}]');
    expect(canonicalJson(value)).toBe(byDefinition(value));
  });

  it('never holds the text of a long list whole: each item is its own piece', () => {
    const samples = Array.from({ length: 400 }, (_, k) => ({ timeMs: 50 * k, latencyMs: 20 + (k % 7) }));
    const latency = { process: { kind: 'trace', samples }, loss: 0 };
    const nodes = Array.from({ length: 2000 }, (_, k) => ({ id: `rack-${k + 1}`, latency: { ...latency, process: { ...latency.process } } }));
    const scenario = { name: 'traces', cluster: { nodes } };
    const out = pieces(scenario);
    const oneNode = byDefinition(nodes[1999]).length + 1;
    expect(out.join('')).toBe(byDefinition(scenario));
    expect(Math.max(...out.map((piece) => piece.length))).toBeLessThanOrEqual(oneNode);
    expect(out.length).toBeGreaterThan(2000);
  });

  it('writes a long text shared by many items (a trace\'s samples) as a piece of its own', () => {
    const samples = Array.from({ length: 400 }, (_, k) => ({ timeMs: 50 * k, latencyMs: 20 + (k % 7) }));
    const latency = { process: { kind: 'trace', samples }, loss: 0 };
    const nodes = Array.from({ length: 50 }, (_, k) => ({ id: `rack-${k + 1}`, cores: 4, latency }));
    const out = pieces({ nodes });
    const latencyText = byDefinition(latency);
    expect(out.join('')).toBe(byDefinition({ nodes }));
    const long = out.filter((piece) => piece.length >= 1024);
    expect(long).toHaveLength(50);
    expect(long.every((piece) => piece === latencyText)).toBe(true);
    expect(out.filter((piece) => piece.includes('"id":"rack-7"'))).toEqual([',{"cores":4,"id":"rack-7","latency":']);
  });
});

describe('CanonicalPieces', () => {
  /** a value that writes [1,2,…,count] in a piece per number, counting how often it is written */
  function counting(count: number) {
    const value = {
      writes: 0,
      pieces: new CanonicalPieces((emit) => {
        value.writes++;
        for (let k = 1; k <= count; k++) emit(`${k === 1 ? '[' : ','}${k}${k === count ? ']' : ''}`);
      }),
    };
    return value;
  }

  it('stand in the text where they are met, at any depth, shared or not', () => {
    const { pieces } = counting(3);
    const shared = { b: pieces, a: 'x\u0000y' };
    const value = { top: pieces, items: [pieces, { s: shared }, { s: shared }, { s: shared }], deep: { z: [{ y: pieces }] } };
    expect(canonicalJson(value)).toBe(
      '{"deep":{"z":[{"y":[1,2,3]}]},"items":[[1,2,3],{"s":{"a":"x\\u0000y","b":[1,2,3]}},{"s":{"a":"x\\u0000y","b":[1,2,3]}},{"s":{"a":"x\\u0000y","b":[1,2,3]}}],"top":[1,2,3]}',
    );
  });

  it('a short text met again is kept and written whole after; each time before, piece by piece', () => {
    const shared = counting(4);
    const nodes = Array.from({ length: 5 }, (_, k) => ({ id: k, latency: { samples: shared.pieces } }));
    const out: string[] = [];
    writeCanonicalJson({ nodes }, (piece) => out.push(piece));
    expect(out.join('')).toBe(`{"nodes":[${nodes.map((_, k) => `{"id":${k},"latency":{"samples":[1,2,3,4]}}`).join(',')}]}`);
    expect(shared.writes).toBe(2);
    expect(out.filter((piece) => piece === '[1,2,3,4]')).toHaveLength(3);
  });
});
