/**
 * `dtrain study <scenario> --seeds 1..20 --strategy a,b,c --baseline c --out DIR`: every
 * strategy on every seed (the sweep's grid with a seed axis, run on its worker pool), a compact
 * record per run in DIR, then per strategy the mean and 95 % interval of each metric and, paired
 * per seed, each strategy against the baseline with Holm-adjusted p-values and a verdict.
 * Everything is checked before anything runs or is written (exit 2). Runs whose record is
 * already in DIR are skipped (resume); `--shard i/n` runs a slice, `dtrain merge` joins them.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { type Command, Option } from 'commander';
import { DtrainError } from '../errors.js';
import type { BackendPreference, EngineName } from '../index.js';
import { OutputWriter, writeFileAtomic, type OutputTarget } from '../output-file.js';
import type { StageRegistry, StrategySpec } from '../pipeline/stage-registry.js';
import { TOOL_NAME } from '../report/json.js';
import { resolveStrategyNames } from '../scenario/load.js';
import { addBaselineHint } from '../sweep/baseline.js';
import { planSweepSteps, type SweepPlan } from '../sweep/grid.js';
import { makeManifest, type ManifestRun } from '../sweep/manifest.js';
import { runGridOnPool } from './pool-runs.js';
import { largestCluster, limitHeapGrowth, poolEstimateBytes } from './heap-growth.js';
import { readScenarioSource, resolvePoint } from '../sweep/resolve-point.js';
import { parseSetArgs } from '../sweep/set-spec.js';
import { inShard, parseShard, type Shard } from '../sweep/shard.js';
import { analyzeStudy } from '../study/analyze.js';
import { parseSeeds, parseTarget } from '../study/flags.js';
import { fullReportName, sameStudy, STUDY_MANIFEST_FILE, studyManifestTextSteps, type StoreMode, type StudyManifest } from '../study/manifest.js';
import { STUDY_RESULTS_FILE, STUDY_SUMMARY_FILE, studyResultsJson, studySummaryCsv } from '../study/outputs.js';
import { recordText, studyRecord, type StudyRecord } from '../study/record.js';
import { renderStudy } from '../study/render.js';
import { inspectFullReport, readStoredRecord, readStudyManifest } from '../study/store.js';
import { addLimitOptions, gridLimitSteps, type LimitFlags, workersWithinBudget } from '../limits/options.js';
import { listNames } from '../text/shorten.js';
import { escapeForTerminal } from '../text/terminal-escape.js';
import { VERSION } from '../version.js';
import { positiveInt, strategyList } from './options.js';
import { addPluginOption, commandRegistry, pluginInputs, type PluginFlags } from './plugin-option.js';
import { OutputPlan, scenarioInputs, type InputFile } from './output-plan.js';
import { eachInSteps, howFar, installPlanStop, onePiece, type PlanStop } from './plan-stop.js';
import { runSteps, type Steps } from '../train/steps.js';
import { reportCheckNoteSteps } from './stage-copy.js';
import { prepareOutDir, readScenarioText } from './sweep.js';

interface StudyFlags extends LimitFlags, PluginFlags {
  seeds: number[];
  strategy?: string[];
  baseline?: string;
  target?: number;
  ablate?: boolean;
  jobs?: number;
  shard?: Shard;
  out: string;
  json?: string;
  report?: string;
  store: StoreMode;
  backend: BackendPreference;
  engine: EngineName;
}

/** The patent minus one stage: that stage swapped for the classic baseline's (sync-sgd's). */
const ABLATIONS = [
  { name: 's1s4-fixed-batch', stage: 'batch', to: 'fixed' },
  { name: 's1s4-fixed-resources', stage: 'resources', to: 'fixed' },
  { name: 's1s4-mean-aggregation', stage: 'aggregation', to: 'mean' },
] as const;

