/**
 * The playground's simulator: answers the page's messages (src/browser/protocol.ts) with the
 * real core on a host (src/browser/host.ts in the worker; tests hand it the same host over
 * the repository's files). It holds at most one run. The pause / step / speed / reset controls
 * act at round boundaries: the run loop awaits the host's `yieldTurn` before every round, and
 * this session's turn waits there while paused, paced or stepping.
 */
import { DtrainError, formatIssue, isKnownError, ScenarioError, type Issue } from '../errors.js';
import type { Host } from '../host.js';
import { checkBudget, formatSeconds } from '../limits/budget.js';
import { datasetShape } from '../limits/dataset-shape.js';
import { estimateRun } from '../limits/estimate.js';
import type { StageRegistry } from '../pipeline/stage-registry.js';
import { createStageRegistry } from '../pipeline/stages/builtin.js';
import { roundToJson, toJsonReport, type RunContext } from '../report/json.js';
import { settingTransferTimes } from '../report/round-phases.js';
import { scenarioHash } from '../golden/scenario-hash.js';
import { divergenceHint, keptRounds } from '../run/divergence.js';
import { runScenarioOn } from '../run/run-scenario.js';
import { runSettingOf } from '../run/setting.js';
import { parseScenarioText, resolveStrategyNames, type ScenarioTextOptions } from '../scenario/load.js';
import { formatBytes } from '../scenario/text-file.js';
import type { Scenario } from '../scenario/types.js';
import type { RoundRecord, RunSetting, StrategyRun } from '../sim/records.js';
import { BROWSER_BASE, TIME_ASSUMPTION } from './browser-estimate.js';
import { folderOf } from './host.js';
import { roundTimeline } from './round-timeline.js';
import {
  bundledScenarioFile, type BundledScenario, type FromWorker, type JsonRound, type PlaygroundIssue, type RunMessage, type ScenarioSummary, type ToWorker,
} from './protocol.js';

/** What the JSON's `tool` and `run` blocks say about the program (the CLI's values, see docs/playground.md). */
export interface SessionMeta {
  version: string;
  /** the Node.js version the CLI would write (the page's build records the one that built it) */
  node: string;
  tfjs: string;
}

/**
 * A tab shares the machine with the page: runs estimated above these need a confirmation
 * (the CLI's budget is 4 GiB and an hour; a browser tab gets far less of either).
 */
export const PLAYGROUND_BUDGET = { memoryBytes: 1024 ** 3, seconds: 120 };

export interface SessionOptions {
  /** the host the core runs on; its yieldTurn is awaited before the session's own turn */
  host: Host;
  post: (message: FromWorker) => void;
  meta: SessionMeta;
  /** the bundled scenarios (for the default file name of an unedited one) */
  scenarios: readonly BundledScenario[];
  /** the TF.js backend to ask for (the playground's is `wasm`) */
  backend: 'wasm' | 'cpu';
  /** a clock in ms (performance.now); pacing uses it */
  now: () => number;
  /** wait this long (pacing); default setTimeout */
  sleep?: (ms: number) => Promise<void>;
}

/** The one run a session holds: its controls and what it has finished. */
interface ActiveRun {
  stopped: boolean;
  paused: boolean;
  /** rounds still allowed while paused (`step`) */
  steps: number;
  /** wakes the run waiting at a round boundary (paused, or in the pacing wait) */
  wake: (() => void) | null;
  /** the page was last told `paused` (sent when the run stops at a boundary, not when asked) */
  shownPaused: boolean;
  scenario: Scenario;
  file: string;
  registry: StageRegistry;
  /** strategy name → its rounds so far (node records kept: explain reads them) */
  rounds: Map<string, RoundRecord[]>;
  setting: RunSetting;
  lastRoundAt: number | null;
  /** ended: done, failed or diverged (its rounds stay explainable until the next run or reset) */
  ended: boolean;
}

/**
 * What explain and the timeline need of the run's setting, known before the run starts:
 * the same figures runScenarioOn works out (run-scenario.ts runSetting). Explain reads no
 * sample counts, and they need the data split, so they are left empty.
 */
export function settingOf(scenario: Scenario): RunSetting {
  return runSettingOf(scenario, datasetShape(scenario.data.dataset), []);
}

