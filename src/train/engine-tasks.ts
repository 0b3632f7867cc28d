/**
 * One round's work for an engine: for each participating node (a task) and local step, the
 * sample indices it trains on, all in one array. Task k's step s is
 * indices[offsets[k·steps + s] … offsets[k·steps + s + 1]). At 131,072 nodes an array of views
 * per node and step was some 30 MB of every round's garbage on the thread that trains.
 */

/** One task's batches as views, one per local step (what `of` packs and `task` gives back). */
export interface EngineTask {
  /** sample indices into the training set, one array per local step (length = batch) */
  stepBatches: Int32Array[];
}

/** The tasks as plain data, compact (offsets from 0): what crosses to an engine worker. */
export interface PackedTasks {
  steps: number;
  indices: Int32Array;
  offsets: Int32Array;
}

export class EngineTasks {
  readonly count: number;

  /** `offsets`: count · steps + 1 positions in `indices`, ascending */
  constructor(readonly steps: number, readonly indices: Int32Array, readonly offsets: Int32Array) {
    this.count = steps === 0 ? 0 : (offsets.length - 1) / steps;
  }

  /** Tasks given as views, packed; their step counts must agree (the first task's). */
  static of(tasks: readonly EngineTask[]): EngineTasks {
    const steps = tasks[0]?.stepBatches.length ?? 0;
    if (tasks.length > 0 && steps === 0) throw new Error('task 0 has no step batches');
    const offsets = new Int32Array(tasks.length * steps + 1);
    let total = 0;
    tasks.forEach((task, k) => {
      if (task.stepBatches.length !== steps) throw new Error(`task ${k} has ${task.stepBatches.length} step batches, expected localSteps = ${steps}`);
      task.stepBatches.forEach((batch, s) => {
        total += batch.length;
        offsets[k * steps + s + 1] = total;
      });
    });
    const indices = new Int32Array(total);
    tasks.forEach((task, k) => task.stepBatches.forEach((batch, s) => indices.set(batch, offsets[k * steps + s]!)));
    return new EngineTasks(steps, indices, offsets);
  }

  static fromPacked({ steps, indices, offsets }: PackedTasks): EngineTasks {
    return new EngineTasks(steps, indices, offsets);
  }

  /** Where task k's step s starts in `indices`. */
  start(k: number, step = 0): number {
    return this.offsets[k * this.steps + step]!;
  }

  /** Rows of task k's step s. */
  rows(k: number, step = 0): number {
    const at = k * this.steps + step;
    return this.offsets[at + 1]! - this.offsets[at]!;
  }

  /** Task k's step s, a view of `indices`. */
  batch(k: number, step: number): Int32Array {
    const at = k * this.steps + step;
    return this.indices.subarray(this.offsets[at]!, this.offsets[at + 1]!);
  }

  /** Task k's steps, as views. */
  task(k: number): EngineTask {
    return { stepBatches: Array.from({ length: this.steps }, (_, s) => this.batch(k, s)) };
  }

  /** Tasks first … end − 1, sharing this one's arrays. */
  slice(first: number, end: number): EngineTasks {
    if (this.steps === 0) return this;
    return new EngineTasks(this.steps, this.indices, this.offsets.subarray(first * this.steps, end * this.steps + 1));
  }

  /** A compact copy (offsets from 0, only the indices the tasks hold), for a message: its arrays are its own, so a message may move them. */
  packed(): PackedTasks {
    const from = this.offsets[0]!;
    const to = this.offsets[this.offsets.length - 1]!;
    const offsets = new Int32Array(this.offsets.length);
    for (let j = 0; j < offsets.length; j++) offsets[j] = this.offsets[j]! - from;
    return { steps: this.steps, indices: this.indices.slice(from, to), offsets };
  }

  /** Same tasks, step for step and index for index. */
  equals(other: EngineTasks): boolean {
    if (other.count !== this.count || other.steps !== this.steps) return false;
    const base = this.offsets[0]!;
    const otherBase = other.offsets[0]!;
    for (let j = 0; j < this.offsets.length; j++) if (this.offsets[j]! - base !== other.offsets[j]! - otherBase) return false;
    const rows = this.offsets[this.offsets.length - 1]! - base;
    for (let r = 0; r < rows; r++) if (this.indices[base + r] !== other.indices[otherBase + r]) return false;
    return true;
  }
}
