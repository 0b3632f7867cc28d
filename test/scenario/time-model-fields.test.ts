/**
 * The scenario side of time model v2: `cluster.server`, `model.transferBytes`, the node fields
 * `slowdown` and `stepOverheadMs`, resolved through loading (defaults, `count` groups) and
 * refused with located errors when they are wrong.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectScenarioIssues, parseScenarioText } from '../../src/node/load.js';
import { scenarioJsonSchema } from '../../src/scenario/schema.js';
import { parseBandwidth, parseByteSize, parseSize } from '../../src/scenario/units.js';
import { formatIssue } from '../../src/errors.js';
import { traceSamples } from '../helpers/trace-samples.js';

const NODE = 'nodes: [ { id: n, latency: { constant: 1 } } ]';

function withModel(model: string): string {
  return `model: { ${model} }\ncluster: { ${NODE} }\n`;
}

function messages(text: string, file = 's.yaml'): string[] {
  return collectScenarioIssues(text, file).map(formatIssue);
}

describe('model.transferBytes', () => {
  it.each([
    ['1.5Mi', 1_572_864],
    ['1.5MiB', 1_572_864],
    ['10MB', 10_000_000],
    ['10M', 10_000_000],
    ['2KB', 2000],
    ['2kB', 2000],
    ['2k', 2000],
    ['2K', 2000],
    ['512KiB', 524_288],
    ['1Gi', 1024 ** 3],
    ['3G', 3e9],
    ['100', 100],
    ['100B', 100],
    ['1e6', 1e6],
    [' 7 MB ', 7e6],
  ])('%j resolves to %d bytes', (written, bytes) => {
    expect(parseScenarioText(withModel(`transferBytes: "${written}"`), 's.yaml').model.transferBytes).toBe(bytes);
  });

  it('a bare YAML number is bytes; absent resolves to null (the run then uses 4 × the parameter count)', () => {
    expect(parseScenarioText(withModel('transferBytes: 4096'), 's.yaml').model.transferBytes).toBe(4096);
    expect(parseScenarioText(withModel('hidden: []'), 's.yaml').model.transferBytes).toBeNull();
  });

  it.each(['10mb', '10Mb', '1ki', '1KIB', '5m', '1.5 parsecs', '1e400', ''])('%j is not a size: a located error', (written) => {
    expect(messages(withModel(`transferBytes: "${written}"`))).toEqual([
      `s.yaml:1:25  model.transferBytes: expected a size (bytes, or a string like 100MB, 1.5Mi, 512KiB), found ${JSON.stringify(written)} (a string)`,
    ]);
  });

  it.each([
    ['0', 'found 0'],
    ['-1', 'found -1'],
    ['"-2KB"', 'found "-2KB" (a string)'],
    ['"0Mi"', 'found "0Mi" (a string)'],
  ])('%s bytes is refused: a size > 0', (written, found) => {
    expect(messages(withModel(`transferBytes: ${written}`))).toEqual([
      `s.yaml:1:25  model.transferBytes: expected a size (bytes, or a string like 100MB, 1.5Mi, 512KiB) > 0, ${found}`,
    ]);
  });

  it('the scenario size grammar is case-sensitive; the command-line one (--max-memory) is not', () => {
    expect([parseByteSize('5mb'), parseSize('5mb')]).toEqual([undefined, 5e6]);
    expect([parseByteSize('5MB'), parseSize('5MB')]).toEqual([5e6, 5e6]);
  });

  it('the JSON Schema pattern accepts exactly what the loader accepts', () => {
    const schema = scenarioJsonSchema() as { properties: { model: { properties: { transferBytes: { anyOf: [unknown, { pattern: string }] } } } } };
    const pattern = new RegExp(schema.properties.model.properties.transferBytes.anyOf[1].pattern);
    for (const ok of ['1.5Mi', '10MB', '2kB', '2K', '512KiB', '100', '100B', ' 7 MB ', '1e6', '3Gi']) {
      expect([ok, pattern.test(ok), parseByteSize(ok) !== undefined]).toEqual([ok, true, true]);
    }
    for (const bad of ['10mb', '1KIB', '5m', 'lots', '2 KBB', 'Mi']) {
      expect([bad, pattern.test(bad), parseByteSize(bad)]).toEqual([bad, false, undefined]);
    }
  });
});

describe('cluster.server', () => {
  it('10Gbps resolves to { bandwidthBps: 1e10 }; absent to null (unlimited)', () => {
    const withServer = parseScenarioText(`cluster: { server: { bandwidth: 10Gbps }, ${NODE} }`, 's.yaml');
    expect(withServer.cluster.server).toEqual({ bandwidthBps: 1e10 });
    expect(parseScenarioText(`cluster: { server: { bandwidth: 2.5e8 }, ${NODE} }`, 's.yaml').cluster.server).toEqual({ bandwidthBps: 2.5e8 });
    expect(parseScenarioText(`cluster: { ${NODE} }`, 's.yaml').cluster.server).toBeNull();
  });

  it('zero, negative, missing or unknown keys: located errors', () => {
    expect(messages(`cluster: { server: { bandwidth: 0Gbps }, ${NODE} }`)).toEqual([
      's.yaml:1:33  cluster.server.bandwidth: expected a bandwidth (bits/s, or a string like 1Gbps, 100Mbps) > 0, found "0Gbps" (a string)',
    ]);
    expect(messages(`cluster: { server: { bandwidth: -5 }, ${NODE} }`)).toEqual([
      's.yaml:1:33  cluster.server.bandwidth: expected a bandwidth (bits/s, or a string like 1Gbps, 100Mbps) > 0, found -5',
    ]);
    expect(messages(`cluster: { server: {}, ${NODE} }`)).toEqual([
      's.yaml:1:20  cluster.server.bandwidth: expected a bandwidth (bits/s, or a string like 1Gbps, 100Mbps), found nothing',
    ]);
    expect(messages(`cluster: { server: 10Gbps, ${NODE} }`)).toEqual([
      's.yaml:1:20  cluster.server: expected a server: a map { bandwidth: 10Gbps }, found "10Gbps" (a string)',
    ]);
  });
});

describe('bandwidth units: bits per second; a capital B (bytes) is refused, not read 8× off', () => {
  const bandwidthOf = (written: string) => parseScenarioText(`cluster: { server: { bandwidth: "${written}" }, ${NODE} }`, 's.yaml').cluster.server!.bandwidthBps;

  it.each([
    ['1Gbps', 1e9], ['1gbps', 1e9], ['1GBPs', undefined], ['100Mbps', 1e8], ['100mbps', 1e8], ['10kbps', 1e4], ['10Kbps', 1e4], ['2Tbps', 2e12], ['5bps', 5], [' 3 Gbps ', 3e9], ['1GbPS', 1e9],
  ])('%j', (written, bps) => {
    if (bps === undefined) expect(() => bandwidthOf(written)).toThrow();
    else expect(bandwidthOf(written)).toBe(bps);
  });

  it.each([
    ['1GBps', 'write 8Gbps for 1 gigabyte per second'],
    ['1GBPS', 'write 8Gbps for 1 gigabyte per second'],
    ['10MBps', 'write 80Mbps for 10 megabytes per second'],
    ['10mBps', 'write 80Mbps for 10 megabytes per second'],
    ['1.5GBps', 'write 12Gbps for 1.5 gigabytes per second'],
    ['0.7KBps', 'write 5.6kbps for 0.7 kilobytes per second'],
    ['2TBps', 'write 16Tbps for 2 terabytes per second'],
    ['5Bps', 'write 40bps for 5 bytes per second'],
  ])('%j: refused with the bits spelling of the same speed', (written, hint) => {
    expect(messages(`cluster: { server: { bandwidth: ${written} }, ${NODE} }`)).toEqual([
      `s.yaml:1:33  cluster.server.bandwidth: expected a bandwidth in bits per second, with a lower-case b (${hint}), found ${JSON.stringify(written)} (a string)`,
    ]);
  });

  it('on a node and in cluster.defaults too', () => {
    expect(messages('cluster:\n  defaults: { bandwidth: 1GBps }\n  nodes: [ { id: n, bandwidth: 10MBps, latency: { constant: 1 } } ]\n')).toEqual([
      's.yaml:2:26  cluster.defaults.bandwidth: expected a bandwidth in bits per second, with a lower-case b (write 8Gbps for 1 gigabyte per second), found "1GBps" (a string)',
      's.yaml:3:32  cluster.nodes[0].bandwidth: expected a bandwidth in bits per second, with a lower-case b (write 80Mbps for 10 megabytes per second), found "10MBps" (a string)',
    ]);
  });

  it('the JSON Schema pattern accepts exactly what the loader accepts', () => {
    const schema = scenarioJsonSchema() as { properties: { cluster: { properties: { server: { properties: { bandwidth: { anyOf: [unknown, { pattern: string }] } } } } } } };
    const pattern = new RegExp(schema.properties.cluster.properties.server.properties.bandwidth.anyOf[1].pattern);
    for (const ok of ['1Gbps', '1gbps', '100Mbps', '10kbps', '10Kbps', '2Tbps', '5bps', ' 3 Gbps ', '1GbPS', '1e9', '7']) {
      expect([ok, pattern.test(ok), parseBandwidth(ok) !== undefined]).toEqual([ok, true, true]);
    }
    for (const bad of ['1GBps', '1GBPS', '10MBps', '5Bps', '1 gigabit', 'fast', '1Gb']) {
      expect([bad, pattern.test(bad), parseBandwidth(bad)]).toEqual([bad, false, undefined]);
    }
  });
});

describe('node stepOverheadMs', () => {
  it('defaults to 0 on every node; cluster.defaults supplies it; a node overrides it; units as durations', () => {
    const text = [
      'cluster:',
      '  defaults: { stepOverheadMs: 1.5ms, latency: { constant: 1 } }',
      '  nodes:',
      '    - { id: a }',
      '    - { id: b, stepOverheadMs: 0.25s }',
      '    - { id: g, count: 2, stepOverheadMs: 3 }',
    ].join('\n');
    const nodes = parseScenarioText(text, 's.yaml').cluster.nodes;
    expect(nodes.map((node) => [node.id, node.stepOverheadMs])).toEqual([['a', 1.5], ['b', 250], ['g-1', 3], ['g-2', 3]]);
    expect(parseScenarioText(`cluster: { ${NODE} }`, 's.yaml').cluster.nodes[0]!.stepOverheadMs).toBe(0);
  });

  it('a negative overhead is a located error, in the defaults too', () => {
    const text = 'cluster:\n  defaults: { stepOverheadMs: -1 }\n  nodes: [ { id: n, latency: { constant: 1 }, stepOverheadMs: "-3ms" } ]\n';
    expect(messages(text)).toEqual([
      's.yaml:2:31  cluster.defaults.stepOverheadMs: expected a duration (ms, or a string like 250ms, 2s, 1.5m) ≥ 0, found -1',
      's.yaml:3:63  cluster.nodes[0].stepOverheadMs: expected a duration (ms, or a string like 250ms, 2s, 1.5m) ≥ 0, found "-3ms" (a string)',
    ]);
  });
});

describe('node slowdown', () => {
  it('absent resolves to null; a process resolves to a LatencySpec with loss 0 and no down intervals', () => {
    const text = [
      'cluster:',
      '  nodes:',
      '    - { id: a, latency: { constant: 1 } }',
      '    - { id: b, latency: { constant: 1 }, slowdown: { uniform: { min: 1, max: 2.5 } } }',
    ].join('\n');
    const [a, b] = parseScenarioText(text, 's.yaml').cluster.nodes;
    expect(a!.slowdown).toBeNull();
    expect(b!.slowdown).toEqual({ process: { kind: 'uniform', minMs: 1, maxMs: 2.5 }, loss: 0, down: [] });
  });

  it('phases with until as durations; values are plain multipliers', () => {
    const text = [
      'cluster:',
      '  nodes:',
      '    - id: a',
      '      latency: { constant: 1 }',
      '      slowdown:',
      '        phases:',
      '          - { until: 2s, constant: 1 }',
      '          - { until: 1m, periodic: { base: 2, amplitude: 0.5, period: 10s } }',
      '          - { burst: { good: 1, bad: 4, toBad: 0.1, toGood: 0.5 } }',
    ].join('\n');
    expect(parseScenarioText(text, 's.yaml').cluster.nodes[0]!.slowdown).toEqual({
      process: {
        kind: 'phases',
        phases: [
          { untilMs: 2000, latency: { process: { kind: 'constant', valueMs: 1 }, loss: 0, down: [] } },
          { untilMs: 60_000, latency: { process: { kind: 'periodic', baseMs: 2, amplitudeMs: 0.5, periodMs: 10_000 }, loss: 0, down: [] } },
          { untilMs: null, latency: { process: { kind: 'burst', goodMs: 1, badMs: 4, toBad: 0.1, toGood: 0.5 }, loss: 0, down: [] } },
        ],
      },
      loss: 0,
      down: [],
    });
  });

  it('cluster.defaults gives every node its slowdown, a count group shares its own, and a node can replace it', () => {
    const text = [
      'cluster:',
      '  defaults: { latency: { constant: 1 }, slowdown: { constant: 2 } }',
      '  nodes:',
      '    - { id: a }',
      '    - { id: g, count: 3, slowdown: { normal: { mean: 1.2, std: 0.1 } } }',
      '    - { id: c, slowdown: { constant: 1 } }',
    ].join('\n');
    const nodes = parseScenarioText(text, 's.yaml').cluster.nodes;
    expect(nodes.map((node) => [node.id, node.slowdown!.process])).toEqual([
      ['a', { kind: 'constant', valueMs: 2 }],
      ['g-1', { kind: 'normal', meanMs: 1.2, stdMs: 0.1 }],
      ['g-2', { kind: 'normal', meanMs: 1.2, stdMs: 0.1 }],
      ['g-3', { kind: 'normal', meanMs: 1.2, stdMs: 0.1 }],
      ['c', { kind: 'constant', valueMs: 1 }],
    ]);
  });

  it('loss and down are refused by name, at any depth; duration strings are not multipliers', () => {
    const text = [
      'cluster:',
      '  nodes:',
      '    - { id: a, latency: { constant: 1, loss: 0.1 }, slowdown: { constant: 1, loss: 0.1 } }',
      '    - id: b',
      '      latency: { constant: 1 }',
      '      slowdown: { phases: [ { until: 1s, constant: 1, down: [ { from: 0, to: 1 } ] }, { constant: 2 } ] }',
      '    - { id: c, latency: { constant: 1 }, slowdown: { constant: 2s } }',
      '    - { id: d, latency: { constant: 1 }, slowdown: { constant: 1, uniform: { min: 1, max: 2 } } }',
    ].join('\n');
    expect(messages(text)).toEqual([
      's.yaml:3:84  cluster.nodes[0].slowdown.loss: expected no loss in a slowdown (loss and down are for latency only: a slowdown always has a value), found 0.1',
      's.yaml:6:61  cluster.nodes[1].slowdown.phases[0].down: expected no down in a slowdown (loss and down are for latency only: a slowdown always has a value), found a list',
      's.yaml:7:64  cluster.nodes[2].slowdown.constant: expected a number ≥ 0, found "2s" (a string)',
      's.yaml:8:67  cluster.nodes[3].slowdown: expected exactly one slowdown process (constant, uniform, normal, lognormal, spikes, burst, periodic, trace, phases), found constant and uniform',
    ]);
    expect(collectScenarioIssues(text, 's.yaml').map((issue) => issue.code)).toEqual(['field.unknownKey', 'field.unknownKey', 'field.type', 'field.conflict']);
  });

  describe('traces', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dtrain-slowdown-'));
    writeFileSync(join(dir, 'full.csv'), 'time_ms,latency_ms\n0,1\n100,1.5\n200,2\n');
    writeFileSync(join(dir, 'lossy.csv'), 'time_ms,latency_ms\n0,1\n100,1.5\n200,  \n300,\n');
    // icmp_seq 2 has no reply: the gap shows at the next reply's line (5)
    writeFileSync(join(dir, 'ping.txt'), [
      'PING h (10.0.0.1) 56(84) bytes of data.',
      '[1700000000.000000] 64 bytes from 10.0.0.1: icmp_seq=1 ttl=64 time=1.0 ms',
      '',
      '',
      '[1700000002.000000] 64 bytes from 10.0.0.1: icmp_seq=3 ttl=64 time=2.0 ms',
    ].join('\n'));
    const file = join(dir, 's.yaml');
    const scenario = (slowdown: string, latency = '{ constant: 1 }') =>
      `cluster:\n  nodes:\n    - { id: a, latency: ${latency}, slowdown: ${slowdown} }\n`;

    it('a trace with a value in every sample resolves with its samples', () => {
      const node = parseScenarioText(scenario('{ trace: full.csv, loop: false }'), file).cluster.nodes[0]!;
      expect(node.slowdown).toEqual({
        process: {
          kind: 'trace', file: join(dir, 'full.csv'), loop: false,
          samples: traceSamples([{ timeMs: 0, latencyMs: 1 }, { timeMs: 100, latencyMs: 1.5 }, { timeMs: 200, latencyMs: 2 }]),
        },
        loss: 0,
        down: [],
      });
    });

    it('an empty (lost) value is refused at the trace value, naming the first one\'s place in the file, never its content', () => {
      expect(messages(scenario('{ trace: lossy.csv }'), file)).toEqual([
        `${file}:3:61  cluster.nodes[0].slowdown.trace: expected a slowdown trace with a value in every sample (a step always takes some time), found an empty (lost) value at lossy.csv:4:5`,
      ]);
      expect(messages(scenario('{ trace: ping.txt }'), file)).toEqual([
        `${file}:3:61  cluster.nodes[0].slowdown.trace: expected a slowdown trace with a value in every sample (a step always takes some time), found an empty (lost) value at ping.txt:5:1`,
      ]);
      expect(messages(scenario('{ phases: [ { until: 1s, constant: 1 }, { trace: lossy.csv } ] }'), file)).toEqual([
        `${file}:3:101  cluster.nodes[0].slowdown.phases[1].trace: expected a slowdown trace with a value in every sample (a step always takes some time), found an empty (lost) value at lossy.csv:4:5`,
      ]);
    });

    it('the same lossy file stays a valid latency trace next to it (it is read once for both)', () => {
      const node = parseScenarioText(scenario('{ trace: full.csv }', '{ trace: lossy.csv }'), file).cluster.nodes[0]!;
      expect(node.latency.process.kind).toBe('trace');
      expect(messages(scenario('{ trace: lossy.csv }', '{ trace: lossy.csv }'), file)).toHaveLength(1);
    });
  });
});

describe('a burst chain on a grid too fine for S1\'s first window', () => {
  const burst = '{ burst: { good: 1, bad: 2, toBad: 0.1, toGood: 0.3 } }';
  it('is refused at the grid\'s field: latencyResolutionMs when set, else S1\'s intervalMs', () => {
    // 2,000 ms / 2^28 slots = 0.00000745 ms
    expect(messages(`cluster:\n  latencyResolutionMs: 0.000007\n  nodes: [ { id: n, latency: ${burst} } ]\n`)).toEqual([
      "s.yaml:2:24  cluster.latencyResolutionMs: expected a latency grid of at least 0.00000745 ms, as node n keeps a burst chain (a burst latency or slowdown steps through every slot of S1's 2000 ms window, at most 2^28 of them), found 0.000007",
    ]);
    // 1 ms / 2^28 = 3.73e-9 ms, a slowdown's chain
    expect(messages(`pipeline: { s1: { intervalMs: 0.000000001, windowMs: 1ms } }\ncluster:\n  nodes: [ { id: n, latency: { constant: 1 }, slowdown: ${burst} } ]\n`)).toEqual([
      "s.yaml:1:31  pipeline.s1.intervalMs: expected a latency grid of at least 3.73e-9 ms, as node n keeps a burst chain (a burst latency or slowdown steps through every slot of S1's 1 ms window, at most 2^28 of them), found 1e-9",
    ]);
  });

  it('is accepted at the finest grid the window allows, and without a burst chain at any grid', () => {
    expect(messages(`cluster:\n  latencyResolutionMs: 0.0000075\n  nodes: [ { id: n, latency: ${burst} } ]\n`)).toEqual([]);
    expect(messages('cluster:\n  latencyResolutionMs: 0.000001\n  nodes: [ { id: n, latency: { constant: 1 } } ]\n')).toEqual([]);
  });
});