function withFlag(flag: string, resolve: () => StrategySpec[]): StrategySpec[] {
  try {
    return resolve();
  } catch (error) {
    if (error instanceof DtrainError) throw new DtrainError(error.code, `${flag}: ${error.message}`, { exitCode: error.exitCode, hint: error.hint });
    throw error;
  }
}

interface StudyPlan {
  plan: SweepPlan;
  manifest: StudyManifest;
}

/** Strategies, baseline, target and grid, all checked; nothing is written yet. */
async function planStudy(file: string, flags: StudyFlags, registry: StageRegistry, stop: PlanStop): Promise<StudyPlan> {
  const source = readScenarioSource(readScenarioText(file), file);
  const scenario = resolvePoint(source, [], registry);
  const strategies = flags.strategy === undefined ? [...scenario.strategies] : withFlag('--strategy', () => resolveStrategyNames(flags.strategy!, registry, scenario.strategies));
  if (flags.ablate === true) {
    const patent = registry.presetStrategy('s1s4')!;
    for (const ablation of ABLATIONS) {
      if (strategies.some((s) => s.name === ablation.name)) continue;
      strategies.push({ ...patent, [ablation.stage]: ablation.to, name: ablation.name });
    }
  }
  const names = strategies.map((s) => s.name);
  // before the baseline: with one strategy there is nothing to compare it with, whatever the baseline
  if (strategies.length < 2) {
    const other = names[0] === 'sync-sgd' ? 's1s4' : 'sync-sgd';
    const example = `--strategy ${[...names.map(escapeForTerminal), other].join(',')}`;
    if (flags.strategy !== undefined) {
      throw new DtrainError('cli.invalidArgument', `--strategy: a study compares at least two strategies (the baseline and one more), found one: ${names.map(escapeForTerminal).join(', ')}`, { hint: `name another, e.g. ${example}` });
    }
    throw new DtrainError('cli.invalidArgument', `a study compares at least two strategies (the baseline and one more); the scenario's compare lists one: ${names.map(escapeForTerminal).join(', ')}`, { hint: `name them with --strategy, e.g. ${example}` });
  }
  const baselineName = flags.baseline ?? (names.includes('sync-sgd') ? 'sync-sgd' : undefined);
  if (baselineName === undefined) {
    throw new DtrainError('cli.invalidArgument', `--baseline is required: name the strategy the others are compared with (one of ${listNames(names.map(escapeForTerminal))})`);
  }
  const [baseline] = withFlag('--baseline', () => resolveStrategyNames([baselineName], registry, strategies));
  if (!names.includes(baseline!.name)) {
    throw new DtrainError('cli.invalidArgument', `--baseline ${escapeForTerminal(baseline!.name)} is not among the strategies studied (${listNames(names.map(escapeForTerminal))})`, {
      hint: addBaselineHint(baseline!.name, names),
    });
  }
  const axes = parseSetArgs([`seed=${flags.seeds.join(',')}`]);
  const plan = await stop.plan((progress) => planSweepSteps(source, axes, strategies, registry, progress));
  const grid = makeManifest(plan, { name: scenario.name, file }, { name: TOOL_NAME, version: VERSION }, flags.shard ?? null);
  const manifest: StudyManifest = {
    studyVersion: 1,
    seeds: flags.seeds,
    baseline: baseline!.name,
    target: flags.target ?? scenario.targetAccuracy ?? null,
    ablate: flags.ablate === true,
    store: flags.store,
    grid,
  };
  return { plan, manifest };
}

/**
 * An --out that holds a sweep (its reports bear the records' file names, run for run) or
 * another study is refused: writing there would replace another result. `dtrain merge` checks
 * its --out with this too. Returns the study.json found, if any.
 */
