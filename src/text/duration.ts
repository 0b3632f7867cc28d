/** A duration in words a person reads at a glance: ms, s, min or h, to a number of significant digits. */

/** `seconds` with `digits` significant digits, in the largest unit under which it is at least 1. */
export function formatSecondsTo(seconds: number, digits: number): string {
  const rounded = (value: number): number => Number(value.toPrecision(digits));
  if (seconds < 0.001) return '< 1 ms';
  if (seconds < 1) return `${rounded(seconds * 1000)} ms`;
  if (seconds < 60) return `${rounded(seconds)} s`;
  if (seconds < 3600) return `${rounded(seconds / 60)} min`;
  return `${rounded(seconds / 3600)} h`;
}

/** Below this many seconds a time in seconds or ms reads well as it is; from it on, it gets a reading in min or h. */
const READING_FROM_SECONDS = 600;

/**
 * What a long time is in minutes or hours, to stand beside the exact figure: ` (44.8 h)` for
 * 161,368 s; empty under ten minutes (and for anything not a positive finite number).
 */
export function longTimeReading(seconds: number): string {
  return Number.isFinite(seconds) && seconds >= READING_FROM_SECONDS ? ` (${formatSecondsTo(seconds, 3)})` : '';
}
