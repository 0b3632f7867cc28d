/**
 * Modifiers that apply to any process (SPEC §3), evaluated at the slot's start time t_k:
 * - `down: [{ from, to }]`: unreachable (null) while from ≤ t_k < to;
 * - `loss: p`: the sample is lost (null) when the slot's uniform on the separate stream
 *   `…/loss` is < p, so losses are independent of, and never shift, the value draws.
 * A spec without modifiers gets its process back unwrapped (no per-call cost).
 */
import { slotUniform } from '../rng.js';
import type { DownInterval } from '../../scenario/types.js';
import type { SlotProcess } from './types.js';

export function withModifiers(
  inner: SlotProcess,
  loss: number,
  lossKey: number,
  down: readonly DownInterval[],
): SlotProcess {
  if (loss <= 0 && down.length === 0) return inner;
  // loss alone (the usual modifier): no interval arrays per node
  if (down.length === 0) {
    return {
      valueAt(slot, slotStartMs) {
        return slotUniform(lossKey, slot, 0) < loss ? null : inner.valueAt(slot, slotStartMs);
      },
    };
  }
  const fromMs = Float64Array.from(down, (d) => d.fromMs);
  const toMs = Float64Array.from(down, (d) => d.toMs);
  const intervals = down.length;
  return {
    valueAt(slot, slotStartMs) {
      for (let i = 0; i < intervals; i++) {
        if (fromMs[i]! <= slotStartMs && slotStartMs < toMs[i]!) return null;
      }
      if (loss > 0 && slotUniform(lossKey, slot, 0) < loss) return null;
      return inner.valueAt(slot, slotStartMs);
    },
  };
}
