/**
 * The one table look of the terminal reports: borderless, compact, a rule under the
 * header, indented under its heading line. cli-table3's own colouring is switched off
 * (`style.head/border: []`) because it decides colour support by itself; every colour
 * comes from the caller's chalk instance, so output depends only on the options.
 */
import Table from 'cli-table3';
import type { ChalkInstance } from 'chalk';

type Align = 'left' | 'right';

const INDENT = '  ';

const COMPACT_CHARS = {
  top: '', 'top-mid': '', 'top-left': '', 'top-right': '',
  bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
  left: '', 'left-mid': '', right: '', 'right-mid': '',
  mid: '─', 'mid-mid': '──', middle: '  ',
};

export function makeTable(head: readonly string[], aligns: readonly Align[], paint: ChalkInstance): Table.Table {
  return new Table({
    head: head.map((title) => paint.bold(title)),
    colAligns: [...aligns],
    chars: COMPACT_CHARS,
    style: { head: [], border: [], compact: true, 'padding-left': 0, 'padding-right': 0 },
  });
}

/** The table's text, indented, without cli-table3's trailing padding; no final newline. */
export function tableText(table: Table.Table): string {
  return table
    .toString()
    .split('\n')
    .map((line) => `${INDENT}${line}`.trimEnd())
    .join('\n');
}
