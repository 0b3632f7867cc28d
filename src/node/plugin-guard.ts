/**
 * A plug-in's definitions are someone else's JavaScript: checked when defined (shape), and
 * wrapped so that what their stages return each round is checked too. A throw or a wrong
 * output becomes a DtrainError naming the stage and the plug-in file (exit 2, no stack),
 * not a NaN deep in the time model or a crash in the round loop. Inputs and outputs are
 * copied, so a plug-in can neither change what the run reads nor a decision after handing it over.
 */
import { DtrainError } from '../errors.js';
import type {
  AggregationStageDefinition, BatchRoundView, BatchStageDefinition, ResourceRoundView, PresetDefinition, ResourceStageDefinition, StageDefinition, StageKind, StageWorking,
} from '../pipeline/stage-registry.js';
import type { AggregatorOutput, PlanNode } from '../pipeline/types.js';
import type { ResourceAllocation } from '../pipeline/s3-resources.js';
import { escapeForTerminal } from '../text/terminal-escape.js';
import { shorten } from '../text/shorten.js';

/** How far a plug-in's weights may sum from 1 (float noise of a normalisation). */
const WEIGHT_SUM_TOLERANCE = 1e-6;
const KINDS: readonly StageKind[] = ['batch', 'resources', 'aggregation'];
const METHOD: Record<StageKind, 'decide' | 'allocate' | 'weigh'> = { batch: 'decide', resources: 'allocate', aggregation: 'weigh' };

/** A value in a message: short, one line, escaped. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (typeof value === 'string') return `'${escapeForTerminal(shorten(value))}'`;
  if (typeof value === 'object') return typeof (value as { then?: unknown }).then === 'function' ? 'a Promise (stages answer synchronously)' : 'an object';
  if (typeof value === 'function') return 'a function';
  return String(value);
}

/** How much of a plug-in's own text a message shows: one screen, whatever it threw. */
const MAX_THROWN_CHARS = 300;

/**
 * The message of whatever a plug-in threw, on one line and shortened. Reading it runs the
 * plug-in's code too (a `message` getter, a Proxy's traps), so every read is guarded: the
 * plug-in is still the one named, never a stack trace of its second throw.
 */
export function thrownMessage(thrown: unknown): string {
  const text = isInstance(thrown, Error) ? errorText(thrown as Error) : `${readable(() => describeValue(thrown)) ?? 'a value that cannot be read'} (not an Error)`;
  return shorten(escapeForTerminal(text), MAX_THROWN_CHARS);
}

function errorText(error: Error): string {
  const name = readable(() => error.name) ?? 'Error';
  const message = readable(() => error.message);
  return message === undefined ? `${name} (its message cannot be read)` : `${name}: ${message}`;
}

/** String(read()), or undefined when reading or converting it throws. */
function readable(read: () => unknown): string | undefined {
  try {
    return String(read());
  } catch {
    return undefined;
  }
}

/** `value instanceof type`, false when asking throws (a Proxy's getPrototypeOf trap). */
export function isInstance(value: unknown, type: abstract new (...args: never[]) => unknown): boolean {
  try {
    return value instanceof type;
  } catch {
    return false;
  }
}

class StageFault {
  constructor(readonly label: string) {}

  error(problem: string): DtrainError {
    return new DtrainError('plugin.stageFailed', `${this.label}: ${problem}`);
  }

  call<T>(method: string, run: () => T): T {
    // A stage that never returns (`for (;;) {}`) would keep the round stop's JS listeners from
    // ever running, and the run could then only be killed: during the stage's call, SIGINT and
    // SIGTERM end the process with their default action, as while plug-ins load.
    const parked = parkSignalListeners();
    try {
      return run();
    } catch (thrown) {
      throw this.error(`${method}() threw: ${thrownMessage(thrown)}`);
    } finally {
      parked();
    }
  }

  /**
   * Reading what a stage returned runs its code too (getters, proxies): anything that throws
   * there is the stage's fault, reported like a throw from the stage itself.
   */
  read<T>(method: string, check: () => T): T {
    try {
      return check();
    } catch (thrown) {
      if (isInstance(thrown, DtrainError)) throw thrown;
      throw this.error(`reading what ${method}() returned threw: ${thrownMessage(thrown)}`);
    }
  }
}

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * Takes the SIGINT and SIGTERM listeners off, so that the signals have their default action
 * (end the process) while a plug-in's code runs; the function returned puts them back.
 */
