/**
 * `dtrain sweep scenario.yaml --set path=values … --out DIR` (issue 5): the cartesian grid of
 * the `--set` axes × strategies, run on worker threads, one JSON report per run, then
 * `summary.csv` and a table of means and paired differences with 95 % intervals. Every grid
 * point is validated first: a bad `--set` stops the sweep before anything is written (exit 2).
 * Runs whose report is already in DIR are skipped, so re-running an interrupted sweep resumes it.
 */
import { mkdirSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { type Command, Option } from 'commander';
import { DtrainError, ScenarioError } from '../errors.js';
import type { BackendPreference, EngineName } from '../index.js';
import { OutputWriter, writeFileAtomic, type OutputTarget } from '../output-file.js';
import { formatAccuracy } from '../report/format.js';
import { TOOL_NAME } from '../report/json.js';
import { resolveStrategyNames } from '../scenario/load.js';
import { fileProblem, readTextFileLimited, withNearFile } from '../node/read-file.js';
import { MAX_SCENARIO_BYTES, nearFileHint } from '../scenario/text-file.js';
import { readStoredRun } from '../sweep/directory.js';
import { planSweepSteps, type SweepPlan } from '../sweep/grid.js';
import { makeManifest, MANIFEST_FILE, manifestJsonSteps, type ManifestRun, type SweepManifest } from '../sweep/manifest.js';
import { runGridOnPool } from './pool-runs.js';
import { reportCheckNoteSteps } from './stage-copy.js';
import { largestCluster, limitHeapGrowth, poolEstimateBytes } from './heap-growth.js';
import { readScenarioSource, resolvePoint } from '../sweep/resolve-point.js';
import { parseSetArgs } from '../sweep/set-spec.js';
import { inShard, parseShard, type Shard } from '../sweep/shard.js';
import { SUMMARY_FILE, summaryCsv, type SweepRow } from '../sweep/summary-csv.js';
import { renderSweepSummary, type SweepSummaryOptions } from '../sweep/summary-table.js';
import { checkBaseline } from '../sweep/baseline.js';
import { VERSION } from '../version.js';
import { addLimitOptions, gridLimitSteps, type LimitFlags, workersWithinBudget } from '../limits/options.js';
import { checkResumable } from '../sweep/resume-check.js';
import { escapeForTerminal } from '../text/terminal-escape.js';
import type { StageRegistry } from '../pipeline/stage-registry.js';
import { positiveInt, strategyList } from './options.js';
import { addPluginOption, commandRegistry, pluginInputs, type PluginFlags } from './plugin-option.js';
import { OutputPlan, scenarioInputs, type InputFile } from './output-plan.js';
import { eachInSteps, howFar, installPlanStop, onePiece, type PlanStop } from './plan-stop.js';
import { runSteps, type Steps } from '../train/steps.js';

interface SweepFlags extends LimitFlags, PluginFlags {
  set: string[];
  strategy?: string[];
  jobs?: number;
  out: string;
  shard?: Shard;
  baseline?: string;
  backend: BackendPreference;
  engine: EngineName;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** The output directory, created if missing (only after the grid is known to be valid). */
export function prepareOutDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
  } catch (error) {
    throw new DtrainError('output.unwritable', `--out ${dir}: cannot create the directory (${fileProblem(error)})`);
  }
}

/**
 * The files a sweep or merge writes into --out, checked before anything runs or is written
 * (exit 2): the directory can be created or written to, none of the files is a directory or a
 * device, none is a file the command reads. Returns each file's target.
 */
export function planOutDir(dir: string, names: readonly string[], inputs: readonly InputFile[] = [], holds?: string): Map<string, OutputTarget> {
  return runSteps(planOutDirSteps(dir, names, inputs, holds));
}

/** planOutDir in steps (two stats a file: seconds for a grid of 100,000 runs); `count.done` counts the files checked. */
export function* planOutDirSteps(dir: string, names: readonly string[], inputs: readonly InputFile[] = [], holds?: string, count?: { done: number }): Steps<Map<string, OutputTarget>> {
  const plan = new OutputPlan();
  const real = plan.directory('--out', dir, { parents: true, holds });
  const targets = new Map<string, OutputTarget>();
  yield* eachInSteps(names, (name) => targets.set(name, plan.fileIn('--out', real, dir, name)), count);
  plan.checkInputs(inputs);
  return targets;
}

