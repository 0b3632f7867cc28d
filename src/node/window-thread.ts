/**
 * The Node host's window helper (run/observe.ts WindowPrefetch): a worker thread
 * (window-worker.ts) that draws the next round's S1 windows while the main thread trains the
 * round and writes its outputs. Replies come back in the order asked. A failed or exited
 * worker answers null from then on, and the rounds draw their own windows: the helper can
 * change how long a run takes, never a number. The thread holds the process open only while a
 * request is in flight.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isMainThread, Worker } from 'node:worker_threads';
import type { NetworkSetting } from '../run/network.js';
import type { WindowPrefetch, WindowPrefetchStarter } from '../run/observe.js';

/** The worker's entry beside this module: present in dist/ only. */
export const WINDOW_WORKER_URL = new URL('./window-worker.js', import.meta.url);

/**
 * Young generation of the helper's heap: its garbage is the draws' numbers, dead at once, so a
 * small one costs little collecting (at 131,072 nodes 16 MB and 48 MB gave the same main-thread
 * figures and peak RSS within noise).
 */
const HELPER_YOUNG_GENERATION_MB = 16;

interface Pending {
  startMs: number;
  values: Promise<Float64Array | null>;
  settle: (values: Float64Array | null) => void;
}

export class WindowThread implements WindowPrefetch {
  private readonly worker: Worker;
  /** requests in the order sent: the worker answers them in that order */
  private readonly inFlight: Pending[] = [];
  /** requests not yet taken, the latest last */
  private unclaimed: Pending[] = [];
  private failed = false;

  constructor(setting: NetworkSetting) {
    this.worker = new Worker(WINDOW_WORKER_URL, { workerData: setting, resourceLimits: { maxYoungGenerationSizeMb: HELPER_YOUNG_GENERATION_MB } });
    this.worker.unref();
    this.worker.on('message', (values: Float64Array | null) => {
      this.inFlight.shift()?.settle(values);
      if (this.inFlight.length === 0) this.worker.unref();
    });
    this.worker.on('error', () => this.fail());
    this.worker.on('exit', () => this.fail());
  }

  private fail(): void {
    this.failed = true;
    for (const pending of this.inFlight.splice(0)) pending.settle(null);
    this.worker.unref();
  }

  request(startMs: number): void {
    if (this.failed || this.unclaimed.some((pending) => pending.startMs === startMs)) return;
    let settle!: (values: Float64Array | null) => void;
    const values = new Promise<Float64Array | null>((resolve) => (settle = resolve));
    const pending = { startMs, values, settle };
    this.inFlight.push(pending);
    this.unclaimed.push(pending);
    this.worker.ref();
    this.worker.postMessage(startMs);
  }

  take(startMs: number): Promise<Float64Array | null> {
    let at = this.unclaimed.length - 1;
    while (at >= 0 && this.unclaimed[at]!.startMs !== startMs) at--;
    if (at < 0) return Promise.resolve(null);
    const { values } = this.unclaimed[at]!;
    // earlier requests are never taken now: their answers are dropped as they arrive
    this.unclaimed = this.unclaimed.slice(at + 1);
    return values;
  }

  dispose(): void {
    this.failed = true;
    for (const pending of this.inFlight.splice(0)) pending.settle(null);
    void this.worker.terminate();
  }
}

/**
 * How the Node host starts a window helper, or undefined where it must not: inside a worker
 * thread (sweep and study already run one run per core) or where the worker's entry is absent
 * (the sources run by the tests, not dist/).
 */
export function windowPrefetchStarter(): WindowPrefetchStarter | undefined {
  if (!isMainThread || !existsSync(fileURLToPath(WINDOW_WORKER_URL))) return undefined;
  return (setting) => new WindowThread(setting);
}
