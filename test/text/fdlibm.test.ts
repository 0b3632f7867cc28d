/**
 * src/text/fdlibm.ts: exp, log, sin and cos in plain double arithmetic, so that a latency drawn
 * in the browser playground is the CLI's to the last bit (a newer Chromium's Math.exp and
 * Math.cos round some results differently from Node 20's fdlibm). The outputs over a fixed
 * spread of inputs are pinned by their hash (recorded on Node 20, where they equal Math's bit
 * for bit: the bundled scenarios' reports did not change), and every output is within one
 * unit in the last place of the host's Math.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cos, exp, log, sin } from '../../src/text/fdlibm.js';

/** A fixed spread of inputs: uniform ranges and raw bit patterns (Park–Miller, seeded). */
function inputs(kind: 'exp' | 'log' | 'trig'): number[] {
  let seed = 20_251_201;
  const next = (): number => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647;
  };
  const view = new DataView(new ArrayBuffer(8));
  const bits = (): number => {
    view.setUint32(0, Math.floor(next() * 2 ** 32));
    view.setUint32(4, Math.floor(next() * 2 ** 32));
    return view.getFloat64(0);
  };
  const out: number[] = [];
  for (let i = 0; i < 20_000; i++) {
    if (kind === 'exp') out.push(i % 3 === 0 ? bits() : (next() - 0.5) * (i % 3 === 1 ? 20 : 1500));
    else if (kind === 'log') out.push(i % 3 === 0 ? bits() : i % 3 === 1 ? 1 - next() : next() * 1e6);
    else out.push(i % 3 === 0 ? bits() : i % 3 === 1 ? next() * 2 * Math.PI : (next() - 0.5) * 2e6);
  }
  return out;
}

function digest(values: number[]): string {
  return createHash('sha256').update(new Uint8Array(new Float64Array(values).buffer)).digest('hex').slice(0, 16);
}

/** Units in the last place between two doubles of the same sign (0 when both are NaN). */
function ulps(a: number, b: number): number {
  if (Number.isNaN(a) && Number.isNaN(b)) return 0;
  if (a === b) return 0;
  const view = new DataView(new ArrayBuffer(16));
  view.setFloat64(0, a);
  view.setFloat64(8, b);
  return Number(view.getBigInt64(0) - view.getBigInt64(8)) * Math.sign(a || 1);
}

const CASES = [
  { name: 'exp', mine: exp, host: Math.exp, kind: 'exp', hash: '0934640addfce0fd' },
  { name: 'log', mine: log, host: Math.log, kind: 'log', hash: '96cabd918047fbc8' },
  { name: 'sin', mine: sin, host: Math.sin, kind: 'trig', hash: 'dc6e47810971b528' },
  { name: 'cos', mine: cos, host: Math.cos, kind: 'trig', hash: '99e96161acb4e065' },
] as const;

describe('fdlibm exp, log, sin, cos', () => {
  for (const { name, mine, host, kind, hash } of CASES) {
    it(`${name}: the pinned outputs, each within one ulp of Math.${name}`, () => {
      const xs = inputs(kind);
      const ys = xs.map(mine);
      expect(digest(ys)).toBe(hash);
      const far = xs.filter((x, i) => Math.abs(ulps(ys[i]!, host(x))) > 1);
      expect(far).toEqual([]);
    });
  }

  it('special values', () => {
    expect([exp(0), exp(1), exp(-Infinity), exp(Infinity), exp(710), exp(-746)]).toEqual([1, Math.E, 0, Infinity, Infinity, 0]);
    expect(Number.isNaN(exp(NaN))).toBe(true);
    expect([log(1), log(0), log(Infinity), log(Math.E)]).toEqual([0, -Infinity, Infinity, 1]);
    expect(Number.isNaN(log(-1))).toBe(true);
    expect([sin(0), cos(0), sin(Math.PI / 2), Object.is(sin(-0), -0)]).toEqual([0, 1, 1, true]);
    expect(Number.isNaN(sin(Infinity)) && Number.isNaN(cos(NaN))).toBe(true);
    // beyond the medium range the host's Math answers
    expect(sin(1e300)).toBe(Math.sin(1e300));
  });
});
