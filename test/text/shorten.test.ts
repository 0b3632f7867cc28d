import { describe, expect, it } from 'vitest';
import { SHOWN_CHARS, shorten } from '../../src/text/shorten.js';

describe('shorten', () => {
  it('keeps a text of at most max units whole', () => {
    expect(shorten('a'.repeat(40))).toBe('a'.repeat(40));
    expect(shorten('abc', 3)).toBe('abc');
    expect(shorten('', 1)).toBe('');
  });

  it('cuts a longer one to max units, the … included', () => {
    expect(SHOWN_CHARS).toBe(40);
    expect(shorten('a'.repeat(41))).toBe(`${'a'.repeat(39)}…`);
    expect(shorten('abcdef', 4)).toBe('abc…');
    expect(shorten('abcdef', 4)).toHaveLength(4);
  });

  it('never splits a surrogate pair: the cut moves one unit back', () => {
    // '😀' is two UTF-16 units; a cut after 3 units would keep its high half alone
    expect(shorten('ab😀cdef', 4)).toBe('ab…');
    expect(shorten('abc😀def', 4)).toBe('abc…');
    expect(shorten('a😀bcdef', 4)).toBe('a😀…');
  });
});
