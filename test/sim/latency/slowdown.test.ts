import { describe, expect, test } from 'vitest';
import { DtrainError } from '../../../src/errors.js';
import type { LatencySpec } from '../../../src/scenario/types.js';
import { buildSlowdownModel, type SlowdownModel } from '../../../src/sim/latency/index.js';
import { slotUniform, streamKey } from '../../../src/sim/rng.js';
import { traceSamples } from '../../helpers/trace-samples.js';
import { CONTEXT, model, spec } from './spec-helpers.js';

const UNIFORM = spec({ kind: 'uniform', minMs: 0, maxMs: 1000 });

function slowdown(latency: LatencySpec, nodeId = CONTEXT.nodeId): SlowdownModel {
  return buildSlowdownModel(latency, { ...CONTEXT, nodeId });
}

function series(m: { at(timeMs: number): number | null }, first: number, count: number): Array<number | null> {
  return Array.from({ length: count }, (_, i) => m.at((first + i) * CONTEXT.resolutionMs));
}

describe('buildSlowdownModel', () => {
  test('the same seed and node give the same series in two separately built models', () => {
    expect(series(slowdown(UNIFORM), -20, 300)).toEqual(series(slowdown(UNIFORM), -20, 300));
  });

  test('draws from <seed>/slowdown/<node>: the uniform value of slot k is min + u(k)·(max − min) on that stream', () => {
    const key = streamKey(CONTEXT.seed, 'slowdown', 'a');
    const expected = Array.from({ length: 50 }, (_, k) => slotUniform(key, k, 0) * 1000);
    expect(series(slowdown(UNIFORM), 0, 50)).toEqual(expected);
  });

  test('its series differs from the latency stream of the same node, which keeps <seed>/latency/<node>', () => {
    const latency = series(model(UNIFORM), 0, 200);
    const compute = series(slowdown(UNIFORM), 0, 200);
    expect(compute.filter((value, i) => value === latency[i])).toEqual([]);
    // the latency stream is exactly as before the slowdown existed
    const latencyKey = streamKey(CONTEXT.seed, 'latency', 'a');
    expect(latency.slice(0, 20)).toEqual(Array.from({ length: 20 }, (_, k) => slotUniform(latencyKey, k, 0) * 1000));
  });

  test('different nodes get different series', () => {
    const a = series(slowdown(UNIFORM, 'a'), 0, 200);
    const b = series(slowdown(UNIFORM, 'b'), 0, 200);
    expect(a.filter((value, i) => value === b[i])).toEqual([]);
  });

  test('phases switch at the start of the slot that begins at or after until (slots of 100 ms, until 250 ms)', () => {
    const phases = spec({
      kind: 'phases',
      phases: [
        { untilMs: 250, latency: spec({ kind: 'constant', valueMs: 1 }) },
        { untilMs: null, latency: spec({ kind: 'constant', valueMs: 3 }) },
      ],
    });
    const m = slowdown(phases);
    // 249 and 299 lie in the slot that starts at 200 < 250: still the first phase
    expect([m.at(0), m.at(199), m.at(249), m.at(250), m.at(299), m.at(300), m.at(1e6)]).toEqual([1, 1, 1, 1, 1, 3, 3]);
  });

  test('a nested phase draws on its own sub-stream <seed>/slowdown/<node>/phase/<j>', () => {
    const phases = spec({ kind: 'phases', phases: [{ untilMs: null, latency: UNIFORM }] });
    const key = streamKey(CONTEXT.seed, 'slowdown', 'a', 'phase', 0);
    expect(slowdown(phases).at(700)).toBe(slotUniform(key, 7, 0) * 1000);
  });

  test('periodic is evaluated at the slot start and floored at 0, as for latency: 1 + 2·sin(2π·t/400)', () => {
    const periodic = spec({ kind: 'periodic', baseMs: 1, amplitudeMs: 2, periodMs: 400 });
    const m = slowdown(periodic);
    expect([m.at(0), m.at(150), m.at(200), m.at(300)]).toEqual([1, 3, 1, 0]);
  });

  test.each([
    ['loss', spec({ kind: 'constant', valueMs: 1 }, { loss: 0.1 }), /a slowdown may not have loss/],
    ['down', spec({ kind: 'constant', valueMs: 1 }, { down: [{ fromMs: 0, toMs: 10 }] }), /a slowdown may not have down/],
    [
      'a lost trace value inside a phase',
      spec({
        kind: 'phases',
        phases: [{ untilMs: null, latency: spec({ kind: 'trace', file: 't.csv', loop: true, samples: traceSamples([{ timeMs: 0, latencyMs: 1 }, { timeMs: 10, latencyMs: null }]) }) }],
      }),
      /a slowdown may not have a trace with an empty value/,
    ],
  ])('refuses a spec built in code with %s (DtrainError)', (_name, latency, message) => {
    expect(() => slowdown(latency)).toThrow(DtrainError);
    expect(() => slowdown(latency)).toThrow(message);
  });
});
