/**
 * Golden checks (issue 5): `dtrain check RUN.json GOLDEN.json`, and the `--expect` /
 * `--tolerance` / `--update` / `--any-backend` options that `dtrain simulate` borrows from
 * here. Exit 0: the run matches; 1: it does not (values differ, or the golden was recorded
 * for another scenario or backend — a distinct message); 2: nothing could be checked (bad
 * flag, unreadable golden, another schema version).
 */
import type { Command } from 'commander';
import { statSync } from 'node:fs';
import { DtrainError } from '../errors.js';
import { checkBudget } from '../limits/budget.js';
import { addLimitOptions, budgetOf, type LimitFlags } from '../limits/options.js';
import { estimateCheck } from '../golden/check-estimate.js';
import { checkAgainstGolden, scenarioProblem, type CheckOutcome } from '../golden/check.js';
import { describeReport, formatOutcome, noteText } from '../golden/messages.js';
import { parseReport, type Report } from '../golden/report-file.js';
import { scenarioHash } from '../golden/scenario-hash.js';
import { DEFAULT_TOLERANCES, parseTolerances, type Tolerances } from '../golden/tolerances.js';
import type { OutputTarget, OutputWriter } from '../output-file.js';
import type { RunContext } from '../report/json.js';
import { readTextFileLimited } from '../node/read-file.js';
import { MAX_REPORT_BYTES } from '../scenario/text-file.js';
import type { Scenario } from '../scenario/types.js';
import type { RunResult } from '../sim/records.js';
import { escapeForTerminal } from '../text/terminal-escape.js';
import { VERSION } from '../version.js';
import { OutputPlan } from './output-plan.js';

export interface GoldenFlags {
  expect?: string;
  tolerance?: Tolerances;
  update?: boolean;
  anyBackend?: boolean;
}

/** commander parser: repeated `--tolerance` flags accumulate on the defaults. */
function toleranceOption(value: string, previous: Tolerances | undefined): Tolerances {
  return parseTolerances(value, previous ?? { ...DEFAULT_TOLERANCES });
}

const TOLERANCE_HELP = `float tolerances, e.g. accuracy=0.01,weight=1e-6 (defaults: ${
  Object.entries(DEFAULT_TOLERANCES).map(([field, value]) => `${field}=${value.toExponential()}`).join(', ')})`;

export function addGoldenOptions(command: Command, withUpdate: boolean): Command {
  if (withUpdate) {
    command
      .option('--expect <golden>', 'compare the run with a golden JSON report; exit 1 if it differs')
      .option('--update', 'with --expect: write the run as the new golden file instead of comparing');
  }
  return command
    .option('--tolerance <field=value,...>', TOLERANCE_HELP, toleranceOption)
    .option('--any-backend', 'compare even when the golden was recorded on another backend');
}

/** Bounded, and only a regular file: `check FIFO` or `check /dev/zero` must not hang or fill memory. */
function readReportFile(path: string, what: string): Report {
  const read = readTextFileLimited(path, MAX_REPORT_BYTES, { regularOnly: true, quoteBytes: false });
  if (!read.ok) {
    if ('line' in read) throw new DtrainError('golden.unreadable', `${path} is not a dtrain JSON report: ${read.problem} at line ${read.line}, column ${read.column}`);
    const hint = what === 'golden file' && read.problem === 'no such file' ? `record it with: dtrain simulate SCENARIO --expect ${path} --update`
      // a whole report over the limit cannot be one string: the check compares whole reports
      : 'tooLarge' in read && read.tooLarge === true ? 'a golden check compares whole reports, each one string: compare runs of fewer rounds or nodes' : undefined;
    throw new DtrainError('golden.notFound', `cannot read ${what} '${path}': ${read.problem}`, { hint });
  }
  return parseReport(read.text, path, what === 'golden file' ? 'golden' : 'run');
}

function printOutcome(outcome: CheckOutcome, goldenPath: string, golden: Report, terminal: NodeJS.WritableStream = process.stdout): void {
  for (const note of outcome.notes) process.stderr.write(`note: ${noteText(note)}\n`);
  const { text, hint } = formatOutcome(outcome, goldenPath, describeReport(golden));
  terminal.write(text);
  if (hint !== undefined) process.stderr.write(`hint: ${hint}\n`);
  if (outcome.status !== 'ok') process.exitCode = 1;
}

/** A regular file's size, or null (its problem is readReportFile's to tell). */
function sizeOf(path: string): number | null {
  try {
    const stat = statSync(path);
    return stat.isFile() ? stat.size : null;
  } catch {
    return null;
  }
}

/** Refused before reading anything when comparing the two reports would pass the budget. */
function enforceCheckLimits(runPath: string, goldenPath: string, flags: LimitFlags): void {
  const runBytes = sizeOf(runPath);
  const goldenBytes = sizeOf(goldenPath);
  // a file that cannot be read at all (too large for one string) is refused as such when read
  if (!flags.limits || runBytes === null || goldenBytes === null || runBytes > MAX_REPORT_BYTES || goldenBytes > MAX_REPORT_BYTES) return;
  const refusal = checkBudget(estimateCheck(runBytes, goldenBytes), budgetOf(flags), { subject: 'this check', smaller: 'compare reports of fewer rounds or nodes' });
  if (refusal !== null) throw refusal;
}

