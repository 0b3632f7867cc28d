/**
 * Golden checks (issue 5): `dtrain check RUN.json GOLDEN.json`, and the `--expect` /
 * `--tolerance` / `--update` / `--any-backend` options that `dtrain simulate` borrows from
 * here. Exit 0: the run matches; 1: it does not (values differ, or the golden was recorded
 * for another scenario or backend — a distinct message); 2: nothing could be checked (bad
 * flag, unreadable golden, another schema version).
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { DtrainError } from '../errors.js';
import { checkAgainstGolden, scenarioProblem, type CheckOutcome } from '../golden/check.js';
import { describeReport, formatOutcome, noteText } from '../golden/messages.js';
import { parseReport, type Report } from '../golden/report-file.js';
import { scenarioHash } from '../golden/scenario-hash.js';
import { DEFAULT_TOLERANCES, parseTolerances, type Tolerances } from '../golden/tolerances.js';
import { writeFileAtomic } from '../output-file.js';
import { fileProblem } from '../scenario/context.js';
import type { Scenario } from '../scenario/types.js';
import type { RunResult } from '../sim/records.js';
import { VERSION } from '../version.js';
import { checkOutputPath } from './options.js';

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

function readReportFile(path: string, what: string): Report {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const hint = what === 'golden file' ? `record it with: dtrain simulate SCENARIO --expect ${path} --update` : undefined;
    throw new DtrainError('golden.notFound', `cannot read ${what} '${path}': ${fileProblem(error)}`, { hint });
  }
  return parseReport(text, path);
}

function printOutcome(outcome: CheckOutcome, goldenPath: string, golden: Report): void {
  for (const note of outcome.notes) process.stderr.write(`note: ${noteText(note)}\n`);
  const { text, hint } = formatOutcome(outcome, goldenPath, describeReport(golden));
  process.stdout.write(text);
  if (hint !== undefined) process.stderr.write(`hint: ${hint}\n`);
  if (outcome.status !== 'ok') process.exitCode = 1;
}

function check(runPath: string, goldenPath: string, flags: GoldenFlags): void {
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
  addGoldenOptions(command, false)
    .addHelpText('after', `
S1–S3 outputs and times are compared exactly; loss, accuracy, gradNorm, volatility, weight,
responseMs and pressure pass when |run − golden| ≤ tolerance · max(1, |golden|).

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
}

/**
 * Before the run: usage checks, then read the golden (exit 2 if unusable) and refuse early
 * when it was recorded for another scenario. Returns undefined without --expect, and
 * 'stopped' after reporting a scenario mismatch (exit 1; nothing is run).
 */
export function prepareGoldenCheck(flags: GoldenFlags, scenario: Scenario): GoldenPlan | 'stopped' | undefined {
  if (flags.expect === undefined) {
    const stray = flags.update === true ? '--update' : flags.tolerance !== undefined ? '--tolerance' : flags.anyBackend === true ? '--any-backend' : undefined;
    if (stray !== undefined) throw new DtrainError('cli.invalidArgument', `${stray} needs --expect <golden>`);
    return undefined;
  }
  const hash = scenarioHash(scenario);
  if (flags.update === true) return { path: checkOutputPath(flags.expect, '--expect'), update: true, hash, flags };
  const golden = readReportFile(flags.expect, 'golden file');
  const problem = scenarioProblem(golden, hash);
  if (problem !== undefined) {
    printOutcome({ status: 'mismatch', problems: [problem], notes: [] }, flags.expect, golden);
    return 'stopped';
  }
  return { path: flags.expect, update: false, hash, golden, flags };
}

/** After the run: rewrite the golden (`--update`) or compare with it. */
export async function finishGoldenCheck(plan: GoldenPlan, result: RunResult): Promise<void> {
  const { toJsonReport } = await import('../report/json.js');
  const json = toJsonReport(result, { version: VERSION, trace: false, timing: false, scenarioHash: plan.hash });
  if (plan.update) {
    writeFileAtomic(plan.path, json);
    process.stdout.write(`golden updated: ${plan.flags.expect} (${describeReport(parseReport(json, plan.path))})\n`);
    return;
  }
  const outcome = checkAgainstGolden(parseReport(json, 'the run'), plan.golden!, {
    tolerances: plan.flags.tolerance ?? { ...DEFAULT_TOLERANCES },
    anyBackend: plan.flags.anyBackend === true,
  });
  printOutcome(outcome, plan.path, plan.golden!);
}
