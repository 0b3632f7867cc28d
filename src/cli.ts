/**
 * The command line (SPEC §5). The only module that touches argv, stdout, stderr and the exit
 * code: it parses flags with commander, calls the data-returning core and hands the result to
 * a reporter. Known errors print as `error: …` with exit 2 (1 for runtime failures); anything
 * else is a bug and keeps its stack.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { DtrainError, formatIssues, isKnownError } from './errors.js';
import { writeFileAtomic } from './output-file.js';
import { collectScenarioIssues, loadScenario, resolveStrategyNames } from './scenario/load.js';
import type { Scenario } from './scenario/types.js';
import { VERSION } from './version.js';

const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DEFAULT_SCENARIO = resolve(PACKAGE_ROOT, 'scenarios', 'quickstart.yaml');

function positiveInt(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) {
      throw new InvalidArgumentError(`${name} must be a whole number ≥ 1, found '${value}'.`);
    }
    return n;
  };
}

function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) {
    throw new InvalidArgumentError(`seed must be a whole number ≥ 0, found '${value}'.`);
  }
  return n;
}

function strategyList(value: string): string[] {
  const names = value.split(',').map((name) => name.trim()).filter((name) => name !== '');
  if (names.length === 0) throw new InvalidArgumentError('expected one or more strategy names, e.g. s1s4,sync-sgd.');
  return names;
}

interface SimulateFlags {
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

function useColor(flags: { color: boolean }): boolean {
  return flags.color && process.stdout.isTTY === true && !('NO_COLOR' in process.env);
}

/** The output directory must exist before a long run, not after it. */
function checkOutputPath(path: string, flag: string): string {
  const absolute = resolve(path);
  const dir = dirname(absolute);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new DtrainError('cli.invalidArgument', `${flag} ${path}: directory '${dirname(path)}' does not exist`);
  }
  return absolute;
}

function applyOverrides(scenario: Scenario, flags: SimulateFlags): Scenario {
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
  const { runScenario } = await import('./index.js');
  const result = await runScenario(scenario, {
    backend: flags.backend,
    engine: flags.engine,
    trace: flags.trace === true,
    now: () => performance.now(),
  });
  const { renderRunTables, renderSummary } = await import('./report/table.js');
  const color = useColor(flags);
  const quiet = flags.quiet === true;
  if (!quiet) process.stdout.write(renderRunTables(result, { color, quiet }));
  process.stdout.write(renderSummary(result, { color, quiet, timing: flags.timing === true }));
  if (jsonPath !== undefined) {
    const { toJsonReport } = await import('./report/json.js');
    writeFileAtomic(jsonPath, toJsonReport(result, { version: VERSION, trace: flags.trace === true, timing: flags.timing === true }));
  }
}

function validate(files: string[]): void {
  let problems = 0;
  for (const file of files) {
    const issues = collectScenarioIssues(file);
    if (issues.length === 0) {
      process.stdout.write(`${file}: ok\n`);
    } else {
      problems += issues.length;
      process.stderr.write(`${formatIssues(issues)}\n`);
    }
  }
  if (problems > 0) {
    process.stderr.write(`${problems} problem${problems === 1 ? '' : 's'} found\n`);
    process.exitCode = 2;
  }
}

function buildProgram(): Command {
  const program = new Command('dtrain')
    .description('Simulate a data-parallel training cluster and run the S1–S4 method of CN120234158A on it.')
    .version(VERSION, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });

  program
    .command('simulate')
    .description('run a scenario and print per-round efficiency, batch and weight tables')
    .argument('[scenario]', 'scenario YAML file (default: the bundled scenarios/quickstart.yaml)')
    .option('-s, --strategy <names>', 'comma-separated strategies, overriding the scenario (s1s4, sync-sgd, fedavg)', strategyList)
    .option('-r, --rounds <n>', 'number of rounds, overriding the scenario', positiveInt('--rounds'))
    .option('--seed <n>', 'random seed, overriding the scenario', nonNegativeInt)
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

  program
    .command('validate')
    .description('check scenario files and print every problem at once (exit 2 if any)')
    .argument('<files...>', 'scenario YAML files')
    .addHelpText('after', '\nExample:\n  $ dtrain validate scenarios/*.yaml')
    .action(validate);

  return program;
}

function report(error: unknown): void {
  if (error instanceof CommanderError) {
    // commander already printed its message; help and version are successes.
    const success = ['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(error.code);
    process.exitCode = success ? 0 : 2;
    return;
  }
  if (isKnownError(error)) {
    process.stderr.write(`error: ${error.message}\n`);
    if (error.hint !== undefined) process.stderr.write(`hint: ${error.hint}\n`);
    process.exitCode = error.exitCode;
    return;
  }
  // We shouldn't arrive here, but not swallow either: a bug keeps its stack (exit 1).
  throw error;
}

export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    report(error);
  }
}

await main(process.argv);