/** The files a sweep (or this shard of it) writes. */
function sweepOutputNames(manifest: SweepManifest): string[] {
  const names = [MANIFEST_FILE, SUMMARY_FILE];
  for (const run of manifest.runs) if (inShard(run.index, manifest.shard)) names.push(run.report);
  return names;
}

/** summary.csv (committed with whatever else `writer` holds) and the stdout table; every row must be present. */
export function finishSweepDir(dir: string, manifest: SweepManifest, rows: SweepRow[], out: { targets: Map<string, OutputTarget>; writer?: OutputWriter }, table: SweepSummaryOptions = {}): void {
  const writer = out.writer ?? new OutputWriter();
  writer.stage(out.targets.get(SUMMARY_FILE)!, summaryCsv(manifest, rows));
  writer.commit();
  process.stdout.write(renderSweepSummary(manifest, rows, table));
  process.stderr.write(`${escapeForTerminal(join(dir, SUMMARY_FILE))}: ${rows.length} run${rows.length === 1 ? '' : 's'}\n`);
}

/**
 * The scenario, bounded and only from a regular file: a sweep runs unattended, and a FIFO or
 * `/dev/zero` in its place must be refused, not waited on or read until memory runs out.
 */
export function readScenarioText(file: string): string {
  const read = readTextFileLimited(file, MAX_SCENARIO_BYTES, { regularOnly: true });
  if (read.ok) return read.text;
  if ('line' in read) {
    throw new ScenarioError(file, [{ code: 'file.notText', file, line: read.line, column: read.column, path: '', expected: 'a scenario file in UTF-8 text', found: read.problem }]);
  }
  throw new DtrainError('scenario.notFound', `cannot read scenario file '${escapeForTerminal(file)}': ${read.problem}`, { hint: nearFileHint(withNearFile(file, read)) });
}

/** `pipeline.s1.thresholdMs=20 seed=3 · s1s4`: a run by its grid point. */
function runLabel(manifest: SweepManifest, run: Pick<ManifestRun, 'point' | 'strategy'>): string {
  const point = manifest.axes.map((axis, i) => `${axis.path}=${run.point[i]}`).join(' ');
  return escapeForTerminal(point === '' ? run.strategy : `${point} · ${run.strategy}`);
}

function progressLine(done: number, total: number, run: ManifestRun, manifest: SweepManifest, status: string): string {
  const point = manifest.axes.map((axis, i) => `${axis.path}=${run.point[i]}`).join(' ');
  const width = String(total).length;
  const label = escapeForTerminal(`${run.strategy}${point === '' ? '' : ` · ${point}`}`);
  return `[${String(done).padStart(width)}/${total}] ${label} · ${escapeForTerminal(status)}\n`;
}

/** Everything is checked before anything is written or run (exit 2 on bad input). */
async function planFromFlags(file: string, flags: SweepFlags, registry: StageRegistry, stop: PlanStop): Promise<{ plan: SweepPlan; manifest: SweepManifest; baseline?: string }> {
  const axes = parseSetArgs(flags.set ?? []);
  const source = readScenarioSource(readScenarioText(file), file);
  // the scenario's own strategies (a named stage pick) may be named by --strategy too
  const strategies = flags.strategy === undefined ? undefined : resolveStrategyNames(flags.strategy, registry, resolvePoint(source, [], registry).strategies);
  const plan = await stop.plan((progress) => planSweepSteps(source, axes, strategies, registry, progress));
  const scenario = { name: plan.runs[0]!.scenario.name, file };
  const manifest = makeManifest(plan, scenario, { name: TOOL_NAME, version: VERSION }, flags.shard ?? null);
  return { plan, manifest, ...(flags.baseline === undefined ? {} : { baseline: checkBaseline(flags.baseline, manifest.strategies, registry) }) };
}

