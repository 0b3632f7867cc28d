/**
 * Values quoted in messages come from users' files, plug-ins and argv: a 1 MB cell or key must
 * not make a 1 MB line. Every message shortens them the same way, here.
 */

/** How many characters of a value a message quotes, the … included. */
export const SHOWN_CHARS = 40;

/**
 * `text` if it has at most `max` UTF-16 units, else its first `max - 1` and a … — one fewer
 * where the cut would split a surrogate pair, so no lone half reaches a terminal or a JSON string.
 */
export function shorten(text: string, max: number = SHOWN_CHARS): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}
