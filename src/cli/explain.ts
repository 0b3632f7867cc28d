/**
 * `dtrain explain [scenario] [--round R] [--node ID] [--strategy S]` (issue 4 item 2): runs
 * the scenario up to round R with one strategy (the scenario's first by default), keeping
 * the raw S1 samples, and prints every decision of round R in words. Without --round it
 * runs every round and prints the rounds where something notable happened.
 */
import { type Command, Option } from 'commander';
import { loadScenario } from '../scenario/load.js';
import { checkNode, checkRound, selectStrategy } from '../explain/select.js';
import { nonNegativeInt, positiveInt } from './options.js';
import { startProgress } from './progress.js';
import { DEFAULT_SCENARIO } from './simulate.js';

interface ExplainFlags {
  round?: number;
  node?: string;
  strategy?: string;
  seed?: number;
  backend: 'auto' | 'wasm' | 'cpu';
  engine: 'fast' | 'reference';
}

async function explain(file: string | undefined, flags: ExplainFlags): Promise<void> {
  const loaded = await loadScenario(file ?? DEFAULT_SCENARIO);
  const scenario = flags.seed === undefined ? loaded : { ...loaded, seed: flags.seed };
  const strategy = selectStrategy(scenario, flags.strategy);
  if (flags.round !== undefined) checkRound(scenario, flags.round);
  if (flags.node !== undefined) checkNode(scenario, flags.node);

  // A round's records never depend on later rounds, so running only up to R is exact.
  const rounds = flags.round ?? scenario.rounds;
  const { runScenario } = await import('../index.js');
  const progress = startProgress(rounds);
  let run;
  try {
    const result = await runScenario({ ...scenario, rounds, strategies: [strategy] }, {
      backend: flags.backend, engine: flags.engine, trace: true, onRound: progress.onRound,
    });
    run = result.runs[0]!;
  } finally {
    progress.stop();
  }

  if (flags.round === undefined) {
    const { explainNotable } = await import('../explain/notable.js');
    process.stdout.write(explainNotable({ scenario, run, scenarioArg: file ?? '', strategyArg: flags.strategy }));
    return;
  }
  const { buildExplainContext } = await import('../explain/context.js');
  const { explainRound } = await import('../explain/round.js');
  process.stdout.write(explainRound({
    scenario, run, round: flags.round, nodeId: flags.node, context: buildExplainContext(scenario),
  }));
}

export function registerExplain(program: Command): void {
  program
    .command('explain')
    .description('explain every decision of one round (S1 efficiency → S2 batch → S3 threads/queue → timeline → S4 weights) in words')
    .argument('[scenario]', 'scenario YAML file (default: the bundled scenarios/quickstart.yaml)')
    .option('-r, --round <n>', 'the round to explain (without it: list the rounds where something notable happened)', positiveInt('--round'))
    .option('-n, --node <id>', 'explain only this node (round-level lines such as P_ref stay)')
    .option('-s, --strategy <name>', "the strategy to explain (default: the scenario's first)")
    .option('--seed <n>', 'random seed, overriding the scenario', nonNegativeInt('--seed'))
    .addOption(new Option('--backend <name>', 'TF.js backend').choices(['auto', 'wasm', 'cpu']).default('auto'))
    .addOption(new Option('--engine <name>', 'training engine').choices(['fast', 'reference']).default('fast'))
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
