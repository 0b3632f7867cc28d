/**
 * `dtrain calibrate <scenario> --measure | --from steps.csv [--write]` (SPEC §8): fits the
 * time model's compute values (msPerSample, stepOverheadMs, and from a CSV parallelFraction)
 * to step times measured on this host or read from a real cluster's log, prints the fit, its
 * error on measurements it did not see and the YAML to paste; --write sets them in the
 * scenario file, changing nothing else in it (src/calibrate/yaml-edit.ts), through a
 * temporary file and a rename, after the edited file has passed validation.
 */
import { escapeForTerminal } from '../text/terminal-escape.js';
import { realpathSync, statSync, writeFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { alternate, median, meanAbsolutePercentageError } from '../calibrate/error-measures.js';
import { measuredBatchSizes } from '../calibrate/batch-sizes.js';
import { fitEntries } from '../calibrate/fit-entries.js';
import { fitLine, lineStepMs } from '../calibrate/line-fit.js';
import { nodeEntries, rowsByEntry } from '../calibrate/node-entries.js';
import { formatFromReport, formatMeasureReport } from '../calibrate/report.js';
import { entriesSetting, locate, rawClusterNodes } from '../calibrate/scenario-source.js';
import { parseStepsCsv } from '../calibrate/steps-csv.js';
import { editYamlValues, type MapEdit } from '../calibrate/yaml-edit.js';
import { DtrainError, formatIssuesCapped, type Issue } from '../errors.js';
import { parseScenarioText } from '../node/load.js';
import { readFileBounded, readTextFileLimited } from '../node/read-file.js';
import { OutputWriter, writeProblem } from '../output-file.js';
import type { StageRegistry } from '../pipeline/stage-registry.js';
import { decodeText, MAX_SCENARIO_BYTES } from '../scenario/text-file.js';
import type { Scenario } from '../scenario/types.js';
import type { BackendPreference } from '../train/backend.js';
import { estimateMeasure } from '../calibrate/measure-estimate.js';
import { checkBudget, formatSeconds, LONG_RUN_SECONDS } from '../limits/budget.js';
import { count } from '../limits/estimate.js';
import { budgetOf, parseMaxMemory, parseMaxTime, type LimitFlags } from '../limits/options.js';
import { wholeNumberFlag } from './number-flags.js';
import { addPluginOption, commandRegistry, type PluginFlags } from './plugin-option.js';

/** A steps CSV larger than this is not a log of training steps. */
const MAX_STEPS_BYTES = 64 * 1024 * 1024;
export const DEFAULT_REPETITIONS = 7;
export const MIN_REPETITIONS = 5;

interface CalibrateFlags extends PluginFlags, LimitFlags {
  measure?: boolean;
  from?: string;
  write?: boolean;
  repetitions: number;
  backend: BackendPreference;
}

interface ScenarioSource {
  file: string;
  /** the text as decoded: without the UTF-8 BOM the file may start with */
  text: string;
  /** '\ufeff' when the file starts with a BOM, which --write keeps; '' otherwise */
  bom: string;
  scenario: Scenario;
  registry: StageRegistry;
}

function problems(file: string, issues: readonly Issue[]): DtrainError {
  const noun = issues.length === 1 ? 'problem' : 'problems';
  return new DtrainError('calibrate.badSteps', `${escapeForTerminal(file)}: ${issues.length} ${noun}\n${formatIssuesCapped(issues, undefined, 'fix these and run again')}`);
}

function readScenario(file: string, registry: StageRegistry, write: boolean): ScenarioSource {
  if (write) regularTarget(file);
  // the bytes, not only the text: decoding drops a BOM that --write must put back
  const bytes = readFileBounded(file, MAX_SCENARIO_BYTES, { regularOnly: write });
  const read = bytes.ok ? decodeText(bytes.bytes) : bytes;
  if (!read.ok) {
    const at = 'line' in read ? `:${String(read.line)}:${String(read.column)}` : '';
    throw new DtrainError('calibrate.unreadable', `cannot read scenario ${escapeForTerminal(file)}${at}: ${read.problem}`);
  }
  const bom = bytes.ok && bytes.bytes[0] === 0xef && bytes.bytes[1] === 0xbb && bytes.bytes[2] === 0xbf ? '\ufeff' : '';
  return { file, text: read.text, bom, scenario: parseScenarioText(read.text, file, { registry }), registry };
}

/** The real path of a scenario file --write may replace: a regular file, never a device, pipe or directory. */
function regularTarget(file: string): { path: string; mode: number } {
  let path: string;
  let stat: ReturnType<typeof statSync>;
  try {
    path = realpathSync(file);
    stat = statSync(path);
  } catch (error) {
    // e.g. /dev/stdin fed by a pipe: /proc/self/fd/0 → pipe:[…], which is no file to replace
    throw new DtrainError('calibrate.cannotWrite', `cannot write ${escapeForTerminal(file)}: ${writeProblem(error)} (--write replaces the scenario file itself)`);
  }
  if (!stat.isFile()) throw new DtrainError('calibrate.cannotWrite', `cannot write ${escapeForTerminal(file)}: it is not a regular file (--write replaces the scenario file itself)`);
  return { path, mode: stat.mode & 0o7777 };
}

/** The edited scenario, validated, replaces the file whole (temporary file, then rename). */
function writeScenario(source: ScenarioSource, edits: readonly MapEdit[]): void {
  const text = editYamlValues(source.text, edits);
  parseScenarioText(text, source.file, { registry: source.registry });
  const target = regularTarget(source.file);
  const writer = new OutputWriter((path, content) => writeFileSync(path, content, { flag: 'wx', mode: target.mode }));
  writer.stage({ kind: 'file', path: target.path, label: escapeForTerminal(source.file) }, source.bom + text);
  writer.commit();
}

/**
 * The measurement sized as `simulate` sizes a run, against the same budget flags: a batch size
 * the host cannot hold is refused before anything is allocated, rather than swapping for
 * minutes (every size up to the scenario's standard batch is timed, so the largest decides).
 */
function withinBudget(source: ScenarioSource, sizes: readonly number[], flags: CalibrateFlags, progress: (message: string) => void): void {
  if (!flags.limits) return;
  const estimate = estimateMeasure(source.scenario, sizes, flags.repetitions);
  const largest = sizes[sizes.length - 1]!;
  const at = escapeForTerminal(locate(source.text, source.file, ['pipeline', 's2', 'standardBatch']));
  const refusal = checkBudget(estimate, budgetOf(flags), {
    subject: `timing batch sizes up to ${count(largest)} (pipeline.s2.standardBatch, ${at})`,
    smaller: 'lower pipeline.s2.standardBatch (every batch size up to it is timed)',
  });
  if (refusal !== null) throw refusal;
  if (estimate.seconds > LONG_RUN_SECONDS) progress(`measuring is estimated to take about ${formatSeconds(estimate.seconds)}`);
}

async function measure(source: ScenarioSource, flags: CalibrateFlags): Promise<void> {
  const { measureSteps } = await import('../node/measure-steps.js');
  const sizes = measuredBatchSizes(source.scenario.pipeline.s2.standardBatch);
  const progress = (message: string) => process.stderr.write(`calibrate: ${message}\n`);
  const timings = await measureSteps(source.scenario, {
    sizes,
    repetitions: flags.repetitions,
    backend: flags.backend,
    where: escapeForTerminal(locate(source.text, source.file, ['model'])),
    beforeAllocating: () => withinBudget(source, sizes, flags, progress),
    onProgress: progress,
  });
  const measured = sizes.map((batch, k) => ({ batch, repetitionsMs: timings.repetitionsMs[k]!, medianMs: median(timings.repetitionsMs[k]!) }));
  const { fit: fitPoints, heldOut } = alternate(measured);
  const fit = fitLine(fitPoints.map((p) => ({ batch: p.batch, stepMs: p.medianMs })));
  const mape = meanAbsolutePercentageError(heldOut.map((p) => p.medianMs), heldOut.map((p) => lineStepMs(fit, p.batch)));
  process.stdout.write(
    formatMeasureReport({
      scenarioFile: source.file,
      model: timings.model,
      localSteps: source.scenario.model.localSteps,
      backend: timings.backend,
      timings: measured,
      fitSizes: fitPoints.map((p) => p.batch),
      heldOutSizes: heldOut.map((p) => p.batch),
      fit,
      mape,
      overriding: entriesSetting(rawClusterNodes(source.text), ['msPerSample', 'stepOverheadMs']),
    }),
  );
  if (flags.write === true) {
    writeScenario(source, [{ path: ['cluster', 'defaults'], values: [['msPerSample', fit.msPerSample], ['stepOverheadMs', fit.stepOverheadMs]] }]);
    process.stdout.write(`\nwrote msPerSample and stepOverheadMs to cluster.defaults in ${escapeForTerminal(source.file)}\n`);
  }
}

function fromCsv(source: ScenarioSource, csvFile: string, flags: CalibrateFlags): void {
  const read = readTextFileLimited(csvFile, MAX_STEPS_BYTES, { regularOnly: true });
  if (!read.ok) {
    const at = 'line' in read ? `:${String(read.line)}:${String(read.column)}` : '';
    throw new DtrainError('calibrate.unreadable', `cannot read steps file ${escapeForTerminal(csvFile)}${at}: ${read.problem}`);
  }
  const parsed = parseStepsCsv(read.text, csvFile);
  const entries = nodeEntries(rawClusterNodes(source.text));
  const grouped = rowsByEntry(parsed.rows, entries, csvFile);
  const issues = [...parsed.issues, ...(grouped.ok ? [] : grouped.issues)].sort((a, b) => a.line - b.line || a.column - b.column);
  if (issues.length > 0 || !grouped.ok) throw problems(csvFile, issues);
  const fitted = fitEntries(grouped.rows, csvFile);
  if (!fitted.ok) throw problems(csvFile, fitted.issues);
  process.stdout.write(
    formatFromReport({
      scenarioFile: source.file,
      csvFile,
      rows: parsed.rows.length,
      fits: fitted.fits,
      untouched: entries.filter((entry) => !grouped.rows.has(entry)),
    }),
  );
  if (flags.write === true) {
    writeScenario(
      source,
      fitted.fits.map((f) => ({
        path: ['cluster', 'nodes', f.entry.index],
        values: [['msPerSample', f.fit.msPerSample], ['parallelFraction', f.fit.parallelFraction], ['stepOverheadMs', f.fit.stepOverheadMs]],
      })),
    );
    process.stdout.write(`\nwrote msPerSample, parallelFraction and stepOverheadMs to ${fitted.fits.length} node ${fitted.fits.length === 1 ? 'entry' : 'entries'} in ${escapeForTerminal(source.file)}\n`);
  }
}

async function calibrate(file: string, flags: CalibrateFlags): Promise<void> {
  if ((flags.measure === true) === (flags.from !== undefined)) {
    throw new DtrainError('calibrate.usage', 'give either --measure (time the model on this host) or --from FILE (a CSV of measured steps), not both and not neither');
  }
  const registry = await commandRegistry(flags);
  const source = readScenario(file, registry, flags.write === true);
  if (flags.measure === true) await measure(source, flags);
  else fromCsv(source, flags.from!, flags);
}

export function registerCalibrate(program: Command): void {
  const command = program
    .command('calibrate')
    .description("fit the scenario's compute values (msPerSample, stepOverheadMs, parallelFraction) to step times measured on this host or on a real cluster")
    .argument('<scenario>', 'scenario YAML file')
    .option('--measure', "time the scenario's model on this host at 6 or more batch sizes and fit msPerSample and stepOverheadMs")
    .option('--from <csv>', 'fit msPerSample, parallelFraction and stepOverheadMs per node entry to a CSV of measured steps (header node,batch,threads,stepMs)')
    .option('--write', 'set the fitted values in the scenario file (cluster.defaults, or each node entry with --from), keeping everything else')
    .option('--repetitions <n>', `timed repetitions per batch size with --measure (≥ ${MIN_REPETITIONS})`, wholeNumberFlag('--repetitions', { min: MIN_REPETITIONS, max: 1000 }), DEFAULT_REPETITIONS)
    .addOption(new Option('--backend <name>', 'TF.js backend for --measure').choices(['auto', 'wasm', 'cpu']).default('auto'))
    .option('--max-memory <size>', 'memory budget for --measure, estimated before it starts (default 4GiB)', parseMaxMemory)
    .option('--max-time <duration>', 'host-time budget for --measure, estimated before it starts (default 1h)', parseMaxTime)
    .option('--no-limits', "skip --measure's memory and time estimate")
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  $ dtrain calibrate scenarios/quickstart.yaml --measure',
        '  $ dtrain calibrate my-cluster.yaml --from steps.csv --write',
        '',
        'See docs/calibrate.md.',
      ].join('\n'),
    )
    .action(calibrate);
  addPluginOption(command);
}
