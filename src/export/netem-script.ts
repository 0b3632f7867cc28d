/**
 * A node's latency series (latency-series.ts) as a POSIX shell script that replays it on a
 * Linux interface (SPEC §8): at every slot `tc qdisc replace dev "$DEV" root netem delay Xms`,
 * or `netem loss 100%` for a lost slot, then a sleep of one slot width. `--dry-run` prints the
 * tc commands and neither runs them nor sleeps. The series travels as a here-document the
 * script reads line by line, so the script stays one short program plus data, and nothing
 * from the scenario reaches the shell unquoted: names only appear in `#` comments, stripped
 * of line breaks, and the values are numbers dtrain formats itself.
 *
 * The script is checked by shellcheck (test/export/netem-script.test.ts).
 */
import { DtrainError } from '../errors.js';
import { escapeForTerminal } from '../text/terminal-escape.js';
import type { LatencySeries } from './latency-series.js';

/** What the header says about where the series comes from. */
export interface NetemSource {
  scenarioName: string;
  seed: number;
  /** the command that made the script, as the user would type it */
  command: string;
}

/** Above this a delay has no plain decimal form (`1e+21`), which tc cannot read. */
const MAX_DELAY_MS = 1e15;

/**
 * A value for a `#` comment line: line breaks, controls, bidi and invisible characters shown
 * as escapes, so that a scenario's name can neither end the comment nor disguise the script
 * when it is read in a terminal or an editor.
 */
function commentText(text: string): string {
  return escapeForTerminal(text);
}

/** A number as tc reads it: plain decimal, microseconds at most (netem's own resolution). */
function decimal(value: number): string {
  const fixed = value.toFixed(3);
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
}

/** A slot width for sleep: seconds to the microsecond, or as JavaScript prints it when finer. */
function seconds(ms: number): string {
  const text = (ms / 1000).toFixed(6).replace(/\.?0+$/, '');
  return text === '0' ? String(ms / 1000) : text;
}

/** The series as here-document lines: a delay in ms, or `lost`. */
function seriesLines(series: LatencySeries): string[] {
  const lines: string[] = [];
  const { valuesMs, timesMs } = series;
  for (let i = 0; i < valuesMs.length; i++) {
    const value = valuesMs[i]!;
    if (Number.isNaN(value)) {
      lines.push('lost');
      continue;
    }
    if (value >= MAX_DELAY_MS) {
      throw new DtrainError(
        'cli.invalidArgument',
        `node ${series.nodeId}'s latency at ${timesMs[i]!} ms is ${value} ms, more than netem can be told (at most ${MAX_DELAY_MS} ms); export it as --format csv instead`,
      );
    }
    lines.push(decimal(value));
  }
  return lines;
}

export function netemScript(series: LatencySeries, source: NetemSource): string {
  const steps = series.valuesMs.length;
  const stepSeconds = seconds(series.resolutionMs);
  const firstMs = series.timesMs[0]!;
  const lastEndMs = (series.firstSlot + steps) * series.resolutionMs;
  const header = [
    '#!/bin/sh',
    `# Replays node ${commentText(series.nodeId)}'s latency from dtrain scenario ${commentText(source.scenarioName)} (seed ${source.seed}) on a real link.`,
    `# Made by: ${commentText(source.command)}`,
    '#',
    '# Needs: root (tc changes the interface\'s queueing discipline), the sch_netem kernel module',
    '# (modprobe sch_netem), tc from iproute2, a sleep that takes fractions of a second (GNU',
    '# coreutils, BusyBox), and the interface: DEV=eth0 in the environment or as the argument.',
    '#',
    '#   sudo sh this-script.sh eth0           replays the series on eth0',
    '#   sh this-script.sh --dry-run [eth0]    only prints the tc commands (no root needed)',
    '#',
    `# ${steps} steps of ${series.resolutionMs} ms, simulated time ${firstMs} ms (the monitoring origin, a window`,
    `# before round 1) to ${lastEndMs} ms: the script's start is simulated time ${firstMs} ms. Each step sets`,
    '# the egress delay of DEV to the latency (netem delay), or drops every packet for a lost',
    '# sample (netem loss 100%), then sleeps one step; tc\'s own run time adds a little drift.',
    '# At the end, or on Ctrl-C, the qdisc is removed (tc qdisc del dev "$DEV" root).',
    'set -eu',
    '',
    `STEP_SECONDS=${stepSeconds}`,
    'DRY_RUN=0',
    'if [ "${1-}" = "--dry-run" ]; then',
    '  DRY_RUN=1',
    '  shift',
    'fi',
    'DEV=${1-${DEV-}}',
    'case $DEV in',
    '  -*) echo "usage: $0 [--dry-run] [interface] (or DEV=interface $0)" >&2; exit 2 ;;',
    'esac',
    'if [ -z "$DEV" ]; then',
    '  if [ "$DRY_RUN" = 1 ]; then',
    '    DEV=DEV',
    '  else',
    '    echo "error: no interface: give it as the argument or as DEV=interface" >&2',
    '    exit 2',
    '  fi',
    'fi',
    '',
    'if [ "$DRY_RUN" = 0 ]; then',
    '  if [ "$(id -u)" -ne 0 ]; then',
    '    echo "error: tc needs root: run it with sudo (or --dry-run to only print the commands)" >&2',
    '    exit 1',
    '  fi',
    '  if ! command -v tc >/dev/null 2>&1; then',
    '    echo "error: tc not found: install iproute2" >&2',
    '    exit 1',
    '  fi',
    '  cleanup() {',
    '    tc qdisc del dev "$DEV" root 2>/dev/null || true',
    '  }',
    '  trap cleanup EXIT',
    '  trap \'exit 130\' INT',
    '  trap \'exit 143\' TERM',
    'fi',
    '',
    'FIRST=1',
    'step() {',
    '  if [ "$DRY_RUN" = 1 ]; then',
    '    echo "tc qdisc replace dev $DEV root netem $*"',
    '    return',
    '  fi',
    '  if ! tc qdisc replace dev "$DEV" root netem "$@" </dev/null; then',
    '    if [ "$FIRST" = 1 ]; then',
    '      echo "error: tc could not set netem on $DEV: is it an interface, and is sch_netem loaded (modprobe sch_netem)?" >&2',
    '    fi',
    '    exit 1',
    '  fi',
    '  FIRST=0',
    '  sleep "$STEP_SECONDS"',
    '}',
    '',
    'while read -r value; do',
    '  if [ "$value" = lost ]; then',
    '    step loss 100%',
    '  else',
    '    step delay "${value}ms"',
    '  fi',
    'done <<\'SERIES\'',
  ];
  const footer = [
    'SERIES',
    'if [ "$DRY_RUN" = 1 ]; then',
    '  echo "tc qdisc del dev $DEV root"',
    'fi',
  ];
  return `${[...header, ...seriesLines(series), ...footer].join('\n')}\n`;
}
