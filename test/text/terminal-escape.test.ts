import { describe, expect, it } from 'vitest';
import { escapeForTerminal, escapeLinesForTerminal, hasUnsafeCharacters } from '../../src/text/terminal-escape.js';

describe('escapeForTerminal', () => {
  it('leaves printable text, accents and CJK alone', () => {
    expect(escapeForTerminal('node-1 café 节点')).toBe('node-1 café 节点');
  });
  it('shows ESC, CSI and OSC sequences as visible escapes', () => {
    expect(escapeForTerminal('\u001b[31mred\u001b]0;title\u0007')).toBe('\\e[31mred\\e]0;title\\x07');
  });
  it('shows newlines, CR, tab, DEL and C1 controls', () => {
    expect(escapeForTerminal('a\nb\rc\td\u007fe\u009bf')).toBe('a\\nb\\rc\\td\\x7fe\\x9bf');
  });
  it('shows bidi overrides and isolates', () => {
    expect(escapeForTerminal('abc\u202Efed\u2066x\u2069')).toBe('abc\\u{202e}fed\\u{2066}x\\u{2069}');
  });
  it('shows invisible format and default-ignorable characters: tags, soft hyphen, Hangul fillers, variation selectors', () => {
    const invisible = [0xad, 0x34f, 0x115f, 0x3164, 0xffa0, 0x17b4, 0x180e, 0x1d173, 0xe0020, 0xe0001, 0xfe0f, 0x2065, 0x600];
    for (const code of invisible) {
      const char = String.fromCodePoint(code);
      const shown = code <= 0xff ? `\\x${code.toString(16)}` : `\\u{${code.toString(16)}}`;
      expect([code.toString(16), escapeForTerminal(`s1s4${char}`), hasUnsafeCharacters(`s1s4${char}`)]).toEqual([code.toString(16), `s1s4${shown}`, true]);
    }
    // visible letters, accents, combining marks and emoji without a selector stay as they are
    expect(escapeForTerminal('e\u0301 한글 ❤ 😀 αβγ')).toBe('e\u0301 한글 ❤ 😀 αβγ');
  });
  it('keeps line breaks in a multi-line message but escapes each line', () => {
    expect(escapeLinesForTerminal('one \u001b[2J\ntwo')).toBe('one \\e[2J\ntwo');
  });
  it('tells whether a name needs escaping, repeatedly', () => {
    expect(hasUnsafeCharacters('ok')).toBe(false);
    expect(hasUnsafeCharacters('a\u202eb')).toBe(true);
    expect(hasUnsafeCharacters('a\u202eb')).toBe(true);
  });
});
