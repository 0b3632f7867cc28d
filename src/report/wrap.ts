/**
 * Keeps the terminal report within 80 columns (a default terminal, a CI log viewer, an
 * email): a long line is broken between its parts, never inside one, and continuation
 * lines are indented. Widths count code points, which is what the report's characters
 * (ASCII, `·`, `→`, `✓`, `✗`, `–`) take on a terminal.
 */

export const TERMINAL_WIDTH = 80;

const width = (text: string): number => [...text].length;

/**
 * `parts` joined by `separator`, broken into lines of at most `max` columns where a part
 * ends; a continuation starts with `indent`. A part longer than a line gets a line alone.
 */
export function wrapParts(parts: readonly string[], separator: string, max = TERMINAL_WIDTH, indent = '  '): string {
  const lines: string[] = [];
  let line = '';
  for (const part of parts) {
    if (line === '') {
      line = (lines.length === 0 ? '' : indent) + part;
    } else if (width(line) + width(separator) + width(part) <= max) {
      line += separator + part;
    } else {
      lines.push(line.trimEnd());
      line = indent + part;
    }
  }
  if (line !== '') lines.push(line.trimEnd());
  return lines.join('\n');
}
