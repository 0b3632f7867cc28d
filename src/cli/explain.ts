/**
 * `dtrain explain [scenario] [--round R] [--node ID] [--strategy S]` (issue 4 item 2): runs
 * the scenario up to round R with one strategy (the scenario's first by default), keeping
 * the raw S1 samples, and prints every decision of round R in words. Without --round it
 * runs every round and prints the rounds where something notable happened.
 *
 * Like `simulate`, the run is sized first (--max-memory, --max-time, --no-limits; exit 2
 * over budget), and Ctrl-C or SIGTERM stops it at the next round boundary (exit 130).
 */
import { type Command, Option } from 'commander';
import { DtrainError } from '../errors.js';
import { addLimitOptions, enforceEstimate, type LimitFlags } from '../limits/options.js';
import { datasetShape } from '../limits/dataset-shape.js';
import { estimateRun } from '../limits/estimate.js';
import { limitHeapGrowth } from './heap-growth.js';
import { drained } from '../output-file.js';
import { asKnownFailure } from '../limits/out-of-memory.js';
import { loadScenario } from '../node/load.js';
import { checkNode, checkRound, selectStrategy } from '../explain/select.js';
import { seedFlag } from './number-flags.js';
import { positiveInt } from './options.js';
import { addPluginOption, commandRegistry, type PluginFlags } from './plugin-option.js';
import { installRoundStop } from './round-stop.js';
import { startProgress } from './progress.js';
import { DEFAULT_SCENARIO } from './simulate.js';
import { escapeLinesForTerminal } from '../text/terminal-escape.js';
import { divergenceHint } from '../run/divergence.js';
import type { Divergence, RoundRecord } from '../sim/records.js';

interface ExplainFlags extends LimitFlags, PluginFlags {
  round?: number;
  node?: string;
  strategy?: string;
  seed?: number;
  backend: 'auto' | 'wasm' | 'cpu';
  engine: 'fast' | 'reference';
  /** false with --no-progress */
  progress?: boolean;
}

async function explain(file: string | undefined, flags: ExplainFlags): Promise<void> {
  const registry = await commandRegistry(flags);
  const loaded = await loadScenario(file ?? DEFAULT_SCENARIO, { registry });
  const scenario = flags.seed === undefined ? loaded : { ...loaded, seed: flags.seed };
  const strategy = selectStrategy(scenario, flags.strategy, registry);
  if (flags.round !== undefined) checkRound(scenario, flags.round);
  if (flags.node !== undefined) checkNode(scenario, flags.node);

  // A round's records never depend on later rounds, so running only up to R is exact.
  const rounds = flags.round ?? scenario.rounds;
  const runScenarioOf = { ...scenario, rounds, strategies: [strategy] };
  // Neither a round explained nor the list of notable rounds keeps the run's node records: the
  // list reads the insights, found as the rounds finish, and a round explained its own record
  // (with its raw S1 samples) and what it reads of the rounds before it (each node's last round
  // taken part in and its latest norms), gathered as they finish (131,072 nodes: 3.4 GB and
  // 34 s for the list, over 4 GB for a round, when the run kept every record)
  const notable = flags.round === undefined;
  const insights = new (await import('../insights/index.js')).InsightStream(scenario);
  const history = notable ? null : new (await import('../explain/history.js')).HistoryStream(scenario.cluster.nodes.length, scenario.pipeline.s4.window);
  let explained: RoundRecord | undefined;
  const estimate = estimateRun(runScenarioOf, datasetShape(runScenarioOf.data.dataset), {
    json: false, trace: !notable, streamed: true, engine: flags.engine, explainRound: !notable,
  });
  enforceEstimate(estimate, flags);
  limitHeapGrowth(estimate.memoryBytes, runScenarioOf.cluster.nodes.length);
  const stop = installRoundStop({ announce: false });
  const progress = startProgress(rounds, { enabled: flags.progress !== false });
  let run;
  let setting;
  try {
    const { runScenario } = await import('../index.js');
    const result = await runScenario(runScenarioOf, {
      backend: flags.backend,
      engine: flags.engine,
      trace: !notable,
      retainNodes: false,
      working: !notable,
      timelines: !notable,
      onRunEnd: (ended) => insights.runEnd(ended),
      onRound: (record, spec) => {
        insights.round(record, spec);
        history?.round(record);
        if (record.round === flags.round) explained = record;
        progress.onRound(record, spec);
      },
      shouldStop: stop.requested,
      // a signal while the data is prepared (seconds for a large dataset) stops it at the next step
      shouldStopSetup: stop.requested,
      registry,
    });
    if (result.interrupted === true && result.runs.length === 0) {
      throw new DtrainError('explain.interrupted', 'interrupted while preparing the data; nothing explained', {
        exitCode: 130,
        hint: 'run the same command again to explain it',
      });
    }
    run = result.runs[0]!;
    setting = result.setting!;
    if (result.interrupted === true) {
      throw new DtrainError('explain.interrupted', `interrupted: stopped after round ${run.rounds.length} of ${rounds}; nothing explained`, {
        exitCode: 130,
        hint: 'run the same command again to explain it',
      });
    }
    if (result.diverged !== undefined) throw divergedError(result.diverged);
  } catch (error) {
    throw asKnownFailure(error);
  } finally {
    progress.stop();
    stop.dispose();
  }

  if (history === null) {
    const { explainNotable } = await import('../explain/notable.js');
    // names and the file name come from the scenario: shown with control and bidi characters escaped
    process.stdout.write(escapeLinesForTerminal(explainNotable({
      scenario, run, scenarioArg: file ?? '', strategyArg: flags.strategy, insights: insights.insights(),
    })));
    return;
  }
  // the run ended at round R without a stop or a divergence, so it gave round R's record
  if (explained === undefined) throw new Error(`round ${flags.round} finished without its record`);
  const { explainRoundSections } = await import('../explain/round.js');
  try {
    await writeSections(explainRoundSections({
      scenario, strategy: run.strategy, record: explained, history, insights: insights.insights(), nodeId: flags.node, context: setting,
      stages: registry.resolve(run.strategy),
    }));
  } catch (error) {
    throw asKnownFailure(error);
  }
}

