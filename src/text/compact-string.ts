/**
 * The same text, held by the JavaScript engine one byte a character where it can be.
 *
 * V8 stores a string two bytes a character when any of its characters is past U+00FF, and a
 * slice of such a string stays two-byte, as does every string joined from it. A scenario file
 * with one arrow or dash anywhere (in a comment) is decoded as one two-byte string, so every
 * id parsed from it, every node id expanded from those and every report line built from them
 * was two-byte: twice the bytes to flatten and convert on the way out. At 131,072 nodes the
 * streamed JSON took 6.6–6.8 s to write against 5.0–5.4 s from the same scenario without the
 * arrow (bench/README.md). JSON.parse builds a string of one-byte characters one-byte; any
 * engine returns the same text.
 */
export function compactString(text: string): string {
  return JSON.parse(JSON.stringify(text)) as string;
}
