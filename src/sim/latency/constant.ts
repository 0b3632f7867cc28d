/** `{ constant: v }`: the same latency in every slot (SPEC §3). */
import type { ProcessOf, SlotProcess } from './types.js';

export function constantProcess(process: ProcessOf<'constant'>): SlotProcess {
  const valueMs = process.valueMs;
  return { valueAt: () => valueMs };
}