/** The shard's runs whose complete report is already in the directory (resume); `count.done` counts the runs looked for. */
function* storedRows(dir: string, runs: readonly ManifestRun[], count: { done: number }): Steps<Map<string, SweepRow>> {
  const rows = new Map<string, SweepRow>();
  yield* eachInSteps(runs, (run) => {
    const stored = readStoredRun(dir, run);
    if (stored !== undefined) rows.set(run.key, { run, outcome: stored.outcome });
  }, count);
  return rows;
}

/** Run `todo` on workers, each writing its run's report; returns the failures. */
function runOnPool(todo: ManifestRun[], context: { plan: SweepPlan; manifest: SweepManifest; rows: Map<string, SweepRow>; total: number; jobs: number; flags: SweepFlags }): Promise<string[]> {
  const { plan, manifest, rows, total, jobs, flags } = context;
  return runGridOnPool(todo, {
    plan,
    jobs,
    flags,
    total,
    completed: () => rows.size,
    // each worker writes its run's report into the directory as the rounds finish, committed
    // once the run is done (a run's report may be too large to be one string)
    output: (run) => ({ reportFile: join(flags.out, run.report) }),
    keep: (run, { outcome }) => {
      rows.set(run.key, { run, outcome });
      return `final accuracy ${formatAccuracy(outcome.finalAccuracy)}`;
    },
    progressLine: (done, all, run, status) => progressLine(done, all, run, manifest, status),
    interrupted: () => new DtrainError('sweep.interrupted',
      `interrupted: ${rows.size} of ${total} runs are complete in ${escapeForTerminal(flags.out)}`,
      { exitCode: 130, hint: 'run the same command again to resume; complete runs are skipped' }),
  });
}

/**
 * The grid, every check on it and the runs already stored, before anything is written: a signal
 * meanwhile stops the sweep, nothing written (each loop over the runs takes turns, seconds for
 * a grid of 100,000 runs). Then sweep.json and the runs.
 */
async function sweep(file: string, flags: SweepFlags): Promise<void> {
  const registry = await commandRegistry(flags);
  const stop = installPlanStop('sweep');
  const ready = await prepareSweep(file, flags, registry, stop).finally(() => stop.dispose());
  const { plan, manifest, baseline, targets, mine, rows, todo, jobs, manifestJson } = ready;
  // no turn from here to the workers' start, whose own handler answers a signal: sweep.json is
  // complete or absent, and the same command resumes
  prepareOutDir(flags.out);
  writeFileAtomic(targets.get(MANIFEST_FILE)!, manifestJson);
  const { shard } = manifest;
  const slice = shard === null ? '' : ` (shard ${shard.index}/${shard.count} of ${manifest.runs.length})`;
  process.stderr.write(`sweep: ${mine.length} runs${slice}, ${rows.size} already complete, ${todo.length} to run on ${jobs} worker${jobs === 1 ? '' : 's'}\n`);
  const failures = await runOnPool(todo, { plan, manifest, rows, total: mine.length, jobs, flags });
  if (failures.length > 0) {
    throw new DtrainError('sweep.runsFailed', `${failures.length} of ${mine.length} runs failed; no ${SUMMARY_FILE} written\n${failures.join('\n')}`, { exitCode: 1 });
  }
  finishSweepDir(flags.out, manifest, [...rows.values()], { targets }, baseline === undefined ? {} : { baseline });
}

