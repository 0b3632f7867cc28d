/** editYamlValues: only the values set change; everything else in the text stays byte for byte. */
import { describe, expect, it } from 'vitest';
import { editYamlValues, formatYamlNumber } from '../../src/calibrate/yaml-edit.js';
import { DtrainError } from '../../src/errors.js';

const DEFAULTS = ['cluster', 'defaults'];
const SET = [['msPerSample', 0.0012346], ['stepOverheadMs', 0.25]] as const;

describe('editYamlValues', () => {
  it('a flow map: the existing value replaced in place, the missing key appended, comments and spacing kept', () => {
    const text = 'cluster:   # the cluster\n  defaults: { cores: 8, msPerSample: 12,  bandwidth: 1Gbps }   # aligned\n  nodes: [ { id: a } ]\n';
    expect(editYamlValues(text, [{ path: DEFAULTS, values: SET }])).toBe(
      'cluster:   # the cluster\n  defaults: { cores: 8, msPerSample: 0.001235,  bandwidth: 1Gbps, stepOverheadMs: 0.25 }   # aligned\n  nodes: [ { id: a } ]\n',
    );
  });

  it('a block map whose last value is a nested block: the new key goes on a line of its own at the map\'s indentation', () => {
    const text = 'cluster:\n  defaults:\n    msPerSample: 100     # ms\n    slowdown:\n      phases:\n        - { constant: 1 }\n\n  nodes:\n    - { id: a }\n';
    expect(editYamlValues(text, [{ path: DEFAULTS, values: SET }])).toBe(
      'cluster:\n  defaults:\n    msPerSample: 0.001235     # ms\n    slowdown:\n      phases:\n        - { constant: 1 }\n    stepOverheadMs: 0.25\n\n  nodes:\n    - { id: a }\n',
    );
  });

  it('no defaults: added to cluster as a flow map; a node entry of a sequence keeps the "- " column; CRLF line ends kept', () => {
    const text = 'cluster:\r\n  nodes:\r\n    - id: b\r\n      cores: 4\r\n';
    expect(editYamlValues(text, [{ path: DEFAULTS, values: SET }, { path: ['cluster', 'nodes', 0], values: [['parallelFraction', 0.5]] }])).toBe(
      'cluster:\r\n  nodes:\r\n    - id: b\r\n      cores: 4\r\n      parallelFraction: 0.5\r\n  defaults: { msPerSample: 0.001235, stepOverheadMs: 0.25 }\r\n',
    );
  });

  it('refuses a map that is an alias (changing it would change its anchor\'s other uses too), naming the field', () => {
    const text = 'base: &d { cores: 8 }\ncluster:\n  defaults: *d\n  nodes: [ { id: a } ]\n';
    let thrown: unknown;
    try {
      editYamlValues(text, [{ path: DEFAULTS, values: SET }]);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DtrainError);
    expect((thrown as DtrainError).message).toBe('cannot update cluster.defaults in place: it is not a map written out in the file (an alias or another value); nothing was written');
  });

  it('numbers keep 4 significant digits', () => {
    expect([0.0012346, 12, 1.999999, 123456].map(formatYamlNumber)).toEqual(['0.001235', '12', '2', '123500']);
  });
});
