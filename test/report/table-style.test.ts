import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { displayWidth, makeTable, tableText } from '../../src/report/table-style.js';

const plain = new Chalk({ level: 0 });
const colour = new Chalk({ level: 1 });
const spaces = (n: number) => ' '.repeat(n);

describe('the terminal table', () => {
  it('pads each column to its widest cell, aligned as asked, with a rule under the header', () => {
    const table = makeTable(['id', 'n'], ['left', 'right'], plain);
    table.push(['a', '10']);
    table.push(['bb', '2']);
    expect(tableText(table)).toBe(['  id   n', '  ──────', '  a   10', '  bb   2'].join('\n'));
  });

  it('is its header alone when it has no rows, and drops trailing padding', () => {
    const table = makeTable(['name', 'x'], ['left', 'left'], plain);
    expect(tableText(table)).toBe('  name  x');
    table.push(['a', '']);
    // the empty column is one wide; the row's padding after "a" is trimmed
    expect(tableText(table)).toBe(['  name  x', '  ───────', '  a'].join('\n'));
  });

  it('widens the columns under a span wider than them, sharing the excess from the left', () => {
    const table = makeTable(['a', 'b', 'c'], ['left', 'right', 'right'], plain);
    table.push(['x', '1', '2']);
    table.push([{ colSpan: 3, content: 'abcdefghijklmnopq' }]);
    // columns 1 + 1 + 1 and two gaps counted as one each: 5; 17 − 5 = 12 shared as 4, 4, 4
    expect(tableText(table)).toBe([
      `  a${spaces(10)}b${spaces(6)}c`,
      `  ${'─'.repeat(19)}`,
      `  x${spaces(10)}1${spaces(6)}2`,
      '  abcdefghijklmnopq',
    ].join('\n'));
  });

  it('draws the rule along a first row that spans columns without gaps', () => {
    const table = makeTable(['ab', 'cd'], ['left', 'left'], plain);
    table.push([{ colSpan: 2, content: 'x' }]);
    expect(tableText(table)).toBe(['  ab  cd', '  ────', '  x'].join('\n'));
  });

  it('measures wide characters as two columns and colours as none', () => {
    const table = makeTable(['名前', 'v'], ['left', 'right'], colour);
    table.push([colour.yellow('ab'), '1']);
    expect(tableText(table)).toBe([
      '  \u001b[1m名前\u001b[22m  \u001b[1mv\u001b[22m',
      '  ───────',
      '  \u001b[33mab\u001b[39m    1',
    ].join('\n'));
  });

  it('refuses a row that does not fill the header', () => {
    const table = makeTable(['a', 'b'], ['left', 'left'], plain);
    expect(() => table.push(['x'])).toThrow('a table row spans 1 columns, its header 2');
  });
});

describe('displayWidth', () => {
  it('counts what a terminal shows', () => {
    expect(displayWidth('node-12')).toBe(7);
    expect(displayWidth('中文')).toBe(4);
    expect(displayWidth('e\u0301')).toBe(1);
    expect(displayWidth('😀')).toBe(2);
    expect(displayWidth('\u001b[33mab\u001b[39m')).toBe(2);
    expect(displayWidth('')).toBe(0);
  });
});
