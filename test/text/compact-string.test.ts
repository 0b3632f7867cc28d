/**
 * Node ids are held one byte a character, whatever else the scenario file holds: a two-byte
 * id makes every report line built from it two-byte (slower to write at scale). Which way V8
 * holds a string shows in its serialisation: tag `"` one-byte, `c` two-byte.
 */
import { serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { parseScenarioText } from '../../src/node/load.js';
import { compactString } from '../../src/text/compact-string.js';

const ONE_BYTE = 0x22;
const TWO_BYTE = 0x63;
/** V8's tag for a string: byte 2, after the version header. */
const tag = (text: string): number => serialize(text)[2]!;

describe('compactString', () => {
  it('returns the same text, one-byte where every character allows it', () => {
    const source = 'rack → edge, café';
    const sliced = source.slice(0, 4) + '-1'; // a slice of a two-byte string stays two-byte
    expect(tag(sliced)).toBe(TWO_BYTE);
    expect(compactString(sliced)).toBe('rack-1');
    expect(tag(compactString(sliced))).toBe(ONE_BYTE);
    const latin = source.slice(13);
    expect(tag(latin)).toBe(TWO_BYTE);
    expect(compactString(latin)).toBe('café');
    expect(tag(compactString(latin))).toBe(ONE_BYTE);
    // text that needs two bytes keeps them, and every character
    expect(compactString(source)).toBe(source);
    expect(tag(compactString(source))).toBe(TWO_BYTE);
    for (const text of ['', '"quoted"\\', 'a\u0000b\n', '\u{1F600}x', '\ud800']) expect(compactString(text)).toBe(text);
  });

  it('node ids of a scenario file with an arrow in a comment are one-byte, expanded or not', () => {
    const scenario = parseScenarioText([
      '# a comment with an arrow: S1 → S4',
      'name: arrows',
      'cluster:',
      '  defaults: { latency: { constant: 5 } }',
      '  nodes:',
      '    - { id: rack, count: 3 }',
      '    - { id: edge }',
    ].join('\n'), 'arrows.yaml');
    const ids = scenario.cluster.nodes.map((node) => node.id);
    expect(ids).toEqual(['rack-1', 'rack-2', 'rack-3', 'edge']);
    expect(ids.map(tag)).toEqual([ONE_BYTE, ONE_BYTE, ONE_BYTE, ONE_BYTE]);
  });
});