async function prepareSweep(file: string, flags: SweepFlags, registry: StageRegistry, stop: PlanStop) {
  const { plan, manifest, baseline } = await planFromFlags(file, flags, registry, stop);
  const out = escapeForTerminal(flags.out);
  const total = plan.runs.length;
  // each run's report is written into DIR as the rounds finish, the run keeping no node records;
  // the report is what a sweep makes, no flag to leave out
  const usage = { json: true, trace: false, streamed: true, jsonFlag: null, engine: flags.engine };
  const estimated = { done: 0 };
  const gridRuns = plan.runs.map((run) => ({ key: run.key, scenario: run.scenario, label: runLabel(manifest, run) }));
  const estimates = await stop.steps(gridLimitSteps(gridRuns, flags, usage, (done) => (estimated.done = done)),
    () => `estimating each run's memory and time ${howFar(estimated, total, 'runs estimated')}`);
  const names = sweepOutputNames(manifest);
  const checked = { done: 0 };
  const targets = await stop.steps(planOutDirSteps(flags.out, names, [...scenarioInputs(plan.runs.map((run) => run.scenario), file), ...pluginInputs(flags)], undefined, checked),
    () => `checking the files it would write in --out ${out} ${howFar(checked, names.length, 'checked')}`);
  // one piece (reading, parsing and checking one file: over a second for a grid of 100,000 runs)
  await stop.steps(onePiece(() => checkResumable(flags.out, manifest)), () => `reading the sweep.json already in --out ${out}`);
  const mine = manifest.runs.filter((run) => inShard(run.index, manifest.shard));
  const looked = { done: 0 };
  const note = await stop.steps(reportCheckNoteSteps('sweep', mine.map((run) => join(flags.out, run.report)), looked),
    () => `looking for stored reports in ${out} ${howFar(looked, mine.length, 'runs looked for')}`);
  if (note !== null) process.stderr.write(`${escapeForTerminal(note)}\n`);
  const read = { done: 0 };
  const rows = await stop.steps(storedRows(flags.out, mine, read), () => `checking the stored reports in ${out} ${howFar(read, mine.length, 'runs checked')}`);
  const todo = mine.filter((run) => !rows.has(run.key));
  const asked = Math.min(flags.jobs ?? availableParallelism(), Math.max(1, todo.length));
  // each worker holds a run: as many at once as the memory budget has room for
  const workers = workersWithinBudget(todo.map((run) => estimates.get(run.key)!), asked, flags);
  const { jobs } = workers;
  if (workers.note !== null) process.stderr.write(`sweep: ${workers.note}\n`);
  // before the workers start: V8's flags are process-wide, so this sizes every worker's heap
  limitHeapGrowth(poolEstimateBytes(todo.map((run) => estimates.get(run.key)!), jobs), largestCluster(plan.runs, todo));
  const manifestJson = `${await stop.steps(manifestJsonSteps(manifest), () => `making the text of ${MANIFEST_FILE}`)}\n`;
  return { plan, manifest, baseline, targets, mine, rows, todo, jobs, manifestJson };
}

export function registerSweep(program: Command): void {
  const command = program
    .command('sweep')
    .description('run a scenario over a grid of settings and seeds, in parallel; summary.csv and confidence intervals')
    .argument('<scenario>', 'scenario YAML file')
    .option('--set <path=values>', 'a grid axis: a dotted field path and comma-separated values or a range FROM..TO (repeatable)', collect)
    .option('-s, --strategy <names>', 'comma-separated strategies, overriding the scenario: presets (s1s4, sync-sgd, fedavg, lb-bsp, or one a plug-in defines) or stage picks batch/resources/aggregation', strategyList)
    .option('-j, --jobs <n>', 'runs in parallel, on worker threads (default: the number of cores)', positiveInt('--jobs'))
    .requiredOption('-o, --out <dir>', 'output directory: one JSON report per run, sweep.json, summary.csv')
    .option('--shard <i/n>', 'run only slice i of n of the grid (runs whose index mod n = i − 1)', parseShard)
    .option('--baseline <name>', 'paired differences of every strategy against this one (default: every pair)')
    .addOption(new Option('--backend <name>', 'TF.js backend').choices(['auto', 'wasm', 'cpu']).default('auto'))
    .addOption(new Option('--engine <name>', 'training engine').choices(['fast', 'reference']).default('fast'));
  addPluginOption(command);
  addLimitOptions(command)
    .addHelpText('after', `
Examples:
  $ dtrain sweep scenarios/quickstart.yaml --set pipeline.s1.thresholdMs=20,50,100 --set seed=1..10 \\
      --strategy s1s4,sync-sgd --out results
  $ dtrain sweep my.yaml --set seed=1..10 --strategy s1s4,lb-bsp,sync-sgd \\
      --baseline sync-sgd --out results
  $ dtrain sweep my.yaml --set model.hidden=[],[16],[32] --set seed=1..5 --jobs 4 --out results
  $ dtrain sweep my.yaml --set seed=1..100 --out part-2 --shard 2/4      # then: dtrain merge part-* --out all`)
    .action(sweep);
}
