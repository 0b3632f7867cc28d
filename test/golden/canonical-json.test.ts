import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/golden/canonical-json.js';

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
