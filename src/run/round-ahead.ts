/**
 * A round's timeline (observe → plan → schedule) needs nothing of the training: S1's windows
 * are a pure function of the seed, the node and the round's start, S2 and S3 read only the
 * windows and what each node remembers of its last round (its step time and batch), and the
 * time model reads the plans. A strategy whose batch and resources stages are built in can
 * therefore have its rounds simulated ahead, on a host's helper thread, while this thread
 * trains: the same functions on the same numbers, so the same bits (SPEC §9).
 */
import type { ResolvedStages } from '../pipeline/stage-registry.js';
import { isBuiltinStage } from '../pipeline/stages/builtin.js';
import type { Scenario } from '../scenario/types.js';
import type { AleaStream } from '../sim/rng.js';
import { batchStream, cursorsOver, drawBatchIndices, type BatchCursor, type SampleRanges } from '../train/batches.js';
import type { NodeMemory, Scheduled, TimelineSetting } from './round-state.js';
import { observeRound, type WindowScratch } from './observe.js';
import { planPhase } from './plan.js';
import { roundEndMs, schedulePhase } from './schedule.js';
import type { LatencyGuard } from './time-guard.js';

/** A scenario's timeline setting, nothing else of it (what a helper thread is started with). */
export function timelineSetting(scenario: Scenario): TimelineSetting {
  const { seed, rounds, model, pipeline, cluster } = scenario;
  return { seed, rounds, model, pipeline, cluster };
}

/** What every round of one strategy's timeline reads. */
export interface TimelineFrame {
  setting: TimelineSetting;
  stages: Pick<ResolvedStages, 'batch' | 'resources'>;
  guard: LatencyGuard;
  windows: WindowScratch;
  /** bytes of one model copy on the wire per direction */
  transferBytes: number;
  /** keep each round's S1 windows as rows (`--trace`) */
  trace: boolean;
  /** keep the batch and resources stages' working (explain reads it); false: the stages are told so */
  working: boolean;
}

/**
 * Observe → plan → schedule: round `round`, starting at `startMs`, on the clock. `drawn`: its
 * windows drawn ahead (observe.ts), or null.
 */
export function simulateRound(frame: TimelineFrame, memory: readonly NodeMemory[], round: number, startMs: number, drawn: Float64Array | null): Scheduled {
  const { setting, guard, transferBytes } = frame;
  const observed = observeRound(setting, guard, round, startMs, frame.windows, drawn);
  const planned = planPhase(setting, frame.stages, memory, observed, transferBytes, frame.trace, frame.working);
  return schedulePhase(setting, guard, transferBytes, planned);
}

/** What the next rounds' planning remembers of this one: each participant's step time and batch. */
export function rememberRound(memory: NodeMemory[], scheduled: Scheduled): void {
  const { participants } = scheduled;
  for (let k = 0; k < participants.length; k++) {
    const i = participants[k]!;
    memory[i]!.lastResponseMs = scheduled.times.stepMs[i]!;
    memory[i]!.lastBatch = scheduled.plans.batch[i]!;
  }
}

/**
 * A strategy's rounds as a helper simulates them, one after another from its first: each
 * round's timeline and, once it has the nodes' samples, the participants' batch indices,
 * drawn by cursors of its own as the main thread's would draw them.
 */
export class RoundsSimulator {
  /** the next round to simulate, and its start */
  round = 1;
  private readonly memory: NodeMemory[];
  private streams: AleaStream[] | null = null;
  private cursors: BatchCursor[] | null = null;

  constructor(private readonly frame: TimelineFrame, public startMs: number) {
    this.memory = frame.setting.cluster.nodes.map(() => ({ lastResponseMs: null, lastBatch: null }));
  }

  /** The cursors' streams made now (seeding them is most of making the cursors), for a helper waiting for the samples. */
  seedCursors(): void {
    const { setting } = this.frame;
    this.streams ??= setting.cluster.nodes.map((node) => batchStream(setting.seed, node.id));
  }

  drawBatchesFrom(ranges: SampleRanges): void {
    const { setting } = this.frame;
    this.cursors = cursorsOver(ranges, setting.cluster.nodes.map((node) => node.id), setting.seed, this.streams ?? undefined);
    this.streams = null;
  }

