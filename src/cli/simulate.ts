/** `dtrain simulate [scenario]` (SPEC §5): run a scenario, print the tables, write outputs. */
import { dirname, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { type Command, Option } from 'commander';
import { DtrainError, isKnownError } from '../errors.js';
import { asKnownFailure } from '../limits/out-of-memory.js';
import { limitHeapGrowth } from './heap-growth.js';
import { budgetOf, enforceEstimate, type LimitFlags, parseMaxMemory, parseMaxTime } from '../limits/options.js';
import { burstChainRefusal, checkBudget } from '../limits/budget.js';
import { describeEstimate } from '../limits/estimate-text.js';
import { datasetShape } from '../limits/dataset-shape.js';
import { estimateRun } from '../limits/estimate.js';
import type { StageRegistry } from '../pipeline/stage-registry.js';
import { divergenceHint, keptRounds } from '../run/divergence.js';
import { loadScenario } from '../node/load.js';
import { resolveStrategyNames } from '../scenario/load.js';
import type { Scenario } from '../scenario/types.js';
import { VERSION } from '../version.js';
import { addGoldenOptions, finishGoldenCheck, type GoldenFlags, prepareGoldenCheck, stageGoldenUpdate } from './check.js';
import { scenarioInputs } from './output-plan.js';
import { roundsFlag, seedFlag } from './number-flags.js';
import { addColorOptions, strategyList, useColor } from './options.js';
import { addPluginOption, commandRegistry, pluginInputs, type PluginFlags } from './plugin-option.js';
import { guardStdoutReader, planSimulateOutputs, type ReportFlags, stagedTargets, stageReports } from './report-outputs.js';
import { startProgress } from './progress.js';
import { installRoundStop, type RoundStop } from './round-stop.js';
import { runContext } from '../node/run-context.js';
import type { RunResult } from '../sim/records.js';
import { openLiveOutput, writePaced, type LiveOutput, type OutputTarget, type OutputWriter } from '../output-file.js';
import type { InsightStream } from '../insights/index.js';
import type { CsvStream } from '../report/csv.js';
import type { HtmlColumnsStream } from '../report/html/accumulate.js';
import type { JsonReportStream } from '../report/json-stream.js';
import type { NdjsonStream } from '../report/ndjson.js';
import type { RunTablesStream } from '../report/table.js';
import type { TimelineStream } from '../report/timeline.js';
import { stoppedMessage } from '../report/messages.js';

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
  /** print the pre-run estimate and stop */
  estimate?: boolean;
}

