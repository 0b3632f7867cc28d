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
  it('keeps line breaks in a multi-line message but escapes each line', () => {
    expect(escapeLinesForTerminal('one \u001b[2J\ntwo')).toBe('one \\e[2J\ntwo');
  });
  it('tells whether a name needs escaping, repeatedly', () => {
    expect(hasUnsafeCharacters('ok')).toBe(false);
    expect(hasUnsafeCharacters('a\u202eb')).toBe(true);
    expect(hasUnsafeCharacters('a\u202eb')).toBe(true);
  });
});
