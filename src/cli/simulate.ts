/** `dtrain simulate [scenario]` (SPEC §5): run a scenario, print the tables, write outputs. */
import { dirname, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { type Command, Option } from 'commander';
import { DtrainError } from '../errors.js';
import { asKnownFailure } from '../limits/out-of-memory.js';
import { enforceLimits, type LimitFlags, parseMaxMemory, parseMaxTime } from '../limits/options.js';
import type { StageRegistry } from '../pipeline/stage-registry.js';
import { divergenceHint } from '../run/divergence.js';
import { loadScenario } from '../node/load.js';
import { resolveStrategyNames } from '../scenario/load.js';
import type { Scenario } from '../scenario/types.js';
import { VERSION } from '../version.js';
import { addGoldenOptions, finishGoldenCheck, type GoldenFlags, prepareGoldenCheck, stageGoldenUpdate } from './check.js';
import { scenarioInputs } from './output-plan.js';
import { roundsFlag, seedFlag } from './number-flags.js';
import { addColorOptions, strategyList, useColor } from './options.js';
import { addPluginOption, commandRegistry, type PluginFlags } from './plugin-option.js';
import { planSimulateOutputs, type ReportFlags, stageReports } from './report-outputs.js';
import { startProgress } from './progress.js';
import { installRoundStop } from './round-stop.js';
import { runContext } from '../node/run-context.js';
import type { RunResult } from '../sim/records.js';
import { escapeForTerminal } from '../text/terminal-escape.js';

const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DEFAULT_SCENARIO = resolve(PACKAGE_ROOT, 'scenarios', 'quickstart.yaml');

export interface SimulateFlags extends GoldenFlags, ReportFlags, LimitFlags, PluginFlags {
  strategy?: string[];
  rounds?: number;
  seed?: number;
  trace?: boolean;
  quiet?: boolean;
  backend: 'auto' | 'wasm' | 'cpu';
  engine: 'fast' | 'reference' | 'parallel';
  color: boolean;
  timing?: boolean;
  /** false with --no-insights */
  insights?: boolean;
  /** false with --no-progress */
  progress?: boolean;
}

export function applyOverrides(scenario: Scenario, flags: Pick<SimulateFlags, 'seed' | 'rounds' | 'strategy'>, registry: StageRegistry): Scenario {
  return {
    ...scenario,
    ...(flags.seed === undefined ? {} : { seed: flags.seed }),
    ...(flags.rounds === undefined ? {} : { rounds: flags.rounds }),
    ...(flags.strategy === undefined ? {} : { strategies: resolveStrategyNames(flags.strategy, registry) }),
  };
}

/** What a simulate command decided before it runs. */
interface Prepared {
  outputs: ReturnType<typeof planSimulateOutputs>;
  /** where the tables go: standard error when standard output holds an output (`--json -`) */
  terminal: NodeJS.WriteStream;
  registry: StageRegistry;
  scenario: Scenario;
  golden: ReturnType<typeof prepareGoldenCheck>;
}

async function simulate(file: string | undefined, flags: SimulateFlags): Promise<void> {
  try {
    const prepared = await prepare(file, flags);
    if (prepared.golden === 'stopped') return;
    const result = await runUntilStopped(prepared, flags);
    // Files first, exit code next, terminal last: a reader that closes stdout early
    // (`dtrain simulate … | head`) ends the process at the next write (src/cli.ts), and by
    // then every output file is complete and the exit code says how the run ended.
    await writeOutputs(prepared, flags, result);
    if (result.interrupted === true) process.exitCode = 130;
    else if (result.diverged !== undefined) process.exitCode = 1;
    await printTables(prepared, flags, result);
    await reportEnding(prepared, result);
  } catch (error) {
    throw asKnownFailure(error);
  }
}

/** Every output path is checked before the scenario is even read, and against it after. */
async function prepare(file: string | undefined, flags: SimulateFlags): Promise<Prepared> {
  const outputs = planSimulateOutputs(flags);
  const terminal = outputs.plan.usesStdout ? process.stderr : process.stdout;
  const registry = await commandRegistry(flags);
  const scenario = applyOverrides(await loadScenario(file ?? DEFAULT_SCENARIO, { registry }), flags, registry);
  const golden = prepareGoldenCheck(flags, scenario, { plan: outputs.plan, terminal });
  const prepared = { outputs, terminal, registry, scenario, golden };
  if (golden === 'stopped') return prepared;
  outputs.plan.checkInputs([
    ...scenarioInputs(scenario, file ?? DEFAULT_SCENARIO),
    ...(golden === undefined || golden.update ? [] : [{ what: 'the golden file', path: resolve(golden.path) }]),
  ]);
  const note = enforceLimits(scenario, flags, {
    json: outputs.json !== undefined, trace: flags.trace === true,
    report: flags.report !== undefined, timeline: flags.timeline !== undefined, csv: flags.csv !== undefined,
  });
  if (note !== null) process.stderr.write(`${note}\n`);
  return prepared;
}

/** The run, stopped at a round boundary by the first SIGINT / SIGTERM while it trains. */
async function runUntilStopped({ scenario, registry }: Prepared, flags: SimulateFlags): Promise<RunResult> {
  const { runScenario } = await import('../index.js');
  const stop = installRoundStop({ announce: true });
  const progress = startProgress(scenario.rounds * scenario.strategies.length, { enabled: flags.progress !== false });
  try {
    return await runScenario(scenario, {
      backend: flags.backend,
      engine: flags.engine,
      trace: flags.trace === true,
      now: () => performance.now(),
      onRound: progress.onRound,
      shouldStop: stop.requested,
      registry,
    });
  } finally {
    progress.stop();
    stop.dispose();
  }
}

/** All of them or none: each output is staged to a temporary file, then the set is committed. */
async function writeOutputs({ outputs, scenario, golden }: Prepared, flags: SimulateFlags, result: RunResult): Promise<void> {
  const timing = flags.timing === true;
  const writer = outputs.plan.writer();
  try {
    if (outputs.json !== undefined) {
      const { toJsonReport } = await import('../report/json.js');
      const { scenarioHash } = await import('../golden/scenario-hash.js');
      writer.stage(outputs.json, toJsonReport(result, { version: VERSION, trace: flags.trace === true, timing, scenarioHash: scenarioHash(scenario), run: runContext(flags) }));
    }
    await stageReports(result, outputs, writer, { version: VERSION, timing });
    if (golden !== undefined && golden !== 'stopped' && result.interrupted !== true && result.diverged === undefined) await stageGoldenUpdate(golden, result, writer, runContext(flags));
    writer.commit();
  } finally {
    writer.abort();
  }
}

async function printTables({ terminal }: Prepared, flags: SimulateFlags, result: RunResult): Promise<void> {
  const { renderRunTables, renderSummary } = await import('../report/table.js');
  const color = useColor(flags);
  const quiet = flags.quiet === true;
  if (!quiet) terminal.write(renderRunTables(result, { color, quiet }));
  if (!quiet && flags.insights !== false) {
    const { detectInsights } = await import('../insights/index.js');
    const { renderInsights } = await import('../insights/render.js');
    terminal.write(`${renderInsights(result, detectInsights(result))}\n`);
  }
  terminal.write(renderSummary(result, { color, quiet, timing: flags.timing === true, chart: !quiet }));
  if (!quiet && flags.insights !== false) {
    const { renderSingleSeedNote } = await import('../insights/render.js');
    const note = renderSingleSeedNote(result);
    if (note !== '') terminal.write(`\n${note}`);
  }
}

/** How the run ended, in words: interrupted, diverged (exit 1), or the golden check's verdict. */
async function reportEnding({ scenario, golden, terminal }: Prepared, result: RunResult): Promise<void> {
  if (result.interrupted === true) {
    const last = result.runs[result.runs.length - 1];
    const notStarted = scenario.strategies.length - result.runs.length;
    const later = notStarted === 0 ? '' : `; ${notStarted} later strateg${notStarted === 1 ? 'y' : 'ies'} not started`;
    const strategy = last === undefined ? 'the first strategy' : escapeForTerminal(last.strategy.name);
    process.stderr.write(`interrupted: stopped after round ${last?.rounds.length ?? 0} of ${scenario.rounds} of ${strategy}${later}; the outputs hold the finished rounds\n`);
    return;
  }
  if (result.diverged !== undefined) {
    const { message, strategy, kind, round } = result.diverged;
    const kept = round <= 1 ? 'no round finished before it' : `rounds 1–${round - 1} are kept in the tables and output files`;
    throw new DtrainError('run.diverged', `${strategy}: ${message} (${kept})`, { exitCode: 1, hint: divergenceHint(kind) });
  }
  if (golden !== undefined && golden !== 'stopped') await finishGoldenCheck(golden, result, terminal);
}

export function registerSimulate(program: Command): void {
  const command = program
    .command('simulate')
    .description('run a scenario and print per-round efficiency, batch and weight tables')
    .argument('[scenario]', 'scenario YAML file (default: the bundled scenarios/quickstart.yaml)')
    .option('-s, --strategy <names>', 'comma-separated strategies, overriding the scenario: presets (s1s4, sync-sgd, fedavg, lb-bsp, or one a plug-in defines) or stage picks batch/resources/aggregation', strategyList)
    .option('-r, --rounds <n>', 'number of rounds, overriding the scenario', roundsFlag)
    .option('--seed <n>', 'random seed, overriding the scenario', seedFlag)
    .option('--json <file>', 'write the whole run as JSON (schema version 2); - for standard output')
    .option('--trace', 'include the raw S1 latency samples (samplesMs) in the JSON')
    .option('--report <file>', 'write a self-contained HTML report with charts (works offline); - for standard output')
    .option('--timeline <file>', 'write a Trace Event Format timeline for Perfetto / chrome://tracing; - for standard output')
    .option('--csv <dir>', "write rounds.csv and nodes.csv into this directory (created if missing); text cells starting = + - @ get a ' in front (no formulas)")
    .option('-q, --quiet', 'print only the comparison summary')
    .option('--no-insights', 'do not print the insights (notable rounds and nodes) after the tables')
    .option('--no-progress', 'never show the progress bar (shown on a terminal when a run takes over a second)')
    .addOption(new Option('--backend <name>', 'TF.js backend').choices(['auto', 'wasm', 'cpu']).default('auto'))
    .addOption(new Option('--engine <name>', 'training engine (parallel: the fast engine on 2 worker threads)').choices(['fast', 'reference', 'parallel']).default('fast'))
    .option('--timing', 'report host wall-clock time (wallMs; makes output non-deterministic)')
    .option('--max-memory <size>', 'memory budget for the run estimate (default 4GiB)', parseMaxMemory)
    .option('--max-time <duration>', 'host-time budget for the run estimate (default 1h)', parseMaxTime)
    .option('--no-limits', 'skip the memory and time estimate made before a run starts')
    .addHelpText(
      'after',
      `
Examples:
  $ dtrain simulate                                   # the bundled quickstart
  $ dtrain simulate scenarios/straggler.yaml --strategy s1s4,sync-sgd
  $ dtrain simulate my.yaml --rounds 50 --seed 3 --json run.json --quiet
  $ dtrain simulate my.yaml --report run.html --timeline run.trace.json --csv run-csv
  $ dtrain simulate scenarios/quickstart.yaml --quiet --expect test/golden/quickstart.json
  $ dtrain simulate my.yaml --json - | jq .summary     # tables go to stderr with -

Output files are checked before the run: none may be a file the run reads (the scenario,
its traces, its CSV dataset, the --expect golden) or another output. They are written
together after the run, all or none. With - (standard output) for --json, --report or
--timeline, standard output holds only that file and the tables and summary go to
standard error. Devices and named pipes (/dev/null, a FIFO) are written in place.`,
    )
    .action(simulate);
  addPluginOption(command);
  addColorOptions(command);
  addGoldenOptions(command, true);
}