/** Lines written at a time: a round of 131,072 nodes explained is 1.4 million lines, 170 MB. */
const WRITTEN_LINES = 4096;

/**
 * explainRound's text, written section by section as each is made and a few thousand lines at
 * a time, with control and bidi characters escaped (names come from the scenario). A pipe's
 * reader sets the pace: what it has not read yet is not held (a write error ends the process,
 * src/cli.ts, so a reader gone leaves no wait behind).
 */
async function writeSections(sections: ReadonlyArray<() => string[]>): Promise<void> {
  let first = true;
  for (const section of sections) {
    const lines = section();
    if (lines.length === 0) continue;
    for (let start = 0; start < lines.length; start += WRITTEN_LINES) {
      const text = `${first || start > 0 ? '' : '\n'}${escapeLinesForTerminal(lines.slice(start, start + WRITTEN_LINES).join('\n'))}\n`;
      if (!process.stdout.write(text)) await drained(process.stdout);
    }
    first = false;
  }
}

/**
 * A run that diverged has no record of its diverged round (nor of any later one) to explain:
 * exit 1, as simulate's, naming the rounds that can be.
 */
function divergedError(divergence: Divergence & { strategy: string }): DtrainError {
  const { strategy, round, message } = divergence;
  const explainable = round <= 1
    ? 'no round finished before it, so there is nothing to explain'
    : `${round === 2 ? 'round 1 finished' : `rounds 1–${round - 1} finished`} before it: explain one with --round`;
  return new DtrainError('run.diverged', `${strategy}: ${message} (${explainable})`, { exitCode: 1, hint: divergenceHint(divergence) });
}

export function registerExplain(program: Command): void {
  const command = program
    .command('explain')
    .description('explain every decision of one round (S1 efficiency → S2 batch → S3 threads/queue → timeline → S4 weights) in words')
    .argument('[scenario]', 'scenario YAML file (default: the bundled scenarios/quickstart.yaml)')
    .option('-r, --round <n>', 'the round to explain (without it: list the rounds where something notable happened)', positiveInt('--round'))
    .option('-n, --node <id>', 'explain only this node (round-level lines such as P_ref stay)')
    .option('-s, --strategy <name>', "the strategy to explain (default: the scenario's first)")
    .option('--seed <n>', 'random seed, overriding the scenario', seedFlag)
    .addOption(new Option('--backend <name>', 'TF.js backend').choices(['auto', 'wasm', 'cpu']).default('auto'))
    .addOption(new Option('--engine <name>', 'training engine').choices(['fast', 'reference']).default('fast'))
    .option('--no-progress', 'never show the progress bar (shown on a terminal when a run takes over a second)');
  addPluginOption(command);
  addLimitOptions(command)
    .addHelpText(
      'after',
      `
Examples:
  $ dtrain explain scenarios/quickstart.yaml              # which rounds are worth a look
  $ dtrain explain scenarios/quickstart.yaml --round 12   # every decision of round 12
  $ dtrain explain scenarios/quickstart.yaml --round 12 --node c --strategy sync-sgd`,
    )
    .action(explain);
}
