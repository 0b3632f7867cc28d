/**
 * The messages between the playground page (the UI thread) and its simulator worker
 * (src/browser/worker.ts), the one contract the two sides share. The page posts `ToWorker`
 * messages with `worker.postMessage(message)` and listens for `FromWorker` messages; every
 * message is plain structured-clonable data (no class instances, no functions).
 *
 * The worker runs the real core (one core, two hosts): scenarios are parsed and validated by
 * the same code as `dtrain validate`, runs go through runScenarioOn like `dtrain simulate`, and
 * the report is the same JSON writer's output. The simulator never runs on the UI thread.
 *
 * Life of a run: `run` → (`issues` when invalid, and nothing runs) or (`estimate` with
 * needsConfirm → the page asks the user → `run` again with `confirmed: true`) → `start` →
 * one `round` per finished round of each strategy (strategies run one after the other, as in
 * the CLI) → `done` (or `failed`). `state` reports every change of the run's state.
 *
 * Kept stable: fields are only ever added.
 */

/**
 * The worker's script in the build folder (dist/playground/, beside index.html and main.js),
 * an ES module: start it with `{ type: 'module' }`, its URL relative to the page's script.
 * Messages posted before `ready` are kept and handled after it.
 */
export const WORKER_SCRIPT = 'worker.js';

/** The `.yaml` path a bundled scenario has in the repository, e.g. `scenarios/quickstart.yaml`. */
export function bundledScenarioFile(name: string): string {
  return `scenarios/${name}.yaml`;
}

// ---------------------------------------------------------------------------------------------
// page → worker

/**
 * Check a scenario's text as `dtrain validate` does. Answered by one `issues` message with the
 * same `requestId` (an empty list: valid). Cheap enough to send on every edit (debounce a little);
 * a newer validate supersedes older ones, so the page may ignore answers older than its last.
 */
export interface ValidateMessage {
  type: 'validate';
  /** echoed in the answer, so the page can match answers to edits */
  requestId: number;
  yaml: string;
  /**
   * The file name used in messages and written to the JSON's `scenario.file`. Default: the
   * bundled scenario's path (`scenarios/<name>.yaml`) when the text is exactly a bundled
   * scenario's, else `scenario.yaml`. Relative trace paths start at this file's folder (for a
   * bare name like `scenario.yaml`, at `scenarios/`, beside the bundled ones).
   */
  file?: string;
}

/**
 * Run a scenario. A run already in progress is stopped first (as `reset`). Invalid text is
 * answered with `issues` (requestId -1) and nothing runs. A scenario whose estimate is large
 * (see `estimate`) is not run until the page sends the same message again with `confirmed: true`.
 */
export interface RunMessage {
  type: 'run';
  yaml: string;
  /** as in ValidateMessage */
  file?: string;
  /** only these strategies, by name, in this order (`dtrain simulate --strategy a,b`); default: all */
  strategies?: string[];
  /** the user agreed to run a scenario whose estimate needed confirmation */
  confirmed?: boolean;
  /** start paused: the page then sends `step` or `resume` (default false) */
  paused?: boolean;
}

/**
 * Stop between rounds until `resume` or `step`. The round under way (if any) finishes first;
 * `state` paused is sent once the run has stopped, after that round's `round` message.
 */
export interface PauseMessage { type: 'pause' }
/** Continue a paused run. */
export interface ResumeMessage { type: 'resume' }
/**
 * Run exactly one more round, then pause (works when paused or running: then the round under
 * way and one more). From paused the state stays paused; from running, `paused` follows the rounds.
 */
export interface StepMessage { type: 'step' }
/** Stop the run (after the current round) and forget it; answered by `state` idle. */
export interface ResetMessage { type: 'reset' }

/**
 * Pace the run: at most `roundsPerSecond` rounds per second of wall time (the worker waits
 * between rounds), or null for as fast as the machine goes (the default).
 */
export interface SpeedMessage {
  type: 'speed';
  roundsPerSecond: number | null;
}

