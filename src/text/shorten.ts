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

/** How many names a message lists before it counts the rest. */
export const LISTED_NAMES = 8;

/** `names` joined with `, `, or past LISTED_NAMES the first ones and how many more: `a, b, …, h and 40 more`. */
export function listNames(names: readonly string[], max: number = LISTED_NAMES): string {
  if (names.length <= max) return names.join(', ');
  return `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}