export function applyOverrides(scenario: Scenario, flags: Pick<SimulateFlags, 'seed' | 'rounds' | 'strategy'>, registry: StageRegistry): Scenario {
  return {
    ...scenario,
    ...(flags.seed === undefined ? {} : { seed: flags.seed }),
    ...(flags.rounds === undefined ? {} : { rounds: flags.rounds }),
    ...(flags.strategy === undefined ? {} : { strategies: resolveStrategyNames(flags.strategy, registry, scenario.strategies) }),
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
  /** with --estimate: the estimate was printed and nothing runs */
  estimated?: true;
}

async function simulate(file: string | undefined, flags: SimulateFlags): Promise<void> {
  try {
    const prepared = await prepare(file, flags);
    if (prepared.golden === 'stopped' || prepared.estimated === true) return;
    const writer = prepared.outputs.plan.writer();
    const golden = prepared.golden === undefined || !prepared.golden.update ? undefined : prepared.golden.target;
    const reader = guardStdoutReader(stagedTargets(prepared.outputs, [golden]));
    const stop = installRoundStop({ announce: true });
    try {
      const sinks = await openSinks(prepared, flags, writer);
      let result: RunResult;
      try {
        result = await runUntilStopped(prepared, flags, sinks, stop);
        sinks.ndjson?.stream.finish(result);
      } catch (error) {
        // a run that failed keeps the NDJSON lines of its finished rounds and ends it with the error
        endNdjsonWithError(sinks.ndjson, asKnownFailure(error));
        throw error;
      } finally {
        sinks.ndjson?.live.close();
      }
      if (result.interrupted === true && result.runs.length === 0) {
        // stopped while the data was prepared: no round ran, so no file is written (the staged
        // ones are removed); an NDJSON, written as the run goes, has its summary line
        process.exitCode = 130;
        process.stderr.write(`${stoppedMessage(result, prepared.scenario.strategies.length)}\n`);
        return;
      }
      // Files first, exit code next, terminal last: a reader that closes stdout early
      // (`dtrain simulate … | head`) ends the process at the next write (src/cli.ts), and by
      // then every output file is complete and the exit code says how the run ended.
      stop.writingOutputs();
      // the files are committed before standard output is written: a reader gone then costs only its own output
      await writeOutputs(prepared, flags, result, writer, sinks, () => reader.written());
      // a signal after the last round: the finished run's outputs are written, and the exit
      // code still says the command was stopped
      if (result.interrupted === true || stop.requested()) process.exitCode = 130;
      else if (result.diverged !== undefined) process.exitCode = 1;
      // the outputs are written: from here a signal quits at once (the CLI's own handler)
      stop.dispose();
      await printTables(prepared, flags, result, sinks);
      await reportEnding(prepared, result);
    } finally {
      stop.dispose();
      writer.abort();
      reader.dispose();
    }
  } catch (error) {
    throw asKnownFailure(error);
  }
}

/** The NDJSON's last line for a run that failed; a file that cannot take it keeps what it has. */
function endNdjsonWithError(ndjson: Sinks['ndjson'], error: unknown): void {
  if (ndjson === undefined) return;
  const failure = isKnownError(error)
    ? { code: error.code, message: error.message, exitCode: error.exitCode }
    : { message: error instanceof Error ? error.message : String(error), exitCode: 1 };
  try {
    ndjson.stream.fail(failure);
  } catch {
    // the error that stopped the run is the one to report, not this write's
  }
}

/**
 * Whether the run keeps every node's record of every round. It does not (SPEC §9: 131,072
 * nodes) unless a golden check or update reads them all at the end. Every output (the JSON,
 * NDJSON, CSV files and timeline, the tables, the insights, the HTML report's data) is built
 * as the rounds finish.
 */
function keepsNodes(prepared: Prepared): boolean {
  return prepared.golden !== undefined;
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
    ...pluginInputs(flags),
    ...(golden === undefined || golden.update ? [] : [{ what: 'the golden file', path: resolve(golden.path) }]),
  ]);
  // a golden check or update builds the run's whole JSON report, as one string, to compare it
  // or write it: named by --expect in a refusal, since leaving out --json would not help
  const usage = {
    json: outputs.json !== undefined || golden !== undefined, trace: flags.trace === true,
    report: flags.report !== undefined, timeline: flags.timeline !== undefined, csv: flags.csv !== undefined,
    streamed: !keepsNodes(prepared),
    jsonFlag: golden === undefined ? '--json' : '--expect',
    goldenCheck: golden !== undefined && !golden.update,
    tables: flags.quiet !== true,
    engine: flags.engine,
  };
  const estimate = estimateRun(scenario, datasetShape(scenario.data.dataset), usage);
  if (flags.estimate === true) {
    const budget = budgetOf(flags);
    // a run that cannot finish is refused with --no-limits too
    const cannot = flags.limits ? null : burstChainRefusal(estimate, true);
    const verdict = flags.limits ? { budget, refusal: checkBudget(estimate, budget) } : cannot === null ? null : { budget: null, refusal: cannot };
    const run = { name: scenario.name, nodes: scenario.cluster.nodes.length, rounds: scenario.rounds, strategies: scenario.strategies.length };
    process.stdout.write(describeEstimate(estimate, run, verdict));
    if (verdict?.refusal) throw verdict.refusal;
    return { ...prepared, estimated: true };
  }
  const note = enforceEstimate(estimate, flags);
  if (note !== null) process.stderr.write(`${note}\n`);
  limitHeapGrowth(estimate.memoryBytes, scenario.cluster.nodes.length);
  return prepared;
}

/**
 * What is built as the rounds finish, each fed every round's full record once (SPEC §9): the
 * JSON (staged in `writer`, committed with the other outputs), the NDJSON (written in place),
 * the round tables, the insights and the HTML report's per-node data.
 */
