/**
 * The simulated clock (SPEC §1.3: simulated time is the clock). Rounds are synchronous, so
 * the kernel is just a monotone time: it only moves forward, and an attempt to move it back
 * is a bug that names the values, as SimPy's negative-delay check does.
 */
import { DtrainError } from '../errors.js';

export class SimClock {
  private current: number;

  constructor(startMs = 0) {
    this.current = startMs;
  }

  get nowMs(): number {
    return this.current;
  }

  /** Move to `timeMs` (≥ now). `what` names the event for the error message. */
  advanceTo(timeMs: number, what: string): void {
    if (!(timeMs >= this.current)) {
      throw new DtrainError(
        'sim.timeTravel',
        `simulated clock cannot go back from ${this.current} ms to ${timeMs} ms (${what})`,
        { exitCode: 1 },
      );
    }
    this.current = timeMs;
  }
}
