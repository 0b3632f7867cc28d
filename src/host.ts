/**
 * What the core needs from the program that runs it (issue 10: the host seam). The core —
 * scenario parsing, latency, the pipeline, the round loop, the engines, records and reports
 * as data — touches no file system, clock, worker or event loop itself: it asks its host.
 * `src/node/host.ts` is the host for Node (the CLI and the public API use it by default); a
 * browser worker would give its own. tsconfig.core.json typechecks the core without Node's
 * types, so a `node:` import, `Buffer`, `process` or `setImmediate` there fails `npm test`.
 *
 * sha-256 is not asked of the host: the core hashes with @noble/hashes (pure JS,
 * synchronous, the same in every host) unless a host installs a faster one of the same
 * function, as the Node host installs node:crypto's (text/sha256.ts useSha256).
 */
import type { BuiltinDatasetName } from './scenario/types.js';
import type { BytesRead } from './scenario/text-file.js';
import type { EngineFactory } from './train/engine.js';
import type { WindowPrefetchStarter } from './run/observe.js';

/** The files a scenario names: the scenario itself, traces, CSV datasets. */
export interface FileHost {
  /**
   * The file's bytes, at most `maxBytes`, or what is wrong with it in words that fit
   * "found …" (`no such file`, `a directory`, `a file of 2 GiB (the limit is …)`).
   * `regularOnly`: refuse pipes, sockets, devices and directories, checked on the opened file.
   * Text decoding is the core's (text-file.ts decodeText), so a hash of these bytes and the
   * text read from them always agree.
   */
  readFile(path: string, maxBytes: number, options?: { regularOnly?: boolean }): BytesRead;
  /** the folder that relative paths inside scenario `file` start from */
  scenarioFolder(file: string): string;
  /** `written` (as a scenario names it) resolved against `folder`: the path `readFile` takes */
  resolvePath(folder: string, written: string): string;
}

/** A shipped dataset (data/datasets/<name>.csv): where it lives, for messages, and its text. */
export interface ShippedDataset {
  file: string;
  text: string;
}

/** Loads an engine's factory on demand (TF.js and workers are heavy: imported only when used). */
export type EngineLoader = () => Promise<EngineFactory>;

export interface Host extends FileHost {
  /** the shipped dataset's text; throws a DtrainError when the installation lacks it */
  shippedDataset(name: BuiltinDatasetName): ShippedDataset;
  /** let the host handle pending events (a Ctrl-C, a helper thread's message) before every round */
  yieldTurn(): Promise<void>;
  /**
   * One turn of the host's event loop and nothing else, taken inside long work before round 1
   * (generating and arranging the data); absent: that work runs in one piece. Unlike
   * yieldTurn, which a host may make a round boundary's pause (the playground's step), this
   * never waits on anything but the loop.
   */
  breathe?(): Promise<void>;
  /** the training engines this host offers, by name (`fast`, `reference`, …) */
  engines: ReadonlyMap<string, EngineLoader>;
  /**
   * A thread that draws the next round's S1 windows while this one trains (run/observe.ts), or
   * simulates a strategy's whole rounds ahead, their batch indices too (run/round-ahead.ts),
   * for runs of many nodes;
   * absent, or null from it: each round does its own.
   */
  startWindowPrefetch?: WindowPrefetchStarter;
}