export function checkStudyOut(dir: string, manifest: StudyManifest, hint = 'give another --out directory, or remove this one to start the study over'): StudyManifest | undefined {
  const where = `--out ${escapeForTerminal(dir)}`;
  if (existsSync(join(dir, 'sweep.json'))) {
    throw new DtrainError('study.otherDirectory', `${where} holds a sweep (sweep.json); a study's records would be mixed with it`, { hint: 'give the study its own --out directory' });
  }
  const stored = readStudyManifest(dir);
  if (stored === undefined) return undefined;
  if (!sameStudy(stored, manifest)) {
    throw new DtrainError('study.otherStudy', `${where} already holds another study (${stored.grid.runs.length} runs, baseline ${escapeForTerminal(stored.baseline)}, target ${stored.target ?? 'none'})`, { hint });
  }
  return stored;
}

/** An --out that holds another study (or another shard of this one) is refused, as a sweep's is. */
function checkStudyResumable(dir: string, manifest: StudyManifest): void {
  const stored = checkStudyOut(dir, manifest);
  if (stored === undefined) return;
  const where = `--out ${escapeForTerminal(dir)}`;
  const shardText = (s: Shard | null) => (s === null ? 'the whole study' : `shard ${s.index}/${s.count}`);
  const a = stored.grid.shard;
  const b = manifest.grid.shard;
  if ((a === null) !== (b === null) || (a !== null && b !== null && (a.index !== b.index || a.count !== b.count))) {
    throw new DtrainError('study.otherShard', `${where} holds ${shardText(a)} of this study, not ${shardText(b)}`, { hint: 'give each shard its own --out directory (then dtrain merge them)' });
  }
}

function progressLine(done: number, total: number, run: ManifestRun, status: string): string {
  const width = String(total).length;
  return `[${String(done).padStart(width)}/${total}] ${escapeForTerminal(run.strategy)} · seed ${run.seed} · ${status}\n`;
}

function runStudyOnPool(todo: ManifestRun[], context: { plan: SweepPlan; manifest: StudyManifest; records: Map<string, StudyRecord>; total: number; jobs: number; flags: StudyFlags }): Promise<string[]> {
  const { plan, manifest, records, total, jobs, flags } = context;
  const localSteps = new Map(plan.runs.map((run) => [run.key, run.scenario.model.localSteps]));
  return runGridOnPool(todo, {
    plan,
    jobs,
    flags,
    total,
    completed: () => records.size,
    // each worker builds the run's record as the run goes (and streams its full report into
    // --out with --store full): a run's report may be far more than one string can hold
    output: (run) => ({
      columns: { localSteps: localSteps.get(run.key)! },
      ...(manifest.store === 'full' ? { reportFile: join(flags.out, fullReportName(run.report)) } : {}),
    }),
    keep: (run, answer) => {
      if (answer.columns === undefined) return undefined;
      const record = studyRecord(run, answer.columns);
      writeFileAtomic(join(flags.out, run.report), recordText(record));
      records.set(run.key, record);
      const accuracy = record.summary.finalAccuracy;
      return `final accuracy ${accuracy === null ? '—' : accuracy.toFixed(4)}`;
    },
    progressLine,
    interrupted: () => new DtrainError('study.interrupted', `interrupted: ${records.size} of ${total} runs are complete in ${escapeForTerminal(flags.out)}`, {
      exitCode: 130, hint: 'run the same command again to resume; complete runs are skipped',
    }),
  });
}

export interface StudyOutputs {
  /** the files in --out, by name */
  targets: Map<string, OutputTarget>;
  json?: OutputTarget;
  report?: OutputTarget;
  /** where the tables go: standard error when --json or --report is standard output */
  terminal?: NodeJS.WriteStream;
}

/**
 * Every file a study (or a merge of its shards) writes, checked on one output plan before
 * anything runs: the --out directory's files, --json and --report (not a directory, not an
 * input, not one another).
 */
export function planStudyOutputs(dir: string, names: readonly string[], flags: { json?: string; report?: string }, inputs: readonly InputFile[] = []): StudyOutputs {
  return runSteps(planStudyOutputSteps(dir, names, flags, inputs));
}

