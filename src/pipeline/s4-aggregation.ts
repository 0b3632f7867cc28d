/**
 * S4 — inverse gradient-volatility weights (claim 1 S4; SPEC §2 S4).
 * TODO(helper): implement and document.
 */
import { z } from 'zod';

export const S4_DEFAULTS = { volatility: 'cv', window: 5, epsilon: 1e-3 } as const;

export const S4ConfigSchema = z.strictObject({
  volatility: z.enum(['cv', 'relchange']).default(S4_DEFAULTS.volatility),
  window: z.number().int().min(2).default(S4_DEFAULTS.window),
  epsilon: z.number().gt(0).default(S4_DEFAULTS.epsilon),
  /** cap on any node's share, excess redistributed proportionally; null = no cap */
  maxWeight: z.number().gt(0).max(1).nullable().default(null),
});
export type S4Config = z.infer<typeof S4ConfigSchema>;