/**
 * `dtrain explain`'s text for one node in one round of one strategy of the current (or last
 * finished) run: `dtrain explain --strategy S --round R --node N`. The round must have
 * finished. Answered by `explain` (or `explain` with `error` set) with the same `requestId`.
 */
export interface ExplainMessage {
  type: 'explain';
  requestId: number;
  strategy: string;
  /** a node id, e.g. `n3`; null or absent explains the whole round (every node) */
  node?: string | null;
  round: number;
}

export type ToWorker =
  | ValidateMessage | RunMessage | PauseMessage | ResumeMessage | StepMessage | ResetMessage | SpeedMessage | ExplainMessage;

// ---------------------------------------------------------------------------------------------
// worker → page

/** A scenario shipped with dtrain (the `scenarios/` folder), as the editor can preload it. */
export interface BundledScenario {
  /** `quickstart`, `straggler`, … */
  name: string;
  /** its path, `scenarios/<name>.yaml` */
  file: string;
  /** its first description line, for a picker */
  description: string;
  yaml: string;
}

/** Sent once, when the worker has loaded TF.js and its backend. The page waits for it. */
export interface ReadyMessage {
  type: 'ready';
  /** the TF.js backend the runs use (`wasm`) */
  backend: string;
  /** dtrain's version */
  version: string;
  /** the TF.js version */
  tfjs: string;
  /** the bundled scenarios, quickstart first */
  scenarios: BundledScenario[];
}

/**
 * One located problem, as `dtrain validate` reports it. `line` and `column` are 1-based and
 * point into the text that was sent (for editor markers).
 */
export interface PlaygroundIssue {
  line: number;
  column: number;
  /** the dotted field path, e.g. `cluster.nodes[2].latency.normal.std`; '' for the whole file */
  field: string;
  /** `expected …, found …` */
  message: string;
  /** the whole line exactly as `dtrain validate` prints it: `file:line:col  field: expected …, found …` */
  text: string;
}

/**
 * What the real parse of a valid scenario says that the page shows before a run (the
 * "compare" checkboxes): the page never interprets the YAML itself.
 */
export interface ScenarioSummary {
  /** the scenario's `name` */
  name: string;
  /**
   * its strategies' names in run order, as the run and the JSON name them (a stage pick equal
   * to a preset gets the preset's name); each is accepted by `run`'s `strategies`
   */
  strategies: string[];
  /** rounds per strategy */
  rounds: number;
  /** how many nodes (after `count` expansion) */
  nodeCount: number;
  /** `targetAccuracy`, or null when the scenario sets none */
  targetAccuracy: number | null;
  /** `model.localSteps` (its default filled in) */
  localSteps: number;
}

/**
 * The answer to `validate` (and to `run`, with requestId -1, before anything runs). Empty
 * `issues`: valid, and then `scenario` says what the parse found.
 */
export interface IssuesMessage {
  type: 'issues';
  requestId: number;
  issues: PlaygroundIssue[];
  /** only when `issues` is empty */
  scenario?: ScenarioSummary;
}

/**
 * The memory/time estimate made before a run (as `dtrain simulate` makes it). With
 * `needsConfirm` the run did not start: show `text` and, if the user agrees, send the `run`
 * again with `confirmed: true`. Without it the estimate is informational and the run goes on.
 */
export interface EstimateMessage {
  type: 'estimate';
  text: string;
  needsConfirm: boolean;
}

/** A run started: what the views will receive, in order. */
export interface StartMessage {
  type: 'start';
  /** the strategies' names, in run order */
  strategies: string[];
  /** node ids, in scenario order (the order of `round.nodes`) */
  nodes: string[];
  /** rounds per strategy */
  rounds: number;
  /** the scenario's name and the file name its JSON will carry */
  scenario: { name: string; file: string; seed: number };
  /** the TF.js backend used */
  backend: string;
  /** the scenario's `targetAccuracy` or null (the scoreboard's "time to target") */
  targetAccuracy: number | null;
  /** the scenario's `model.localSteps` (the samples a run trains: batches × local steps) */
  localSteps: number;
}