/** planStudyOutputs in steps (two stats a file: seconds for a study of 100,000 runs); `count.done` counts the files checked. */
export function* planStudyOutputSteps(dir: string, names: readonly string[], flags: { json?: string; report?: string }, inputs: readonly InputFile[] = [], count?: { done: number }): Steps<StudyOutputs> {
  const plan = new OutputPlan();
  const real = plan.directory('--out', dir, {
    parents: true,
    holds: 'a study writes a folder of files (study.json, a record per run, summary.csv, study-results.json); --json - writes the whole study to standard output',
  });
  const targets = new Map<string, OutputTarget>();
  yield* eachInSteps(names, (name) => targets.set(name, plan.fileIn('--out', real, dir, name)), count);
  const outputs: StudyOutputs = { targets };
  // `-` is standard output, as for every other command's outputs; the tables then go to stderr
  if (flags.json !== undefined) outputs.json = plan.file('--json', flags.json, { dash: true });
  if (flags.report !== undefined) outputs.report = plan.file('--report', flags.report, { dash: true });
  plan.checkInputs(inputs);
  outputs.terminal = plan.usesStdout ? process.stderr : process.stdout;
  return outputs;
}

/** The analysis files in DIR (and --json, --report), committed together, and the tables on stdout. */
export async function finishStudy(dir: string, manifest: StudyManifest, records: readonly StudyRecord[], out: StudyOutputs & { writer?: OutputWriter }): Promise<void> {
  const analysis = analyzeStudy({ records, strategies: manifest.grid.strategies, baseline: manifest.baseline, target: manifest.target });
  const results = studyResultsJson(manifest, analysis, records);
  const writer = out.writer ?? new OutputWriter();
  writer.stage(out.targets.get(STUDY_SUMMARY_FILE)!, studySummaryCsv(manifest, analysis));
  writer.stage(out.targets.get(STUDY_RESULTS_FILE)!, results);
  if (out.json !== undefined) writer.stage(out.json, results);
  if (out.report !== undefined) {
    // vega is loaded only when a report is asked for
    const { renderStudyReport } = await import('../study/html-report.js');
    writer.stage(out.report, await renderStudyReport(manifest, analysis, records, VERSION));
  }
  writer.commit();
  (out.terminal ?? process.stdout).write(renderStudy({ scenario: manifest.grid.scenario.name, seeds: manifest.seeds, baseline: manifest.baseline, target: manifest.target }, analysis));
  process.stderr.write(`${escapeForTerminal(join(dir, STUDY_RESULTS_FILE))}: ${records.length} run${records.length === 1 ? '' : 's'}\n`);
}

/** The files a study (or its shard) writes into --out. */
function studyOutputNames(manifest: StudyManifest): string[] {
  const names = [STUDY_MANIFEST_FILE];
  if (manifest.grid.shard === null) names.push(STUDY_SUMMARY_FILE, STUDY_RESULTS_FILE);
  for (const run of manifest.grid.runs) {
    if (!inShard(run.index, manifest.grid.shard)) continue;
    names.push(run.report);
    if (manifest.store === 'full') names.push(fullReportName(run.report));
  }
  return names;
}

/**
 * The grid, every check on it and the records already stored, before anything is written: a
 * signal meanwhile stops the study, nothing written (each loop over the runs takes turns,
 * seconds for a study of 100,000 runs). Then study.json and the runs.
 */
