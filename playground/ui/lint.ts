/**
 * The worker's located issues (the messages of `dtrain validate`) as editor diagnostics: a
 * 1-based line and column become offsets into the text that was checked, underlining the
 * word there. Positions past the end (the text changed since, or an issue about the whole
 * file) are clamped into the text, so every issue is shown somewhere.
 */
import type { PlaygroundIssue } from '../../src/browser/protocol.js';

export interface Diagnostic {
  from: number;
  to: number;
  message: string;
}

/** Offsets where each line starts (line 1 at index 0). */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i += 1) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

const WORD_END = /[\s,\]}#]/;

export function issueRange(text: string, starts: readonly number[], line: number, column: number): { from: number; to: number } {
  const lineIndex = Math.min(Math.max(1, Math.floor(line)), starts.length) - 1;
  const lineStart = starts[lineIndex]!;
  const next = starts[lineIndex + 1];
  const lineEnd = next === undefined ? text.length : next - 1;
  const from = Math.min(lineStart + Math.max(0, Math.floor(column) - 1), lineEnd);
  let to = from;
  while (to < lineEnd && !WORD_END.test(text[to]!)) to += 1;
  if (to === from) {
    // nothing word-like here (an empty value, the end of a line): underline to the line's end or one character
    to = lineEnd > from ? lineEnd : Math.min(text.length, from + 1);
  }
  return { from, to };
}

/** The editor's text for an issue: the field and what was expected and found. */
export function issueMessage(issue: PlaygroundIssue): string {
  return issue.field === '' ? issue.message : `${issue.field}: ${issue.message}`;
}

export function diagnostics(text: string, issues: readonly PlaygroundIssue[]): Diagnostic[] {
  const starts = lineStarts(text);
  return issues.map((issue) => ({ ...issueRange(text, starts, issue.line, issue.column), message: issueMessage(issue) }));
}