interface Sinks {
  retainNodes: boolean;
  json?: JsonReportStream;
  /** nodes.csv streamed as the JSON is; rounds.csv staged from it at the end */
  csv?: { stream: CsvStream; rounds: OutputTarget };
  timeline?: TimelineStream;
  ndjson?: { stream: NdjsonStream; live: LiveOutput };
  tables?: RunTablesStream;
  insights?: InsightStream;
  html?: HtmlColumnsStream;
}

async function openSinks(prepared: Prepared, flags: SimulateFlags, writer: OutputWriter): Promise<Sinks> {
  const { outputs, scenario } = prepared;
  const retainNodes = keepsNodes(prepared);
  const sinks: Sinks = { retainNodes };
  const quiet = flags.quiet === true;
  const timing = flags.timing === true;
  if (outputs.json !== undefined || outputs.ndjson !== undefined) {
    const { scenarioHash } = await import('../golden/scenario-hash.js');
    const options = { version: VERSION, trace: flags.trace === true, timing, scenarioHash: scenarioHash(scenario), run: runContext(flags) };
    if (outputs.json !== undefined) {
      const { JsonReportStream } = await import('../report/json-stream.js');
      sinks.json = new JsonReportStream(scenario, options, writer.stream(outputs.json));
    }
    if (outputs.ndjson !== undefined) {
      const { NdjsonStream } = await import('../report/ndjson.js');
      const live = openLiveOutput(outputs.ndjson);
      sinks.ndjson = { stream: new NdjsonStream(scenario, options, (text) => live.write(text)), live };
    }
  }
  if (outputs.csv !== undefined) {
    const { CsvStream, NODES_CSV, ROUNDS_CSV } = await import('../report/csv.js');
    writer.ensureDir(outputs.csv.dir, outputs.csv.label);
    sinks.csv = { stream: new CsvStream(writer.stream(outputs.csv.files.get(NODES_CSV)!)), rounds: outputs.csv.files.get(ROUNDS_CSV)! };
  }
  if (outputs.timeline !== undefined) {
    const { TimelineStream } = await import('../report/timeline.js');
    sinks.timeline = new TimelineStream(scenario, { version: VERSION }, writer.stream(outputs.timeline));
  }
  if (!quiet) {
    const { RunTablesStream } = await import('../report/table.js');
    const { SpooledBlocks } = await import('../node/text-spool.js');
    sinks.tables = new RunTablesStream({ color: useColor(flags), quiet }, new SpooledBlocks());
  }
  if (!retainNodes && !quiet && flags.insights !== false) {
    const { InsightStream } = await import('../insights/index.js');
    sinks.insights = new InsightStream(scenario);
  }
  if (!retainNodes && outputs.report !== undefined) {
    const { HtmlColumnsStream } = await import('../report/html/accumulate.js');
    sinks.html = new HtmlColumnsStream(scenario);
  }
  return sinks;
}

/** The run, stopped at a round boundary by the first SIGINT / SIGTERM while it trains. */
async function runUntilStopped({ scenario, registry }: Prepared, flags: SimulateFlags, sinks: Sinks, stop: RoundStop): Promise<RunResult> {
  const { runScenario } = await import('../index.js');
  const progress = startProgress(scenario.rounds * scenario.strategies.length, { enabled: flags.progress !== false });
  try {
    return await runScenario(scenario, {
      backend: flags.backend,
      engine: flags.engine,
      trace: flags.trace === true,
      now: () => performance.now(),
      retainNodes: sinks.retainNodes,
      // the node events only for the outputs that read them: the HTML report, the Perfetto
      // timeline, and a golden check or update (which reads the kept records at the end)
      timelines: sinks.retainNodes || sinks.html !== undefined || sinks.timeline !== undefined,
      onSetting: (setting) => {
        sinks.html?.setting(setting);
        sinks.timeline?.setting(setting);
      },
      onRound: (record, strategy, backend) => {
        sinks.json?.round(record, strategy, backend);
        sinks.csv?.stream.round(record, strategy.name);
        sinks.timeline?.round(record, strategy.name);
        sinks.ndjson?.stream.round(record, strategy, backend);
        sinks.tables?.round(record, strategy);
        sinks.insights?.round(record, strategy);
        sinks.html?.round(record, strategy);
        progress.onRound(record, strategy);
      },
      onRunEnd: (run) => {
        sinks.json?.runEnd(run);
        sinks.timeline?.runEnd(run);
        sinks.tables?.runEnd(run);
        sinks.insights?.runEnd(run);
        sinks.html?.runEnd(run);
      },
      shouldStop: stop.atRoundBoundary,
      // a signal while the data is prepared (seconds for a large dataset) stops it at the next step
      shouldStopSetup: stop.requested,
      ...(sinks.ndjson === undefined ? {} : { waitForOutputs: sinks.ndjson.live.taken }),
      registry,
    });
  } finally {
    progress.stop();
  }
}