function emptySummary(): StrategyRun['summary'] {
  return { finalAccuracy: Number.NaN, bestAccuracy: Number.NaN, simulatedMs: 0, samplesTrained: 0, timeToTargetMs: null };
}

/** What the page shows of a valid scenario before it runs (protocol.ts ScenarioSummary). */
export function scenarioSummary(scenario: Scenario): ScenarioSummary {
  return {
    name: scenario.name,
    strategies: scenario.strategies.map((strategy) => strategy.name),
    rounds: scenario.rounds,
    nodeCount: scenario.cluster.nodes.length,
    targetAccuracy: scenario.targetAccuracy,
    localSteps: scenario.model.localSteps,
  };
}

/** The parse and the check in one pass: the scenario, or every located issue. */
function checkScenario(yaml: string, file: string, options: ScenarioTextOptions): { scenario: Scenario } | { issues: readonly Issue[] } {
  try {
    return { scenario: parseScenarioText(yaml, file, options) };
  } catch (error) {
    if (error instanceof ScenarioError) return { issues: error.issues };
    throw error;
  }
}

function locatedIssue(issue: Issue): PlaygroundIssue {
  const text = formatIssue(issue);
  return { line: issue.line, column: issue.column, field: issue.path, message: `expected ${issue.expected}, found ${issue.found}`, text };
}

/** The words the CLI prints after `error: `, with the hint on the next line as `hint: …`. */
export function errorText(error: unknown): string {
  if (isKnownError(error)) return error.hint === undefined ? error.message : `${error.message}\nhint: ${error.hint}`;
  return error instanceof Error ? error.message : String(error);
}

/**
 * Where relative paths in a scenario start: its folder; for a bare file name (an edited
 * scenario is `scenario.yaml`) the bundled scenarios' folder, as if it were saved beside them,
 * so an edited trace-replay still finds `traces/bursty_loss.txt`.
 */
export function baseDirOf(file: string): string {
  const folder = folderOf(file);
  return folder === '.' ? 'scenarios' : folder;
}

export interface Session {
  handle(message: ToWorker): void;
  /** the `run` message's work, awaitable (tests) */
  run(message: RunMessage): Promise<void>;
  /** the `explain` message's work, awaitable (tests) */
  explain(requestId: number, strategy: string, node: string | null | undefined, round: number): Promise<void>;
}

