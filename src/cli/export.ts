/**
 * `dtrain export latency <scenario> --node ID --duration D --format csv|netem [--out FILE]`
 * (SPEC §8): a node's scripted latency on the slot grid, as a CSV that a scenario replays
 * identically (`trace: FILE, loop: false`) or as a shell script replaying it on a real link
 * with tc netem. The series itself is computed by the core (src/export/).
 *
 * Output: standard output by default and with `--out -`; a file otherwise, checked before the
 * scenario is read (src/cli/output-plan.ts), never one of the files the scenario reads, and
 * written whole or not at all. Bad flags exit 2 with nothing written.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { DtrainError } from '../errors.js';
import { latencyCsv, latencySeries } from '../export/latency-series.js';
import { netemScript } from '../export/netem-script.js';
import { loadScenario } from '../node/load.js';
import { parseDuration } from '../scenario/units.js';
import { didYouMean } from '../scenario/suggest.js';
import type { Scenario } from '../scenario/types.js';
import { escapeForTerminal } from '../text/terminal-escape.js';
import { seedFlag } from './number-flags.js';
import { OutputPlan, scenarioInputs } from './output-plan.js';
import { addPluginOption, commandRegistry, pluginInputs, type PluginFlags } from './plugin-option.js';

interface ExportFlags extends PluginFlags {
  node: string;
  duration: DurationArg;
  format: 'csv' | 'netem';
  out?: string;
  seed?: number;
}

const DURATION_WORDS = 'a positive duration (ms, or a string like 250ms, 2s, 1.5m)';

/** The duration in ms, and as typed (the script's header quotes the command). */
interface DurationArg {
  ms: number;
  text: string;
}

/** `--duration`: the scenario files' duration grammar, > 0 and finite. */
export function durationFlag(text: string): DurationArg {
  const ms = parseDuration(text);
  if (ms === undefined || !(ms > 0) || !Number.isFinite(ms)) {
    throw new InvalidArgumentError(`--duration must be ${DURATION_WORDS}, found '${escapeForTerminal(text)}'.`);
  }
  return { ms, text };
}

/** Node ids listed in full up to this many, else the first ones and a count. */
const MAX_LISTED = 12;

function checkNodeId(scenario: Scenario, typed: string): void {
  const ids = scenario.cluster.nodes.map((node) => node.id);
  if (ids.includes(typed)) return;
  const shown = (ids.length <= MAX_LISTED ? ids : ids.slice(0, MAX_LISTED)).map(escapeForTerminal).join(', ');
  const more = ids.length <= MAX_LISTED ? '' : `, … (${ids.length} in all)`;
  const match = didYouMean(typed, ids);
  throw new DtrainError('cli.invalidArgument', `--node: unknown node '${escapeForTerminal(typed)}' in scenario ${escapeForTerminal(scenario.name)}: expected one of ${shown}${more}`, {
    ...(match === undefined ? {} : { hint: `did you mean ${escapeForTerminal(match)}?` }),
  });
}

/** The command as the script's header quotes it (arguments with blanks or quotes single-quoted). */
function commandLine(file: string, flags: ExportFlags): string {
  const quote = (word: string): string => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`);
  const words = ['dtrain', 'export', 'latency', file, '--node', flags.node, '--duration', flags.duration.text, '--format', flags.format];
  if (flags.seed !== undefined) words.push('--seed', String(flags.seed));
  if (flags.out !== undefined) words.push('--out', flags.out);
  return words.map(quote).join(' ');
}

async function exportLatency(file: string, flags: ExportFlags): Promise<void> {
  // the output is checked before anything is read or computed
  const plan = new OutputPlan();
  const target = plan.file('--out', flags.out ?? '-', { dash: true });
  const registry = await commandRegistry(flags);
  const loaded = await loadScenario(file, { registry });
  const scenario = flags.seed === undefined ? loaded : { ...loaded, seed: flags.seed };
  plan.checkInputs([...scenarioInputs(scenario, file), ...pluginInputs(flags)]);
  checkNodeId(scenario, flags.node);
  const series = latencySeries(scenario, flags.node, flags.duration.ms, flags.duration.text);
  const text = flags.format === 'csv'
    ? latencyCsv(series)
    : netemScript(series, { scenarioName: scenario.name, seed: scenario.seed, command: commandLine(file, flags) });
  const writer = plan.writer();
  try {
    writer.stage(target, text);
    writer.commit();
  } finally {
    writer.abort();
  }
  if (target.kind !== 'stdout') {
    const endMs = (series.firstSlot + series.timesMs.length) * series.resolutionMs;
    process.stderr.write(`wrote ${escapeForTerminal(flags.out!)} · node ${escapeForTerminal(series.nodeId)}, ${series.timesMs.length} slots of ${series.resolutionMs} ms from ${series.timesMs[0]!} to ${endMs} ms\n`);
  }
}

export function registerExport(program: Command): void {
  const group = program
    .command('export')
    .description('export part of a scenario for use outside dtrain (a node\'s latency, for replay on a real link)');
  const latency = group
    .command('latency')
    .description('write a node\'s scripted latency on the slot grid, as a CSV trace or a tc netem shell script')
    .argument('<scenario>', 'scenario YAML file')
    .requiredOption('--node <id>', 'the node whose latency to export')
    .requiredOption('--duration <time>', 'up to this simulated time (ms, or 250ms, 2s, 1.5m); the series starts at the monitoring origin, −windowMs', durationFlag)
    .addOption(new Option('--format <format>', 'csv: time_ms,latency_ms rows (empty = lost); netem: a POSIX shell script driving tc').choices(['csv', 'netem']).makeOptionMandatory())
    .option('-o, --out <file>', 'write to this file (default, or -: standard output); never over a file the scenario reads')
    .option('--seed <n>', 'override the scenario\'s seed (the latency draws follow it)', seedFlag)
    .addHelpText(
      'after',
      `
The CSV has one row per latency slot (cluster.latencyResolutionMs, or
s1.intervalMs), from the slot holding −windowMs (monitoring starts a window
before round 1) to the slot holding the duration. A scenario naming it as
{ trace: FILE, loop: false } for that node sees the same latency at every time
up to the duration: the same S1 samples, efficiencies and batches.

The netem script runs tc qdisc replace dev "$DEV" root netem delay …ms (loss
100% for a lost slot) at every slot and sleeps one slot in between. It needs
root and the sch_netem module; its --dry-run argument only prints the commands.

Examples:
  $ dtrain export latency run.yaml --node c --duration 1m --format csv -o c.csv
  $ dtrain export latency run.yaml --node c --duration 1m --format netem -o c.sh
  $ sh c.sh --dry-run eth0 | head
  $ sudo sh c.sh eth0`,
    )
    .action(exportLatency);
  addPluginOption(latency);
}
