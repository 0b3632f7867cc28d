/**
 * S2 — batch size from efficiency (claim 3; SPEC §2 S2).
 * TODO(helper): implement and document.
 */
import { z } from 'zod';

export const S2_DEFAULTS = { standardBatch: 64, rounding: 'floor', minBatch: 0 } as const;

export const S2ConfigSchema = z.strictObject({
  standardBatch: z.number().int().min(1).default(S2_DEFAULTS.standardBatch),
  rounding: z.enum(['floor', 'ceil', 'round']).default(S2_DEFAULTS.rounding),
  minBatch: z.number().int().min(0).default(S2_DEFAULTS.minBatch),
  /** null = the standard batch B */
  maxBatch: z.number().int().min(0).nullable().default(null),
});
export type S2Config = z.infer<typeof S2ConfigSchema>;