export function parkSignalListeners(): () => void {
  if (typeof process === 'undefined' || typeof process.listeners !== 'function') return () => {};
  // raw: a `once` listener put back stays a once listener
  const saved = SIGNALS.map((signal) => [signal, process.rawListeners(signal) as NodeJS.SignalsListener[]] as const);
  for (const signal of SIGNALS) process.removeAllListeners(signal);
  return () => {
    for (const [signal, listeners] of saved) for (const listener of listeners) process.on(signal, listener);
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isWhole(value: unknown, min: number): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= min;
}

/**
 * The working, one entry per item (a stage may leave it out, or give []); only numbers, words
 * and null. Checked whether it is kept or not, so that a plug-in's working is refused the same
 * in every run; copied only when kept (`keep` false gives []).
 */
function workingOf(fault: StageFault, method: string, working: unknown, count: number, keep: boolean): StageWorking[] {
  if (working === undefined || (Array.isArray(working) && working.length === 0)) return keep ? Array.from({ length: count }, () => ({})) : [];
  if (!Array.isArray(working) || working.length !== count) {
    throw fault.error(`${method}() returned working that is not a list of ${count} entries (found ${describeValue(working)})`);
  }
  const copy: StageWorking[] = [];
  for (let i = 0; i < count; i++) {
    const entry: unknown = working[i];
    if (entry === undefined || entry === null) {
      if (keep) copy.push({});
      continue;
    }
    if (!isRecord(entry)) throw fault.error(`${method}() returned working[${i}] = ${describeValue(entry)}; expected { name: number, string or null }`);
    const pairs = Object.entries(entry);
    for (const [key, value] of pairs) {
      if (value !== null && typeof value !== 'number' && typeof value !== 'string') {
        throw fault.error(`${method}() returned working[${i}].${escapeForTerminal(key)} = ${describeValue(value)}; expected a number, a string or null`);
      }
    }
    if (keep) copy.push(Object.fromEntries(pairs) as StageWorking);
  }
  return copy;
}

function outputRecord(fault: StageFault, method: string, output: unknown, expected: string): Record<string, unknown> {
  if (!isRecord(output) || typeof output.then === 'function') throw fault.error(`${method}() must return ${expected}; found ${describeValue(output)}`);
  return output;
}

/**
 * The run hands its stages the arrays it goes on to read (the scenario's nodes and settings,
 * the batches the resources stage is asked about, the S1 windows a trace keeps), and nothing
 * stops a plug-in from changing them: `view.nodes.length = 0` used to crash the round loop and
 * `view.batches[0] = 1e6` to change batches after they were checked. A plug-in stage gets its
 * own copy instead, which it may change freely; built-in stages still get the run's arrays,
 * so they pay nothing. Each field is copied when first read: a stage that never reads the
 * windows does not pay for them either.
 */
function ownCopy<T extends object>(fields: { [K in keyof T]: () => T[K] }): T {
  const view = {} as T;
  for (const key of Object.keys(fields) as Array<keyof T & string>) {
    const settle = (value: T[typeof key]): void => {
      Object.defineProperty(view, key, { value, writable: true, enumerable: true, configurable: true });
    };
    Object.defineProperty(view, key, {
      get() {
        const value = fields[key]();
        settle(value);
        return value;
      },
      set: settle,
      enumerable: true,
      configurable: true,
    });
  }
  return view;
}

/** The documented fields of a node, so that a plug-in sees (and can change) nothing of the scenario's node. */
function nodesCopy(nodes: readonly PlanNode[]): PlanNode[] {
  return nodes.map(({ cores, bandwidthBps }) => ({ cores, bandwidthBps }));
}

function batchViewCopy(view: BatchRoundView): BatchRoundView {
  return ownCopy<BatchRoundView>({
    nodes: () => nodesCopy(view.nodes),
    samplesMs: () => view.samplesMs.map((row) => row.slice()),
    efficiency: () => view.efficiency.map(({ efficiency, effectiveMs, observedMs }) => ({ efficiency, effectiveMs, observedMs })),
    lastResponseMs: () => view.lastResponseMs.slice(),
    lastBatch: () => view.lastBatch.slice(),
    transferBytes: () => view.transferBytes,
    localSteps: () => view.localSteps,
    stepMsOf: () => view.stepMsOf,
    s1: () => ({ ...view.s1 }),
    s2: () => ({ ...view.s2 }),
    s3: () => ({ ...view.s3 }),
  });
}

function resourceViewCopy(view: ResourceRoundView): ResourceRoundView {
  return ownCopy<ResourceRoundView>({
    nodes: () => nodesCopy(view.nodes),
    batches: () => view.batches.slice(),
    responseMs: () => view.responseMs.slice(),
    pressures: () => view.pressures.slice(),
    referencePressure: () => view.referencePressure,
    s3: () => ({ ...view.s3 }),
  });
}

function guardBatch(fault: StageFault, decide: BatchStageDefinition['decide']): BatchStageDefinition['decide'] {
  return (view, options) => fault.read('decide', () => {
    const count = view.nodes.length;
    const keepWorking = options?.working !== false;
    const output = outputRecord(fault, 'decide', fault.call('decide', () => decide(batchViewCopy(view), { working: keepWorking })), '{ batches, working }');
    const { batches } = output;
    if (!Array.isArray(batches) || batches.length !== count) {
      throw fault.error(`decide() must return batches: one whole number ≥ 0 per node (${count}); found ${describeValue(batches)}`);
    }
    // The scenario's cap bounds every batch a run was estimated for and can hold; past it a
    // batch of 1e9 failed deep in training as "out of memory", naming no stage.
    const ceiling = view.s2.maxBatch ?? view.s2.standardBatch;
    const copy: number[] = [];
    for (let i = 0; i < count; i++) {
      const batch: unknown = batches[i];
      if (!isWhole(batch, 0)) throw fault.error(`decide() returned batches[${i}] = ${describeValue(batch)}; expected a whole number ≥ 0`);
      if (batch > ceiling) {
        throw fault.error(`decide() returned batches[${i}] = ${batch}; expected at most ${ceiling}, the scenario's largest batch (pipeline.s2.maxBatch, else standardBatch)`);
      }
      copy.push(batch);
    }
    return { batches: copy, working: workingOf(fault, 'decide', output.working, count, keepWorking) };
  });
}

function guardResources(fault: StageFault, allocate: ResourceStageDefinition['allocate']): ResourceStageDefinition['allocate'] {
  return (view, options) => fault.read('allocate', () => {
    const count = view.nodes.length;
    const keepWorking = options?.working !== false;
    const output = outputRecord(fault, 'allocate', fault.call('allocate', () => allocate(resourceViewCopy(view), { working: keepWorking })), '{ allocations, working }');
    const { allocations } = output;
    if (!Array.isArray(allocations) || allocations.length !== count) {
      throw fault.error(`allocate() must return allocations: one { threads, ioQueue } per node (${count}); found ${describeValue(allocations)}`);
    }
    const copy: ResourceAllocation[] = [];
    for (let i = 0; i < count; i++) {
      // a node that is not dispatched has no allocation to check: the run ignores it
      if (view.batches[i] === 0) {
        copy.push({ threads: 0, ioQueue: 0 });
        continue;
      }
      const allocation: unknown = allocations[i];
      const threads = isRecord(allocation) ? allocation.threads : undefined;
      const ioQueue = isRecord(allocation) ? allocation.ioQueue : undefined;
      if (!isWhole(threads, 1) || !isWhole(ioQueue, 1)) {
        const found = isRecord(allocation) ? `threads ${describeValue(threads)}, ioQueue ${describeValue(ioQueue)}` : describeValue(allocation);
        throw fault.error(`allocate() returned allocations[${i}] with ${found}; a dispatched node needs whole numbers ≥ 1 for both`);
      }
      copy.push({ threads, ioQueue });
    }
    return { allocations: copy, working: workingOf(fault, 'allocate', output.working, count, keepWorking) };
  });
}

function guardAggregation(fault: StageFault, weigh: AggregationStageDefinition['weigh']): AggregationStageDefinition['weigh'] {
  return (participants, cfg, options) => fault.read('weigh', () => {
    const count = participants.length;
    // the participants are made for this call (run/aggregate.ts); s4 and the options are the run's
    const keepWorking = options?.working !== false;
    const output = outputRecord(fault, 'weigh', fault.call('weigh', () => weigh(participants, { ...cfg }, { working: keepWorking })), '{ weights, volatilities, working }');
    const { weights, volatilities } = output;
    if (!Array.isArray(weights) || weights.length !== count) {
      throw fault.error(`weigh() must return weights: one number ≥ 0 per participant (${count}), summing to 1; found ${describeValue(weights)}`);
    }
    const copy: number[] = [];
    let sum = 0;
    for (let k = 0; k < count; k++) {
      const weight: unknown = weights[k];
      if (typeof weight !== 'number' || !Number.isFinite(weight) || weight < 0) throw fault.error(`weigh() returned weights[${k}] = ${describeValue(weight)}; expected a finite number ≥ 0`);
      copy.push(weight);
      sum += weight;
    }
    if (count > 0 && Math.abs(sum - 1) > WEIGHT_SUM_TOLERANCE) throw fault.error(`weigh() returned weights summing to ${sum}; expected 1`);
    let volatilityCopy: Array<number | null> = Array.from({ length: count }, () => null);
    if (volatilities !== undefined) {
      if (!Array.isArray(volatilities) || volatilities.length !== count) {
        throw fault.error(`weigh() must return volatilities: one finite number or null per participant (${count}); found ${describeValue(volatilities)}`);
      }
      for (let k = 0; k < count; k++) {
        const volatility: unknown = volatilities[k];
        if (volatility !== null && (typeof volatility !== 'number' || !Number.isFinite(volatility))) {
          throw fault.error(`weigh() returned volatilities[${k}] = ${describeValue(volatility)}; expected a finite number or null`);
        }
        volatilityCopy[k] = volatility;
      }
    }
    const result: AggregatorOutput = { weights: copy, volatilities: volatilityCopy, working: workingOf(fault, 'weigh', output.working, count, keepWorking) };
    return result;
  });
}

/**
 * A stage a plug-in hands to defineStage, checked and wrapped; `source` names the plug-in
 * in messages (`--plugin ./my-stage.mjs`).
 */
export function guardStage(input: unknown, source: string): StageDefinition {
  const refuse = (problem: string): never => {
    throw new DtrainError('plugin.badDefinition', `${source}: defineStage(): ${problem}`);
  };
  if (!isRecord(input)) return refuse(`expected { kind, name, summary, and decide, allocate or weigh }, found ${describeValue(input)}`);
  const { kind, name, summary } = input;
  if (typeof kind !== 'string' || !(KINDS as readonly string[]).includes(kind)) return refuse(`kind must be 'batch', 'resources' or 'aggregation', found ${describeValue(kind)}`);
  if (typeof name !== 'string') return refuse(`name must be a string, found ${describeValue(name)}`);
  if (summary !== undefined && typeof summary !== 'string') return refuse(`summary must be a string, found ${describeValue(summary)}`);
  const stageKind = kind as StageKind;
  const method = METHOD[stageKind];
  const fn: unknown = input[method];
  if (typeof fn !== 'function') return refuse(`a ${kind} stage needs its ${method}() function, found ${describeValue(fn)}`);
  const fault = new StageFault(`${kind} stage '${escapeForTerminal(name)}' (${source})`);
  const text = summary ?? `${name} (plug-in)`;
  const bound = fn.bind(input) as (...args: never[]) => unknown;
  switch (stageKind) {
    case 'batch': return { kind: 'batch', name, summary: text, decide: guardBatch(fault, bound as BatchStageDefinition['decide']) };
    case 'resources': return { kind: 'resources', name, summary: text, allocate: guardResources(fault, bound as ResourceStageDefinition['allocate']) };
    case 'aggregation': return { kind: 'aggregation', name, summary: text, weigh: guardAggregation(fault, bound as AggregationStageDefinition['weigh']) };
  }
}

/** A preset a plug-in hands to definePreset: plain strings, copied. */
export function guardPreset(input: unknown, source: string): PresetDefinition {
  const refuse = (problem: string): never => {
    throw new DtrainError('plugin.badDefinition', `${source}: definePreset(): ${problem}`);
  };
  if (!isRecord(input)) return refuse(`expected { name, summary, batch, resources, aggregation }, found ${describeValue(input)}`);
  const { name, summary } = input;
  if (typeof name !== 'string') return refuse(`name must be a string, found ${describeValue(name)}`);
  if (summary !== undefined && typeof summary !== 'string') return refuse(`summary must be a string, found ${describeValue(summary)}`);
  const picks: string[] = [];
  for (const kind of KINDS) {
    const pick = input[kind];
    if (typeof pick !== 'string') return refuse(`${kind} must name a ${kind} stage, found ${describeValue(pick)}`);
    picks.push(pick);
  }
  return { name, summary: summary ?? `${name} (plug-in)`, batch: picks[0]!, resources: picks[1]!, aggregation: picks[2]! };
}