export function createSession(options: SessionOptions): Session {
  const { post, host } = options;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((done) => setTimeout(done, ms)));
  let roundsPerSecond: number | null = null;
  /** the run going on, or the last one that ended (explainable) */
  let current: ActiveRun | null = null;
  /** the built-in stages, for checks as the user types (a run makes its own, as the CLI does) */
  const validateRegistry = createStageRegistry();

  const fileFor = (yaml: string, file: string | undefined): string => {
    if (file !== undefined && file !== '') return file;
    const bundled = options.scenarios.find((scenario) => scenario.yaml === yaml);
    return bundled === undefined ? 'scenario.yaml' : bundledScenarioFile(bundled.name);
  };

  const setState = (state: 'idle' | 'running' | 'paused' | 'done' | 'failed'): void => post({ type: 'state', state });

  /** Waits until `run.wake` is called, or `ms` have passed when given. */
  const woken = async (run: ActiveRun, ms?: number): Promise<void> => {
    const wake = new Promise<void>((done) => { run.wake = done; });
    await (ms === undefined ? wake : Promise.race([wake, sleep(ms)]));
    run.wake = null;
  };

  /**
   * The round boundary: the pacing wait, then wait while paused (a step lets one round
   * through). The pacing comes first and Pause, Step and Reset cut it short, so a Pause
   * clicked between two paced rounds stops the run before the next one. `paused` is sent
   * here, when the run has stopped: after the `round` message of the round that was under
   * way when Pause arrived, never before it.
   */
  const turn = async (run: ActiveRun): Promise<void> => {
    await host.yieldTurn();
    if (roundsPerSecond !== null && run.lastRoundAt !== null && !run.stopped && !run.paused) {
      const wait = run.lastRoundAt + 1000 / roundsPerSecond - options.now();
      if (wait > 0) await woken(run, wait);
    }
    while (!run.stopped && run.paused && run.steps === 0) {
      if (!run.shownPaused) {
        run.shownPaused = true;
        setState('paused');
      }
      await woken(run);
    }
    if (run.steps > 0) run.steps -= 1;
  };

  /** The run in progress (not one that ended), if any. */
  const live = (): ActiveRun | null => (current !== null && !current.ended && !current.stopped ? current : null);

  const stopCurrent = (): void => {
    if (current === null) return;
    current.stopped = true;
    current.wake?.();
    current = null;
  };

  /** `dtrain validate`'s check, answered with the issues or, when valid, what the parse found. */
  const validate = (yaml: string, file: string, requestId: number, registry: StageRegistry): Scenario | null => {
    const checked = checkScenario(yaml, file, { host, baseDir: baseDirOf(file), registry });
    if ('issues' in checked) {
      post({ type: 'issues', requestId, issues: checked.issues.map(locatedIssue) });
      return null;
    }
    post({ type: 'issues', requestId, issues: [], scenario: scenarioSummary(checked.scenario) });
    return checked.scenario;
  };

  /**
   * The estimate in words; needsConfirm when it is over the playground's budget. A report too
   * large for one string cannot be made here at all: that is the refusal, thrown.
   */
  const estimate = (scenario: Scenario): { text: string; needsConfirm: boolean } => {
    const estimated = estimateRun(scenario, datasetShape(scenario.data.dataset), { json: true, trace: true, base: BROWSER_BASE });
    const over = checkBudget(estimated, PLAYGROUND_BUDGET);
    // a node whose rounds overflow leaves the estimate without bound (the budget says which node)
    const compute = Number.isFinite(estimated.seconds) ? `${formatSeconds(estimated.seconds)} of compute` : 'compute without bound';
    const memory = Number.isFinite(estimated.memoryBytes) ? `${formatBytes(estimated.memoryBytes)} of memory` : 'memory without bound';
    const summary = `estimated ${compute} and ${memory}`;
    if (over === null) return { text: summary, needsConfirm: false };
    if (over.code === 'limits.jsonTooLarge') throw new DtrainError(over.code, over.message, { hint: 'run fewer rounds or nodes' });
    return { text: `${over.message}\n${summary}; ${TIME_ASSUMPTION}.\nRun it anyway?`, needsConfirm: true };
  };

  const run = async (message: RunMessage): Promise<void> => {
    stopCurrent();
    const file = fileFor(message.yaml, message.file);
    const registry = createStageRegistry();
    let scenario: Scenario;
    try {
      const parsed = validate(message.yaml, file, -1, registry);
      if (parsed === null) return;
      scenario = parsed;
      if (message.strategies !== undefined) scenario = { ...scenario, strategies: resolveStrategyNames(message.strategies, registry) };
    } catch (error) {
      post({ type: 'failed', message: errorText(error), finishedRounds: 0 });
      setState('failed');
      return;
    }
    let sized: { text: string; needsConfirm: boolean };
    try {
      sized = estimate(scenario);
    } catch (error) {
      post({ type: 'failed', message: errorText(error), finishedRounds: 0 });
      setState('failed');
      return;
    }
    post({ type: 'estimate', ...sized });
    if (sized.needsConfirm && message.confirmed !== true) return;

    const setting = settingOf(scenario);
    const active: ActiveRun = {
      stopped: false, paused: message.paused === true, shownPaused: message.paused === true, steps: 0, wake: null, scenario, file, registry,
      rounds: new Map(), setting, lastRoundAt: null, ended: false,
    };
    current = active;
    const strategies = scenario.strategies.map((strategy) => strategy.name);
    post({
      type: 'start', strategies, nodes: scenario.cluster.nodes.map((node) => node.id), rounds: scenario.rounds,
      scenario: { name: scenario.name, file, seed: scenario.seed }, backend: options.backend,
      targetAccuracy: scenario.targetAccuracy, localSteps: scenario.model.localSteps,
    });
    setState(active.paused ? 'paused' : 'running');
    // the CLI's run block for `dtrain simulate FILE --backend wasm [--strategy …] --json`
    const context: RunContext = {
      engine: 'fast', backend: options.backend, node: options.meta.node, tfjs: options.meta.tfjs,
      ...(message.strategies === undefined ? {} : { overrides: { strategy: message.strategies } }),
    };
    const reportOptions = { version: options.meta.version, trace: false, timing: false, scenarioHash: scenarioHash(scenario), run: context };
    // the link phase exists only behind a shared server link
    const ownTransfer = settingTransferTimes(scenario, setting);
    let finished = 0;
    const end = (state: 'done' | 'failed'): void => {
      active.ended = true;
      setState(state);
    };
    try {
      const result = await runScenarioOn({ ...host, yieldTurn: () => turn(active) }, scenario, {
        backend: options.backend,
        engine: 'fast',
        // explain reads each node's raw S1 window, as `dtrain explain` keeps it; the JSON leaves it out
        trace: true,
        // the report is built from the kept rounds, node records and all
        retainNodes: true,
        shouldStop: () => active.stopped,
        onRound: (record, strategy) => {
          if (active.stopped) return;
          finished += 1;
          active.lastRoundAt = options.now();
          let kept = active.rounds.get(strategy.name);
          if (kept === undefined) active.rounds.set(strategy.name, (kept = []));
          kept.push(record);
          post({
            type: 'round',
            strategy: strategy.name,
            strategyIndex: strategies.indexOf(strategy.name),
            round: roundToJson(record, reportOptions) as JsonRound,
            timeline: roundTimeline(record, ownTransfer),
          });
        },
      });
      if (active.stopped) return;
      const json = toJsonReport(result, reportOptions);
      const fileName = `${scenario.name}.json`;
      if (result.diverged !== undefined) {
        // the CLI's words (simulate.ts reportEnding), the kept rounds being the page's views and JSON
        const { strategy, message: what, round } = result.diverged;
        const kept = keptRounds(round, 'the views and the JSON');
        post({ type: 'failed', message: `${strategy}: ${what} (${kept})\nhint: ${divergenceHint(result.diverged)}`, finishedRounds: finished, json, fileName });
        end('failed');
        return;
      }
      post({ type: 'done', json, fileName });
      end('done');
    } catch (error) {
      if (active.stopped) return;
      post({ type: 'failed', message: errorText(error), finishedRounds: finished });
      end('failed');
    }
  };

  const explain = async (requestId: number, strategyName: string, nodeId: string | null | undefined, round: number): Promise<void> => {
    const held = current;
    try {
      if (held === null) throw new DtrainError('playground.noRun', 'no run to explain yet: run the scenario first');
      const { selectStrategy, checkNode, checkRound } = await import('../explain/select.js');
      const strategy = selectStrategy(held.scenario, strategyName, held.registry);
      checkRound(held.scenario, round);
      if (nodeId !== undefined && nodeId !== null) checkNode(held.scenario, nodeId);
      const rounds = held.rounds.get(strategy.name) ?? [];
      if (rounds.length < round) throw new DtrainError('playground.roundNotRun', `round ${round} of ${strategy.name} has not finished`);
      const run: StrategyRun = { strategy, backend: options.backend, rounds: rounds.slice(0, round), summary: emptySummary() };
      const { explainKeptRound } = await import('../explain/round.js');
      const text = explainKeptRound({
        scenario: held.scenario, run, round, ...(nodeId === undefined || nodeId === null ? {} : { nodeId }), context: held.setting,
        stages: held.registry.resolve(strategy),
      });
      post({ type: 'explain', requestId, text });
    } catch (error) {
      post({ type: 'explain', requestId, text: '', error: errorText(error) });
    }
  };

  return {
    run,
    explain,
    handle(message: ToWorker): void {
      const running = live();
      switch (message.type) {
        case 'validate':
          validate(message.yaml, fileFor(message.yaml, message.file), message.requestId, validateRegistry);
          return;
        case 'run':
          void run(message);
          return;
        case 'pause':
          if (running !== null && !running.paused) {
            // said when the run has stopped (turn): the round under way finishes first
            running.paused = true;
            running.wake?.();
          }
          return;
        case 'resume':
          if (running !== null && running.paused) {
            running.paused = false;
            if (running.shownPaused) {
              running.shownPaused = false;
              setState('running');
            }
            running.wake?.();
          }
          return;
        case 'step':
          if (running !== null) {
            // one round more, then `paused` once the run has stopped after it
            running.paused = true;
            running.steps += 1;
            running.wake?.();
          }
          return;
        case 'reset':
          stopCurrent();
          setState('idle');
          return;
        case 'speed':
          roundsPerSecond = message.roundsPerSecond !== null && message.roundsPerSecond > 0 ? message.roundsPerSecond : null;
          return;
        case 'explain':
          void explain(message.requestId, message.strategy, message.node, message.round);
          return;
      }
    },
  };
}
