/**
 * `dtrain init [FILE]`: writes a commented starter scenario (default scenario.yaml) that
 * validates and runs as is. It never overwrites a file unless --force. Its first line points
 * YAML editors at the scenario JSON Schema shipped in the package's schema/ directory.
 */
import { existsSync } from 'node:fs';
import { basename, dirname, extname, join, relative } from 'node:path';
import type { Command } from 'commander';
import { stringify } from 'yaml';
import { DtrainError } from '../errors.js';
import { writeFileAtomic } from '../output-file.js';
import { escapeForTerminal } from '../text/terminal-escape.js';
import { OutputPlan } from './output-plan.js';
import { DEFAULT_SCENARIO } from './simulate.js';

export const DEFAULT_INIT_FILE = 'scenario.yaml';
const SCHEMA_FILE = join(DEFAULT_SCENARIO, '..', '..', 'schema', 'scenario.schema.json');

/** The name `dtrain init -` gives the scenario it prints, and the file its comments suggest. */
const STDOUT_NAME = 'my-cluster';

/** The scenario's name for a file name (starterScenario shows its unsafe characters as escapes). */
function starterName(file: string): string {
  return basename(file, extname(file)) || STDOUT_NAME;
}

/**
 * The starter scenario's text; `schemaPath` as written on the first line, `file` as the user
 * named it. The name is a YAML string whatever it looks like (`123`, `null`, `1e3` and `true`
 * would otherwise read as a number, null or a boolean), and the comments stay comments: a line
 * break in a name or path would start a line of YAML.
 */
export function starterScenario(options: { name: string; file: string; schemaPath: string }): string {
  const [name, file, schemaPath] = [options.name, options.file, options.schemaPath].map(escapeForTerminal);
  const nameValue = stringify(name, { defaultStringType: 'QUOTE_DOUBLE', lineWidth: 0 }).trimEnd();
  return `# yaml-language-server: $schema=${schemaPath}
# ${name} — a starter dtrain scenario: four nodes, one with a noisy link, one with spiky
# latency, one that computes slowly. Try:
#   dtrain simulate ${file}                 tables, insights and the accuracy chart
#   dtrain explain ${file} --round 5        every decision of round 5, in words
# Every field is listed in docs/scenario-reference.md. Durations are ms or
# strings like 250ms, 2s, 1.5m; bandwidths are bits/s or strings like 1Gbps, 100Mbps.
name: ${nameValue}
description: Four nodes; b has a noisy link, c spiky latency, slow computes 4x slower.
seed: 1                       # every random stream derives from this
rounds: 20
targetAccuracy: 0.9           # timeToTargetMs = simulated time until test accuracy reaches this
compare: [s1s4, sync-sgd]     # the patent's method vs classic synchronous SGD (also: fedavg)

data:
  dataset: iris               # iris | wine | breast_cancer | digits | { blobs: {…} } | { csv: path }
  testFraction: 0.2           # share held out to measure accuracy
  partition: iid              # or { dirichlet: 0.5 } (label skew) or { shards: 2 }

model:
  hidden: [16]                # hidden layer widths; [] = softmax regression
  learningRate: 0.1
  localSteps: 1               # local SGD steps per round

pipeline:
  s1: { intervalMs: 100, windowMs: 2s, thresholdMs: 50 }   # e = share of the window's samples under 50 ms
  s2: { standardBatch: 32, rounding: floor }               # batch = B·e/(e+1): a perfect link gets B/2
  s3: { baseThreads: 4, baseQueue: 8 }                     # threads, I/O queue ∝ batch × last step time
  s4: { volatility: cv, window: 5, epsilon: 0.001 }        # weight ∝ 1/(gradient-norm volatility + ε)

cluster:
  retryMs: 100                # a lost transfer is tried again this much later
  roundTimeoutMs: 10s         # nodes not done by then are dropped from the round
  defaults: { cores: 8, msPerSample: 2, parallelFraction: 0.9, ioMsPerBatch: 2, bandwidth: 1Gbps }
  nodes:
    - { id: a, latency: { constant: 5 } }
    - { id: b, latency: { normal: { mean: 30, std: 15 }, loss: 0.02 } }
    - { id: c, latency: { spikes: { base: 5, spike: 300, probability: 0.2 } } }
    - { id: slow, msPerSample: 8, latency: { constant: 5 } }
`;
}

/** The schema's path relative to the new file's directory, as a `./` or `../` path. */
export function schemaPathFrom(targetDir: string, schemaFile = SCHEMA_FILE): string {
  const rel = relative(targetDir, schemaFile).split('\\').join('/');
  return rel.startsWith('.') ? rel : `./${rel}`;
}

function init(file: string | undefined, flags: { force?: boolean }): void {
  const given = file ?? DEFAULT_INIT_FILE;
  // `-` (or /dev/stdout) prints the starter: `dtrain init - > my.yaml`
  const target = new OutputPlan().file('init', given, { dash: true });
  if (target.kind === 'stdout' || target.kind === 'stderr') {
    const text = starterScenario({ name: STDOUT_NAME, file: `${STDOUT_NAME}.yaml`, schemaPath: schemaPathFrom(process.cwd()) });
    writeFileAtomic(target, text);
    return;
  }
  if (existsSync(target.path) && flags.force !== true) {
    throw new DtrainError('cli.fileExists', `${given} already exists; dtrain init does not overwrite files`, {
      hint: `pass --force to replace it, or name a new file: dtrain init my-scenario.yaml`,
    });
  }
  writeFileAtomic(target, starterScenario({ name: starterName(given), file: given, schemaPath: schemaPathFrom(dirname(target.path)) }));
  const shown = escapeForTerminal(given);
  process.stdout.write(`wrote ${shown} · run it: dtrain simulate ${shown}\n`);
}

export function registerInit(program: Command): void {
  program
    .command('init')
    .description('write a commented starter scenario (default scenario.yaml)')
    .argument('[file]', `where to write it (default: ${DEFAULT_INIT_FILE}; -: standard output)`)
    .option('-f, --force', 'overwrite the file if it exists')
    .addHelpText('after', '\nExamples:\n  $ dtrain init\n  $ dtrain init my-cluster.yaml && dtrain simulate my-cluster.yaml\n  $ dtrain init - > my-cluster.yaml')
    .action(init);
}