/** All of them or none: each output is staged to a temporary file (the JSON as the run went), then the set is committed. */
async function writeOutputs({ outputs, golden }: Prepared, flags: SimulateFlags, result: RunResult, writer: OutputWriter, sinks: Sinks, filesCommitted: () => void): Promise<void> {
  const timing = flags.timing === true;
  sinks.json?.finish(result);
  if (sinks.csv !== undefined) writer.stage(sinks.csv.rounds, sinks.csv.stream.roundsCsv());
  sinks.timeline?.finish();
  await stageReports(result, outputs, writer, { version: VERSION, timing, ...(sinks.html === undefined ? {} : { columns: sinks.html.columns() }) });
  if (golden !== undefined && golden !== 'stopped' && result.interrupted !== true && result.diverged === undefined) await stageGoldenUpdate(golden, result, writer, runContext(flags));
  // standard output at its reader's pace (`--json - | gzip`)
  await writer.commitPaced(filesCommitted);
}

async function printTables({ terminal }: Prepared, flags: SimulateFlags, result: RunResult, sinks: Sinks): Promise<void> {
  const { renderSummary } = await import('../report/table.js');
  const color = useColor(flags);
  const quiet = flags.quiet === true;
  if (!quiet && sinks.tables !== undefined) {
    await writePaced(terminal, sinks.tables.pieces(result));
    sinks.tables.dispose();
  }
  if (!quiet && flags.insights !== false) {
    const { detectInsights } = await import('../insights/index.js');
    const { renderInsights } = await import('../insights/render.js');
    const insights = sinks.insights === undefined ? detectInsights(result) : sinks.insights.insights();
    terminal.write(`${renderInsights(result, insights)}\n`);
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
    process.stderr.write(`${stoppedMessage(result, scenario.strategies.length)}\n`);
    return;
  }
  if (result.diverged !== undefined) {
    const { message, strategy, round } = result.diverged;
    const kept = keptRounds(round, 'the tables and output files');
    throw new DtrainError('run.diverged', `${strategy}: ${message} (${kept})`, { exitCode: 1, hint: divergenceHint(result.diverged) });
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
    .option('--ndjson <file>', 'write one JSON line per round as each round finishes (a header line first; a summary line last, or an error line if the run fails); - for standard output')
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
    .option('--estimate', 'print the memory and time estimate made before a run, every part of it, and stop without running (exit 2 where the run would be refused)')
    .addHelpText(
      'after',
      `
Examples:
  $ dtrain simulate                                   # the bundled quickstart
  $ dtrain simulate scenarios/straggler.yaml --strategy s1s4,sync-sgd
  $ dtrain simulate my.yaml --rounds 50 --seed 3 --json run.json --quiet
  $ dtrain simulate my.yaml --report run.html --timeline run.trace.json --csv run-csv
  $ dtrain simulate scenarios/quickstart.yaml --quiet --expect test/golden/quickstart.json
  $ dtrain simulate my.yaml --json - | jq '.runs[].summary'   # tables go to stderr
  $ dtrain simulate big.yaml --ndjson run.ndjson       # a line per round as it ends

Output files are checked before the run: none may be a file the run reads (the scenario,
its traces, its CSV dataset, the --expect golden, a --plugin) or another output. They are written
together after the run, all or none. With - (standard output) for --json, --report or
--timeline, standard output holds only that file and the tables and summary go to
standard error. Devices and named pipes (/dev/null, a FIFO) are written in place.
--ndjson is the exception to all or none: its lines are written as the rounds
finish, so a run stopped by Ctrl-C or a crash keeps every round that finished.`,
    )
    .action(simulate);
  addPluginOption(command);
  addColorOptions(command);
  addGoldenOptions(command, true);
}
