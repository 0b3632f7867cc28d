/**
 * Text that reaches a terminal from a user's or a shared file (a node id, a file name, a
 * strategy name in a golden file) must not be able to move the cursor, recolour the screen,
 * set the window title (OSC) or reorder what follows it (bidi overrides): every such
 * character is shown as a visible escape instead. The bottom layer: it imports nothing.
 */

/**
 * C0 and C1 controls and DEL (Cc), the line and paragraph separators, and every character
 * that reorders text or shows as nothing: the format characters (Cf: bidi marks, overrides
 * and isolates, zero-width joiners, the BOM, tag characters) and the default-ignorable
 * ones (soft hyphen, Hangul fillers, variation selectors, U+034F …). `s1s4` followed by a
 * U+E0020 tag looks like `s1s4` but is another name.
 */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}\u2028\u2029]/gu;

function visible(char: string): string {
  const code = char.codePointAt(0)!;
  if (char === '\n') return '\\n';
  if (char === '\r') return '\\r';
  if (char === '\t') return '\\t';
  if (code === 0x1b) return '\\e';
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
}

/** `name` with every control, bidi and invisible format character shown as an escape. */
export function escapeForTerminal(name: string): string {
  return name.replace(UNSAFE, visible);
}

/** A multi-line message: each line escaped, the line breaks kept. */
export function escapeLinesForTerminal(text: string): string {
  return text.split('\n').map(escapeForTerminal).join('\n');
}

/** Whether `name` holds a character that escapeForTerminal would change. */
export function hasUnsafeCharacters(name: string): boolean {
  UNSAFE.lastIndex = 0;
  const found = UNSAFE.test(name);
  UNSAFE.lastIndex = 0;
  return found;
}
