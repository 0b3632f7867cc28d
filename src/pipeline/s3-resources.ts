/**
 * S3 — compute pressure → threads and I/O queue (claim 4; SPEC §2 S3).
 * TODO(helper): implement and document.
 */
import { z } from 'zod';

export const S3_DEFAULTS = {
  baseThreads: 4, minThreads: 1, maxThreads: 32, baseQueue: 8, minQueue: 1, maxQueue: 64,
} as const;

export const S3ConfigSchema = z.strictObject({
  baseThreads: z.number().int().min(1).default(S3_DEFAULTS.baseThreads),
  minThreads: z.number().int().min(1).default(S3_DEFAULTS.minThreads),
  maxThreads: z.number().int().min(1).default(S3_DEFAULTS.maxThreads),
  baseQueue: z.number().int().min(1).default(S3_DEFAULTS.baseQueue),
  minQueue: z.number().int().min(1).default(S3_DEFAULTS.minQueue),
  maxQueue: z.number().int().min(1).default(S3_DEFAULTS.maxQueue),
});
export type S3Config = z.infer<typeof S3ConfigSchema>;
