/** `dtrain simulate [scenario]` (SPEC §5): run a scenario, print the tables, write outputs. */
import { dirname, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { type Command, Option } from 'commander';
import { writeFileAtomic } from '../output-file.js';
import { loadScenario, resolveStrategyNames } from '../scenario/load.js';
import type { Scenario } from '../scenario/types.js';
import { VERSION } from '../version.js';
import { checkOutputPath, nonNegativeInt, positiveInt, strategyList, useColor } from './options.js';

const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DEFAULT_SCENARIO = resolve(PACKAGE_ROOT, 'scenarios', 'quickstart.yaml');

export interface SimulateFlags {
  strategy?: string[];
  rounds?: number;
  seed?: number;
  json?: string;
  trace?: boolean;
  quiet?: boolean;
  backend: 'auto' | 'wasm' | 'cpu';
  engine: 'fast' | 'reference';
  color: boolean;
  timing?: boolean;
}

export function applyOverrides(scenario: Scenario, flags: Pick<SimulateFlags, 'seed' | 'rounds' | 'strategy'>): Scenario {
  return {
    ...scenario,
    ...(flags.seed === undefined ? {} : { seed: flags.seed }),
    ...(flags.rounds === undefined ? {} : { rounds: flags.rounds }),
    ...(flags.strategy === undefined ? {} : { strategies: resolveStrategyNames(flags.strategy) }),
  };
}

async function simulate(file: string | undefined, flags: SimulateFlags): Promise<void> {
  const jsonPath = flags.json === undefined ? undefined : checkOutputPath(flags.json, '--json');
  const scenario = applyOverrides(await loadScenario(file ?? DEFAULT_SCENARIO), flags);
  const { runScenario } = await import('../index.js');
  const result = await runScenario(scenario, {
    backend: flags.backend,
    engine: flags.engine,
    trace: flags.trace === true,
    now: () => performance.now(),
  });
  const { renderRunTables, renderSummary } = await import('../report/table.js');
  const color = useColor(flags);
  const quiet = flags.quiet === true;
  const timing = flags.timing === true;
  if (!quiet) process.stdout.write(renderRunTables(result, { color, quiet }));
  process.stdout.write(renderSummary(result, { color, quiet, timing }));
  if (jsonPath !== undefined) {
    const { toJsonReport } = await import('../report/json.js');
    writeFileAtomic(jsonPath, toJsonReport(result, { version: VERSION, trace: flags.trace === true, timing }));
  }
}

export function registerSimulate(program: Command): void {
  program
    .command('simulate')
    .description('run a scenario and print per-round efficiency, batch and weight tables')
    .argument('[scenario]', 'scenario YAML file (default: the bundled scenarios/quickstart.yaml)')
    .option('-s, --strategy <names>', 'comma-separated strategies, overriding the scenario (s1s4, sync-sgd, fedavg)', strategyList)
    .option('-r, --rounds <n>', 'number of rounds, overriding the scenario', positiveInt('--rounds'))
    .option('--seed <n>', 'random seed, overriding the scenario', nonNegativeInt('--seed'))
    .option('--json <file>', 'write the whole run as JSON (schema version 1)')
    .option('--trace', 'include the raw S1 latency samples (samplesMs) in the JSON')
    .option('-q, --quiet', 'print only the comparison summary')
    .addOption(new Option('--backend <name>', 'TF.js backend').choices(['auto', 'wasm', 'cpu']).default('auto'))
    .addOption(new Option('--engine <name>', 'training engine').choices(['fast', 'reference']).default('fast'))
    .option('--timing', 'report host wall-clock time (wallMs; makes output non-deterministic)')
    .option('--no-color', 'disable colours (also off when NO_COLOR is set or stdout is not a terminal)')
    .addHelpText(
      'after',
      `
Examples:
  $ dtrain simulate                                   # the bundled quickstart
  $ dtrain simulate scenarios/straggler.yaml --strategy s1s4,sync-sgd
  $ dtrain simulate my.yaml --rounds 50 --seed 3 --json run.json --quiet`,
    )
    .action(simulate);
}