async function study(file: string, flags: StudyFlags): Promise<void> {
  const registry = await commandRegistry(flags);
  const stop = installPlanStop('study');
  const ready = await prepareStudy(file, flags, registry, stop).finally(() => stop.dispose());
  const { plan, manifest, outputs, mine, records, todo, jobs, manifestJson } = ready;
  const { grid } = manifest;
  // no turn from here to the workers' start, whose own handler answers a signal: study.json is
  // complete or absent, and the same command resumes
  prepareOutDir(flags.out);
  writeFileAtomic(outputs.targets.get(STUDY_MANIFEST_FILE)!, manifestJson);
  const slice = grid.shard === null ? '' : ` (shard ${grid.shard.index}/${grid.shard.count} of ${grid.runs.length})`;
  process.stderr.write(`study: ${mine.length} runs${slice}, ${records.size} already complete, ${todo.length} to run on ${jobs} worker${jobs === 1 ? '' : 's'}\n`);
  const failures = await runStudyOnPool(todo, { plan, manifest, records, total: mine.length, jobs, flags });
  if (failures.length > 0) {
    throw new DtrainError('study.runsFailed', `${failures.length} of ${mine.length} runs failed; no analysis written\n${failures.join('\n')}`, { exitCode: 1 });
  }
  if (grid.shard !== null) {
    if (flags.json !== undefined || flags.report !== undefined) process.stderr.write('study: --json and --report are written when the shards are merged (dtrain merge … --json FILE --report FILE.html)\n');
    process.stderr.write(`study: shard ${grid.shard.index}/${grid.shard.count} complete in ${escapeForTerminal(flags.out)}; merge every shard with \`dtrain merge DIR… --out DIR\` for the analysis\n`);
    return;
  }
  const ordered = grid.runs.map((run) => records.get(run.key)!);
  await finishStudy(flags.out, manifest, ordered, outputs);
}

async function prepareStudy(file: string, flags: StudyFlags, registry: StageRegistry, stop: PlanStop) {
  const { plan, manifest } = await planStudy(file, flags, registry, stop);
  const { grid } = manifest;
  const out = escapeForTerminal(flags.out);
  const total = plan.runs.length;
  // each run's record is built as it goes (its full report, with --store full, written round by round)
  const usage = { json: manifest.store === 'full', trace: false, streamed: true, jsonFlag: '--store full', engine: flags.engine };
  const estimated = { done: 0 };
  const gridRuns = plan.runs.map((run) => ({ key: run.key, scenario: run.scenario, label: `${escapeForTerminal(run.strategy)} · seed ${run.seed}` }));
  const estimates = await stop.steps(gridLimitSteps(gridRuns, flags, usage, (done) => (estimated.done = done)),
    () => `estimating each run's memory and time ${howFar(estimated, total, 'runs estimated')}`);
  const names = studyOutputNames(manifest);
  const checked = { done: 0 };
  const outputs = await stop.steps(planStudyOutputSteps(flags.out, names, flags, [...scenarioInputs(plan.runs.map((run) => run.scenario), file), ...pluginInputs(flags)], checked),
    () => `checking the files it would write in --out ${out} ${howFar(checked, names.length, 'checked')}`);
  // one piece (reading, parsing and checking one file: over a second for a grid of 100,000 runs)
  await stop.steps(onePiece(() => checkStudyResumable(flags.out, manifest)), () => `reading the study.json already in --out ${out}`);
  const mine = grid.runs.filter((run) => inShard(run.index, grid.shard));
  if (manifest.store === 'full') {
    const looked = { done: 0 };
    const note = await stop.steps(reportCheckNoteSteps('study', mine.map((run) => join(flags.out, fullReportName(run.report))), looked),
      () => `looking for stored reports in ${out} ${howFar(looked, mine.length, 'runs looked for')}`);
    if (note !== null) process.stderr.write(`${escapeForTerminal(note)}\n`);
  }
  const read = { done: 0 };
  const records = await stop.steps(storedRecords(flags.out, manifest, mine, read), () => `checking the stored records in ${out} ${howFar(read, mine.length, 'runs checked')}`);
  const todo = mine.filter((run) => !records.has(run.key));
  const asked = Math.min(flags.jobs ?? availableParallelism(), Math.max(1, todo.length));
  // each worker holds a run: as many at once as the memory budget has room for
  const { jobs, note } = workersWithinBudget(todo.map((run) => estimates.get(run.key)!), asked, flags);
  if (note !== null) process.stderr.write(`study: ${note}\n`);
  // before the workers start: V8's flags are process-wide, so this sizes every worker's heap
  limitHeapGrowth(poolEstimateBytes(todo.map((run) => estimates.get(run.key)!), jobs), largestCluster(plan.runs, todo));
  const manifestJson = await stop.steps(studyManifestTextSteps(manifest), () => `making the text of ${STUDY_MANIFEST_FILE}`);
  return { plan, manifest, outputs, mine, records, todo, jobs, manifestJson };
}

