/**
 * The Node host's helper thread for a large run (run/observe.ts WindowPrefetch): a worker
 * (window-worker.ts) that draws the next round's S1 windows while the main thread trains the
 * round and writes its outputs, or, for a strategy of built-in stages, simulates its rounds'
 * timelines ahead (run/round-ahead.ts). Replies come back in the order asked. A failed or
 * exited worker answers null from then on, and the rounds do their own work: the helper can
 * change how long a run takes, never a number. The thread holds the process open only while
 * the main thread waits for it.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isMainThread, Worker } from 'node:worker_threads';
import type { WindowPrefetch, WindowPrefetchStarter } from '../run/observe.js';
import type { RoundsAhead, RoundsAheadSpec } from '../run/round-ahead.js';
import type { Scheduled, TimelineSetting } from '../run/round-state.js';
import { decodeScheduled, type ScheduledMessage } from '../run/scheduled-codec.js';
import type { SampleRanges } from '../train/batches.js';

/** The worker's entry beside this module: present in dist/ only. */
export const WINDOW_WORKER_URL = new URL('./window-worker.js', import.meta.url);

/**
 * Young generation of the helper's heap: its garbage is the draws' numbers, dead at once, so a
 * small one costs little collecting (at 131,072 nodes 16 MB and 48 MB gave the same main-thread
 * figures and peak RSS within noise).
 */
const HELPER_YOUNG_GENERATION_MB = 16;

/** A strategy's rounds, its stages by name. */
export interface RoundsRequest {
  kind: 'rounds';
  id: number;
  spec: RoundsAheadSpec;
}

/** What the main thread sends the helper. */
export type HelperRequest =
  | { kind: 'windows'; startMs: number }
  | RoundsRequest
  | { kind: 'batches'; id: number; ranges: SampleRanges | null }
  | { kind: 'taken'; id: number }
  | { kind: 'stop'; id: number };

/** A round of strategy `id` as simulated from `startMs`; null: it failed, and no later one follows. */
export interface RoundReply {
  kind: 'round';
  id: number;
  round: number;
  startMs: number;
  scheduled: ScheduledMessage | null;
}

/** What the helper sends back. */
export type HelperReply = { kind: 'windows'; values: Float64Array | null } | RoundReply;

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
  private rounds: RoundsInThread | null = null;
  private lastRoundsId = 0;

  constructor(setting: TimelineSetting) {
    this.worker = new Worker(WINDOW_WORKER_URL, { workerData: setting, resourceLimits: { maxYoungGenerationSizeMb: HELPER_YOUNG_GENERATION_MB } });
    this.worker.unref();
    this.worker.on('message', (reply: HelperReply) => {
      if (reply.kind === 'windows') this.inFlight.shift()?.settle(reply.values);
      else if (this.rounds?.id === reply.id) this.rounds.arrive(reply);
      this.holdOpen();
    });
    this.worker.on('error', () => this.fail());
    this.worker.on('exit', () => this.fail());
  }

  /** The process stays open while the main thread waits for an answer, and only then. */
  holdOpen(): void {
    if (this.inFlight.length > 0 || this.rounds?.waiting === true) this.worker.ref();
    else this.worker.unref();
  }

  post(request: HelperRequest, transfer: ArrayBuffer[] = []): void {
    if (!this.failed) this.worker.postMessage(request, transfer);
  }

  private fail(): void {
    this.failed = true;
    for (const pending of this.inFlight.splice(0)) pending.settle(null);
    this.rounds?.end();
    this.worker.unref();
  }

  request(startMs: number): void {
    if (this.failed || this.unclaimed.some((pending) => pending.startMs === startMs)) return;
    let settle!: (values: Float64Array | null) => void;
    const values = new Promise<Float64Array | null>((resolve) => (settle = resolve));
    const pending = { startMs, values, settle };
    this.inFlight.push(pending);
    this.unclaimed.push(pending);
    this.post({ kind: 'windows', startMs });
    this.holdOpen();
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

  roundsAhead(spec: RoundsAheadSpec): RoundsAhead | null {
    if (this.failed) return null;
    this.rounds?.end();
    const rounds = new RoundsInThread(this, ++this.lastRoundsId);
    this.rounds = rounds;
    this.post({ kind: 'rounds', id: rounds.id, spec });
    return rounds;
  }

  dispose(): void {
    this.fail();
    void this.worker.terminate();
  }
}

/** One strategy's rounds as the helper sends them: the latest untaken one, or a take waiting for it. */
class RoundsInThread implements RoundsAhead {
  ended = false;
  private told = false;
  private arrived: RoundReply | null = null;
  private waiter: ((reply: RoundReply | null) => void) | null = null;

  constructor(private readonly thread: WindowThread, readonly id: number) {}

  get waiting(): boolean {
    return this.waiter !== null;
  }

  arrive(reply: RoundReply): void {
    if (this.ended) return;
    const waiter = this.waiter;
    if (waiter === null) {
      this.arrived = reply;
      return;
    }
    this.waiter = null;
    waiter(reply);
  }

  drawBatchesFrom(ranges: SampleRanges | null): void {
    if (this.told || this.ended) return;
    this.told = true;
    // copied, not transferred: the run keeps reading its own
    this.thread.post({ kind: 'batches', id: this.id, ranges });
  }

  async take(round: number, startMs: number): Promise<Scheduled | null> {
    if (this.ended) return null;
    let reply = this.arrived;
    this.arrived = null;
    if (reply === null) {
      reply = await new Promise<RoundReply | null>((resolve) => {
        this.waiter = resolve;
        this.thread.holdOpen();
      });
      this.thread.holdOpen();
    }
    // the helper's next round is not this one (or it failed): this strategy's rounds are done here
    if (reply === null || reply.scheduled === null || reply.round !== round || reply.startMs !== startMs) {
      this.dispose();
      return null;
    }
    this.thread.post({ kind: 'taken', id: this.id });
    return decodeScheduled(reply.scheduled);
  }

  /** No more rounds from the helper: a take waiting gets null, and so does every later one. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.arrived = null;
    const waiter = this.waiter;
    this.waiter = null;
    waiter?.(null);
  }

  dispose(): void {
    if (this.ended) return;
    this.end();
    this.thread.post({ kind: 'stop', id: this.id });
    this.thread.holdOpen();
  }
}

/**
 * How the Node host starts a helper, or undefined where it must not: inside a worker thread
 * (sweep and study already run one run per core) or where the worker's entry is absent (the
 * sources run by the tests, not dist/).
 */
export function windowPrefetchStarter(): WindowPrefetchStarter | undefined {
  if (!isMainThread || !existsSync(fileURLToPath(WINDOW_WORKER_URL))) return undefined;
  return (setting) => new WindowThread(setting);
}
