import { describe, expect, it } from 'vitest';
import { SHOWN_CHARS, listNames, shorten } from '../../src/text/shorten.js';

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

describe('listNames', () => {
  it('lists up to eight names in full, then the first eight and how many more', () => {
    expect(listNames([])).toBe('');
    expect(listNames(['a', 'b'])).toBe('a, b');
    expect(listNames(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'])).toBe('a, b, c, d, e, f, g, h');
    expect(listNames(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'])).toBe('a, b, c, d, e, f, g, h and 1 more');
    expect(listNames(['a', 'b', 'c'], 2)).toBe('a, b and 1 more');
  });
});
