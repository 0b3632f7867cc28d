/**
 * The run's helper thread (window-thread.ts), started with the run's timeline setting. It
 * builds its own copy of the network, then answers
 * - a start time with that round's S1 windows (run/observe.ts drawWindows), its column
 *   transferred, not copied; null where the window is not all in reach or the draw failed, so
 *   that the round draws it itself;
 * - a strategy's rounds (run/round-ahead.ts) with each round's timeline, simulated by the same
 *   functions the main thread runs, up to two rounds ahead of the main thread's takes, and, once told
 *   the nodes' samples, each round's batch indices, drawn by cursors of its own. A round that
 *   fails (a divergence among them) is answered null and ends the strategy's rounds here.
 *
 * Runs only from dist/ (a worker needs a .js entry point).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createStageRegistry } from '../pipeline/stages/builtin.js';
import { buildNetwork, buildSlowdowns } from '../run/network.js';
import { drawWindows, WindowScratch } from '../run/observe.js';
import { RoundsSimulator, type TimelineFrame } from '../run/round-ahead.js';
import type { Scheduled, TimelineSetting } from '../run/round-state.js';
import { encodeScheduled } from '../run/scheduled-codec.js';
import { LatencyGuard } from '../run/time-guard.js';
import type { HelperReply, HelperRequest, RoundsRequest } from './window-thread.js';

const port = parentPort;
if (port === null) throw new Error('window-worker.js must run as a worker thread');
const setting = workerData as TimelineSetting;
const latency = buildNetwork(setting);
// built once, shared by every strategy's rounds, as the main thread's network is
const slowdowns = buildSlowdowns(setting);
const guard = new LatencyGuard(setting, latency);

/** The strategy whose rounds are being simulated, and how far. */
interface Rounds {
  id: number;
  simulator: RoundsSimulator;
  /** the main thread said whether to draw the batches (no round is sent before) */
  ready: boolean;
  /** a round simulated and not yet sent (its batches not drawn) */
  held: Scheduled | null;
  /** the round whose simulation failed while another waited to be taken: answered null once that one is */
  failed: { round: number; startMs: number } | null;
  /** rounds sent and not yet taken */
  untaken: number;
}

let rounds: Rounds | null = null;

function reply(message: HelperReply, transfer: ArrayBuffer[] = []): void {
  port!.postMessage(message, transfer);
}

function startRounds(request: RoundsRequest): void {
  const registry = createStageRegistry();
  const frame: TimelineFrame = {
    setting,
    stages: { batch: registry.stage('batch', request.spec.batch), resources: registry.stage('resources', request.spec.resources) },
    guard: new LatencyGuard(setting, latency, slowdowns),
    windows: new WindowScratch(),
    transferBytes: request.spec.transferBytes,
    trace: false,
    working: request.spec.working,
  };
  rounds = { id: request.id, simulator: new RoundsSimulator(frame, request.spec.startMs), ready: false, held: null, failed: null, untaken: 0 };
}

/**
 * The rounds ahead: the next one is sent once the one before was taken, and the one after it
 * is simulated meanwhile and held, its batches drawn when it is sent; two rounds ahead, no
 * more (memory). So a round that takes the helper longer than the main thread's round (its
 * garbage collection, a busy core) is absorbed by the round held, not waited for. The first is
 * simulated at once and sent when the main thread says whether to draw its batches; while it
 * prepares the data, the cursors' streams are seeded here. A round that fails is answered null,
 * but only once no round sent is waiting to be taken: the main thread keeps one answer.
 */
function advance(): void {
  const current = rounds;
  if (current === null) return;
  const { id, simulator } = current;
  const fail = (at: { round: number; startMs: number }): void => {
    rounds = null;
    reply({ kind: 'round', id, round: at.round, startMs: at.startMs, scheduled: null });
  };
  if (current.untaken === 0 && current.failed !== null) return fail(current.failed);
  let at = { round: simulator.round, startMs: simulator.startMs };
  try {
    if (current.untaken === 0 && current.ready) {
      if (current.held === null) {
        if (simulator.round > setting.rounds) return;
        current.held = simulator.simulate();
      }
      const scheduled = current.held;
      current.held = null;
      at = scheduled;
      simulator.drawBatches(scheduled);
      current.untaken++;
      const { message, transfer } = encodeScheduled(scheduled);
      reply({ kind: 'round', id, round: scheduled.round, startMs: scheduled.startMs, scheduled: message }, transfer);
    }
    if (current.held === null && current.failed === null && simulator.round <= setting.rounds) {
      at = { round: simulator.round, startMs: simulator.startMs };
      try {
        current.held = simulator.simulate();
      } catch (error) {
        if (current.untaken === 0) throw error;
        current.failed = at;
      }
      if (!current.ready) simulator.seedCursors();
    }
  } catch {
    fail(at);
  }
}

port.on('message', (request: HelperRequest) => {
  switch (request.kind) {
    case 'windows': {
      let values: Float64Array | null = null;
      try {
        values = drawWindows(setting.pipeline.s1, guard, request.startMs);
      } catch {
        values = null;
      }
      // drawWindows makes a plain ArrayBuffer, never a shared one
      reply({ kind: 'windows', values }, values === null ? [] : [values.buffer as ArrayBuffer]);
      break;
    }
    case 'rounds':
      try {
        startRounds(request);
      } catch {
        reply({ kind: 'round', id: request.id, round: 1, startMs: request.spec.startMs, scheduled: null });
        break;
      }
      advance();
      break;
    case 'batches':
      if (rounds !== null && rounds.id === request.id && !rounds.ready) {
        const { simulator } = rounds;
        try {
          if (request.ranges !== null) simulator.drawBatchesFrom(request.ranges);
        } catch {
          rounds = null;
          reply({ kind: 'round', id: request.id, round: simulator.round, startMs: simulator.startMs, scheduled: null });
          break;
        }
        rounds.ready = true;
        advance();
      }
      break;
    case 'taken':
      if (rounds !== null && rounds.id === request.id) {
        rounds.untaken--;
        advance();
      }
      break;
    case 'stop':
      if (rounds !== null && rounds.id === request.id) rounds = null;
      break;
  }
});
