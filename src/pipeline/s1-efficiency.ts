/**
 * S1 — communication efficiency (claim 2; SPEC §2 S1).
 * TODO(helper): implement and document.
 */
import { z } from 'zod';
import { durationMs } from '../scenario/units.js';

export const S1_DEFAULTS = { intervalMs: 100, windowMs: 2000, thresholdMs: 50 } as const;

export const S1ConfigSchema = z.strictObject({
  intervalMs: durationMs({ positive: true }).default(S1_DEFAULTS.intervalMs),
  windowMs: durationMs({ positive: true }).default(S1_DEFAULTS.windowMs),
  thresholdMs: durationMs().default(S1_DEFAULTS.thresholdMs),
});
export type S1Config = z.infer<typeof S1ConfigSchema>;