/** One phase of a node's round on the simulated clock (the `--timeline` and HTML report phases). */
export interface TimelinePhase {
  kind: 'download' | 'compute' | 'upload' | 'link' | 'waiting' | 'idle';
  startMs: number;
  endMs: number;
  /** only on `idle`: why the node was idle */
  reason?: 'notDispatched' | 'retries' | 'deadline';
  /** only on `link`: the transfer that waited for the shared server link */
  transfer?: 'download' | 'upload';
  /**
   * only on `compute` with more than one local step (`model.localSteps`): where each step but
   * the last ended, in time order, inside (startMs, endMs) — the next step starts there
   */
  stepEndsMs?: number[];
}

/**
 * The JSON report's round object exactly as `dtrain simulate --json` writes it (a schema-2
 * `runs[i].rounds[j]`): `round`, `startMs`, `endMs`, `skipped`, `loss`, `accuracy`,
 * `globalBatch`, `effectiveParticipants`, and `nodes` with `id`, `efficiency`, `batch`,
 * `weight`, `participated`, `dropReason`, `finishMs`, … (non-finite numbers are null).
 */
export type JsonRound = {
  round: number;
  startMs: number | null;
  endMs: number | null;
  skipped: boolean;
  loss: number | null;
  accuracy: number | null;
  globalBatch: number | null;
  effectiveParticipants: number | null;
  nodes: Array<Record<string, unknown> & { id: string; participated: boolean }>;
} & Record<string, unknown>;

/** One finished round of one strategy. */
export interface RoundMessage {
  type: 'round';
  strategy: string;
  /** index of the strategy in `start.strategies` */
  strategyIndex: number;
  round: JsonRound;
  /** the round's timeline, one entry per node in scenario order; phases tile [startMs, endMs] */
  timeline: Array<{ node: string; phases: TimelinePhase[] }>;
}

/**
 * The whole run ended. `json` is the whole report text, byte-identical to
 * `dtrain simulate <file> --backend wasm --json out.json` of the same scenario (offer it as a
 * download named `fileName`).
 */
export interface DoneMessage {
  type: 'done';
  json: string;
  /** `<scenario name>.json` */
  fileName: string;
}

/**
 * The run could not start or stopped with an error (a diverged run, a scenario that cannot be
 * run here). `message` is the text the CLI prints (without `error: `). The rounds already sent
 * stay valid; `json` is the report of the finished rounds when there are any (a diverged run's
 * JSON, as the CLI writes it).
 */
export interface FailedMessage {
  type: 'failed';
  message: string;
  finishedRounds: number;
  json?: string;
  fileName?: string;
}

/**
 * Every change of the run's state, sent when it has happened: `paused` when the run has
 * stopped at a round boundary (no `round` message follows it until `resume` or `step`).
 */
export interface StateMessage {
  type: 'state';
  state: 'idle' | 'running' | 'paused' | 'done' | 'failed';
}

/** The answer to `explain`: the text, or what is wrong with the request in `error`. */
export interface ExplainAnswer {
  type: 'explain';
  requestId: number;
  text: string;
  error?: string;
}

/** Something went wrong in the worker outside a run (it should not happen: a bug to report). */
export interface WorkerErrorMessage {
  type: 'error';
  message: string;
}

export type FromWorker =
  | ReadyMessage | IssuesMessage | EstimateMessage | StartMessage | RoundMessage | DoneMessage | FailedMessage
  | StateMessage | ExplainAnswer | WorkerErrorMessage;

/**
 * The longest URL Chromium opens (url::kMaxURLChars, 2 MiB of characters): a share link
 * longer than this is aborted (net::ERR_ABORTED), so neither the page's Copy link nor
 * `dtrain playground FILE` hands one out.
 */
export const MAX_LINK_CHARS = 2 * 1024 * 1024;

/** Why a share link of this many characters cannot be used, or null when it can. */
export function linkTooLong(chars: number): string | null {
  if (chars <= MAX_LINK_CHARS) return null;
  return `the link would be ${chars.toLocaleString('en-US')} characters, over the ${MAX_LINK_CHARS.toLocaleString('en-US')} a Chromium browser opens`;
}