/** The runs whose complete record (and full report, with --store full) is already in `dir`; `count.done` counts the runs looked for. */
function* storedRecords(dir: string, manifest: StudyManifest, runs: readonly ManifestRun[], count: { done: number }): Steps<Map<string, StudyRecord>> {
  const records = new Map<string, StudyRecord>();
  yield* eachInSteps(runs, (run) => {
    const stored = readStoredRecord(dir, run);
    if (stored === undefined) return;
    // a full report cut short (a disk that filled up, a copy stopped half-way) is run again, as a sweep's is
    const report = manifest.store === 'full' ? inspectFullReport(dir, run) : undefined;
    if (manifest.store === 'compact' || (report !== undefined && 'outcome' in report)) records.set(run.key, stored.record);
  }, count);
  return records;
}

export function registerStudy(program: Command): void {
  const command = program
    .command('study')
    .description('does a strategy help? every strategy on every seed, means with 95 % CIs, paired tests against a baseline')
    .argument('<scenario>', 'scenario YAML file')
    .requiredOption('--seeds <list>', 'seeds to run, e.g. 1..20 or 1,2,5 (each strategy runs on each seed)', parseSeeds)
    .option('-s, --strategy <names>', 'comma-separated strategies (default: the scenario\'s), e.g. s1s4,lb-bsp,sync-sgd', strategyList)
    .option('--baseline <name>', 'the strategy every other one is compared with (default: sync-sgd when studied)')
    .option('--target <accuracy>', 'accuracy for time to target, in (0, 1] (default: the scenario\'s targetAccuracy)', parseTarget)
    .option('--ablate', 'add the patent minus each stage: s1s4-fixed-batch, s1s4-fixed-resources, s1s4-mean-aggregation')
    .option('-j, --jobs <n>', 'runs in parallel, on worker threads (default: the number of cores)', positiveInt('--jobs'))
    .option('--shard <i/n>', 'run only slice i of n of the runs (then dtrain merge the folders)', parseShard)
    .requiredOption('-o, --out <dir>', 'output directory: study.json, one compact record per run, summary.csv, study-results.json')
    .option('--json <file>', 'also write the whole study as JSON to this file; - for standard output')
    .option('--report <file>', 'also write a self-contained HTML report: accuracy bands over seeds, paired differences, the mechanism table; - for standard output')
    .addOption(new Option('--store <what>', 'per run: compact records, or full also keeps each run\'s whole JSON report').choices(['compact', 'full']).default('compact'))
    .addOption(new Option('--backend <name>', 'TF.js backend').choices(['auto', 'wasm', 'cpu']).default('auto'))
    .addOption(new Option('--engine <name>', 'training engine').choices(['fast', 'reference']).default('fast'));
  addPluginOption(command);
  addLimitOptions(command)
    .addHelpText('after', `
Examples:
  $ dtrain study scenarios/quickstart.yaml --seeds 1..20 --strategy s1s4,lb-bsp,sync-sgd \\
      --baseline sync-sgd --out study
  $ dtrain study my.yaml --seeds 1..20 --strategy s1s4,sync-sgd --ablate --target 0.9 --out study
  $ dtrain study my.yaml --seeds 1..10 --jobs 2 --out study --report study.html
  $ dtrain study my.yaml --seeds 1..40 --shard 1/2 --out part-1   # then: dtrain merge part-* --out all`)
    .action(study);
}