function check(runPath: string, goldenPath: string, flags: GoldenFlags & LimitFlags): void {
  enforceCheckLimits(runPath, goldenPath, flags);
  const run = readReportFile(runPath, 'run report');
  const golden = readReportFile(goldenPath, 'golden file');
  const outcome = checkAgainstGolden(run, golden, {
    tolerances: flags.tolerance ?? { ...DEFAULT_TOLERANCES },
    anyBackend: flags.anyBackend === true,
  });
  printOutcome(outcome, goldenPath, golden);
}

export function registerCheck(program: Command): void {
  const command = program
    .command('check')
    .description('compare a run\'s JSON report with a golden one (exit 0 match, 1 differs, 2 cannot compare)')
    .argument('<run>', 'JSON report of the run (dtrain simulate --json)')
    .argument('<golden>', 'golden JSON report');
  addLimitOptions(addGoldenOptions(command, false))
    .addHelpText('after', `
S1–S3 outputs and times are compared exactly; loss, accuracy, gradNorm, volatility, weight,
responseMs and pressure pass when |run − golden| ≤ tolerance · max(1, |golden|).
Both reports are read whole: comparing them takes about 4.2 times their bytes of memory,
checked against --max-memory before anything is read.

Examples:
  $ dtrain check run.json test/golden/quickstart.json
  $ dtrain check run.json golden.json --tolerance accuracy=0.01,loss=1e-3`)
    .action(check);
}

/** What `simulate --expect` carries from before the run to after it. */
export interface GoldenPlan {
  path: string;
  update: boolean;
  hash: string;
  golden?: Report;
  flags: GoldenFlags;
  /** with --update: where the new golden goes (checked before the run) */
  target?: OutputTarget;
  /** with --update: the new golden's text, once staged */
  json?: string;
}

/**
 * Before the run: usage checks, then read the golden (exit 2 if unusable) and refuse early
 * when it was recorded for another scenario. Returns undefined without --expect, and
 * 'stopped' after reporting a scenario mismatch (exit 1; nothing is run).
 */
export function prepareGoldenCheck(
  flags: GoldenFlags,
  scenario: Scenario,
  outputs: { plan: OutputPlan; terminal: NodeJS.WritableStream } = { plan: new OutputPlan(), terminal: process.stdout },
): GoldenPlan | 'stopped' | undefined {
  if (flags.expect === undefined) {
    const stray = flags.update === true ? '--update' : flags.tolerance !== undefined ? '--tolerance' : flags.anyBackend === true ? '--any-backend' : undefined;
    if (stray !== undefined) throw new DtrainError('cli.invalidArgument', `${stray} needs --expect <golden>`);
    return undefined;
  }
  const hash = scenarioHash(scenario);
  if (flags.update === true) return { path: flags.expect, target: outputs.plan.file('--expect', flags.expect), update: true, hash, flags };
  const golden = readReportFile(flags.expect, 'golden file');
  const problem = scenarioProblem(golden, hash, { name: scenario.name, seed: scenario.seed, hashWithSeed: (seed) => scenarioHash({ ...scenario, seed }) });
  if (problem !== undefined) {
    printOutcome({ status: 'mismatch', problems: [problem], notes: [] }, flags.expect, golden, outputs.terminal);
    return 'stopped';
  }
  return { path: flags.expect, update: false, hash, golden, flags };
}

/** After a complete run with --update: the new golden (with the `run` block of `run`) joins the command's other outputs. */
export async function stageGoldenUpdate(plan: GoldenPlan, result: RunResult, writer: OutputWriter, run?: RunContext): Promise<void> {
  if (!plan.update) return;
  const { toJsonReport } = await import('../report/json.js');
  plan.json = toJsonReport(result, { version: VERSION, trace: false, timing: false, scenarioHash: plan.hash, ...(run === undefined ? {} : { run }) });
  writer.stage(plan.target!, plan.json);
}

/** After the run: report the golden written by stageGoldenUpdate, or compare with it. */
export async function finishGoldenCheck(plan: GoldenPlan, result: RunResult, terminal: NodeJS.WritableStream = process.stdout): Promise<void> {
  if (plan.update) {
    terminal.write(`golden updated: ${escapeForTerminal(plan.path)} (${describeReport(parseReport(plan.json!, plan.path))})\n`);
    return;
  }
  const { toJsonReport } = await import('../report/json.js');
  const json = toJsonReport(result, { version: VERSION, trace: false, timing: false, scenarioHash: plan.hash });
  const outcome = checkAgainstGolden(parseReport(json, 'the run'), plan.golden!, {
    tolerances: plan.flags.tolerance ?? { ...DEFAULT_TOLERANCES },
    anyBackend: plan.flags.anyBackend === true,
  });
  printOutcome(outcome, plan.path, plan.golden!, terminal);
}