  /** The next round's timeline. */
  simulate(): Scheduled {
    const scheduled = simulateRound(this.frame, this.memory, this.round, this.startMs, null);
    rememberRound(this.memory, scheduled);
    this.round++;
    this.startMs = roundEndMs(this.frame.setting, scheduled);
    return scheduled;
  }

  /** The round's batch indices drawn, where the samples are known; rounds in the order simulated. */
  drawBatches(scheduled: Scheduled): void {
    if (this.cursors === null) return;
    scheduled.batchIndices = drawBatchIndices(scheduled.participants, scheduled.plans.batch, this.cursors, this.frame.setting.model.localSteps);
  }
}

/**
 * What rememberRound writes, kept as columns while the host's helper plans the rounds (it
 * remembers them itself): written to the nodes' memory only should the helper stop, so that
 * the next round can be planned here. At 131,072 nodes writing the memory's objects took
 * ~100 ms over 10 rounds in a CPU profile of the round loop; the columns, written in order,
 * take under 15.
 */
export class RoundsRemembered {
  private readonly responseMs: Float64Array;
  /** NaN: the node took part in no round since */
  private readonly batch: Float64Array;

  constructor(nodes: number) {
    this.responseMs = new Float64Array(nodes);
    this.batch = new Float64Array(nodes).fill(Number.NaN);
  }

  note(scheduled: Scheduled): void {
    const { stepMs } = scheduled.times;
    const { batch } = scheduled.plans;
    // indexed, not for…of: a round's loops over its participants run once a round, so the first
    // rounds run them before V8 has optimised them, where an iterator costs three times as much
    // (at 131,072 participants, 20 ms against 7 on the first call)
    const { participants } = scheduled;
    for (let k = 0; k < participants.length; k++) {
      const i = participants[k]!;
      this.responseMs[i] = stepMs[i]!;
      this.batch[i] = batch[i]!;
    }
  }

  /** The rounds noted, into the memory (as rememberRound on each, in turn, would have left it). */
  writeTo(memory: NodeMemory[]): void {
    for (let i = 0; i < memory.length; i++) {
      if (Number.isNaN(this.batch[i]!)) continue;
      memory[i]!.lastResponseMs = this.responseMs[i]!;
      memory[i]!.lastBatch = this.batch[i]!;
    }
  }
}

/** A strategy's rounds as a helper simulates them: its stages by name, since they are built in. */
export interface RoundsAheadSpec {
  batch: string;
  resources: string;
  transferBytes: number;
  /** the strategy's first round's start */
  startMs: number;
  /** whether the rounds carry the stages' working (TimelineFrame.working) */
  working: boolean;
}

/**
 * The spec of a strategy's rounds ahead; null where a helper cannot simulate them: a plug-in
 * batch or resources stage (its code is not the helper's to run), or `--trace` (the rounds'
 * windows are kept as rows, which the helper does not send).
 */
export function roundsAheadSpec(
  stages: Pick<ResolvedStages, 'batch' | 'resources'>, trace: boolean, working: boolean, transferBytes: number, startMs: number,
): RoundsAheadSpec | null {
  if (trace || !isBuiltinStage(stages.batch) || !isBuiltinStage(stages.resources)) return null;
  return { batch: stages.batch.name, resources: stages.resources.name, transferBytes, startMs, working };
}

export function sameSpec(a: RoundsAheadSpec, b: RoundsAheadSpec): boolean {
  return a.batch === b.batch && a.resources === b.resources && a.transferBytes === b.transferBytes && a.startMs === b.startMs && a.working === b.working;
}

/** Rounds ahead a run started for its first strategy before the strategy's engine: their spec and the rounds. */
export interface StartedRounds {
  spec: RoundsAheadSpec;
  ahead: RoundsAhead;
}

/**
 * A strategy's rounds simulated ahead on a host's helper thread, each round's once the one
 * before was taken. A take whose round or start is not the helper's next, or a helper that
 * failed (a divergence included: the round then diverges here, with its own message), gives
 * null, and the round is simulated here: a helper can change how long a run takes, never a
 * number.
 */
export interface RoundsAhead {
  /**
   * The nodes' samples, from which the helper draws each round's batch indices with cursors of
   * its own (Scheduled.batchIndices), or null: it draws none. Told before the first take, as
   * early as the samples are known; the helper sends no round before it, and a second call
   * changes nothing.
   */
  drawBatchesFrom(ranges: SampleRanges | null): void;
  take(round: number, startMs: number): Promise<Scheduled | null>;
  dispose(): void;
}
