/**
 * Whole-scenario timings: each scenario runs several times, each run in a fresh process
 * (bench/scenario-run.mjs, so peak RSS is that run's alone), the scenarios taking turns; the
 * median of each figure is reported, and a ratio of two scenarios is the median of the ratios
 * within each turn. The split of wall time, what counts as the simulator's bookkeeping and what as
 * outputs, is written at the top of scenario-run.mjs and in README.md.
 *
 * Two linearity checks of the per-round cost (engine maths + bookkeeping, per round):
 * 1,000 nodes ÷ 500 (target 1.8–2.2) and 131,072 nodes ÷ 16,384 (target 7–9).
 *
 * `npm run bench` runs them after the engine contenders (`-- --only-scenarios` for these alone);
 * on their own, after `npm run build`:
 *   node bench/scenarios.mjs [--only NAME,…] [--repetitions N] [--scale-repetitions N] [--no-scale] [--cli] [--json FILE]
 * --cli also runs each scale scenario once as `dtrain simulate … --json` for its wall time and peak RSS.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/**
 * The Node flags `dtrain` starts with (the `env -S node …` line of bin/dtrain.js): each run is
 * measured in a process started as the CLI starts, young-generation size included.
 */
export const CLI_NODE_FLAGS = readFileSync(join(ROOT, 'bin', 'dtrain.js'), 'utf8')
  .split('\n', 1)[0].replace(/^#!\/usr\/bin\/env -S node/, '').split(' ').filter((flag) => flag !== '');
const REPETITIONS = 3;
/**
 * The scale pair takes about 25 s a repetition (2026-12-02). A single pair's linearity ratio
 * spread over 5.8–9.2 on this machine, as wide as its 7–9 band, so the default is the median
 * of three.
 */
const SCALE_REPETITIONS = 3;
export const SCENARIOS = [
  ['large-cluster', 'scenarios/large-cluster.yaml'],
  ['cluster-500', 'bench/scenarios/cluster-500.yaml'],
  ['cluster-1000', 'bench/scenarios/cluster-1000.yaml'],
  ['cluster-1000-server', 'bench/scenarios/cluster-1000-server.yaml'],
];
/** Streamed outputs, as `dtrain simulate --json` writes them at this size. */
export const SCALE_SCENARIOS = [
  ['cluster-16384', 'bench/scenarios/cluster-16384.yaml'],
  ['cluster-131072', 'bench/scenarios/cluster-131072.yaml'],
];

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function runOnce(file, outputs) {
  const out = execFileSync(process.execPath, [...CLI_NODE_FLAGS, 'bench/scenario-run.mjs', file, '--outputs', outputs], {
    cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 20,
  });
  return JSON.parse(out.trim().split('\n').pop());
}

/**
 * Each scenario's runs, interleaved: repetition k runs every scenario once, one after the
 * other. The machine's speed drifts by a third within an hour, so a ratio between two
 * scenarios is taken within a repetition (ratioLine), where both met the same machine.
 */
function measureInterleaved(entries, outputs, repetitions, log) {
  const runs = entries.map(() => []);
  for (let rep = 0; rep < repetitions; rep++) entries.forEach(([, file], k) => runs[k].push(runOnce(file, outputs)));
  return entries.map(([name], k) => summarise(name, outputs, runs[k], log));
}

function summarise(name, outputs, runs, log) {
  const repetitions = runs.length;
  const pick = (key) => median(runs.map((r) => r[key]));
  const result = {
    contender: `scenario:${name}`,
    nodes: runs[0].nodes,
    localSteps: runs[0].localSteps,
    rounds: runs[0].rounds,
    strategies: runs[0].strategies,
    outputs,
    nodeStepsPerSec: median(runs.map((r) => r.nodeSteps / ((r.mathMs + r.bookkeepingMs) / 1000))),
    wallMs: pick('wallMs'),
    setupMs: pick('setupMs'),
    mathMs: pick('mathMs'),
    engineStartMs: pick('engineStartMs'),
    bookkeepingMs: pick('bookkeepingMs'),
    bookkeepingGcMs: median(runs.map((r) => r.gcMs.bookkeeping)),
    outputsMs: pick('outputsMs'),
    bookkeepingShare: pick('bookkeepingShare'),
    perRoundMs: pick('perRoundMs'),
    bookkeepingPerRoundMs: pick('bookkeepingPerRoundMs'),
    firstRoundMs: runs[0].firstRoundMs === null ? null : pick('firstRoundMs'),
    steadyRoundMs: runs[0].steadyRoundMs === null ? null : pick('steadyRoundMs'),
    steadyRoundMedianMs: runs[0].steadyRoundMedianMs == null ? null : pick('steadyRoundMedianMs'),
    peakRssMB: pick('peakRssMB'),
    repetitions: runs.map((r) => ({
      wallMs: r.wallMs, bookkeepingShare: r.bookkeepingShare, peakRssMB: r.peakRssMB, perRoundMs: r.perRoundMs, bookkeepingPerRoundMs: r.bookkeepingPerRoundMs,
      perRoundWithoutStartMs: r.perRoundWithoutStartMs, firstRoundMs: r.firstRoundMs, steadyRoundMs: r.steadyRoundMs, steadyRoundMedianMs: r.steadyRoundMedianMs,
    })),
  };
  log(`${result.contender.padEnd(24)} wall ${Math.round(result.wallMs)} ms, bookkeeping ${(100 * result.bookkeepingShare).toFixed(1)} %, peak ${Math.round(result.peakRssMB)} MB (median of ${repetitions})`);
  return result;
}

/**
 * The command a user runs, `dtrain simulate FILE --json OUT -q --no-progress`, in a fresh
 * process: its wall time and peak RSS (written at exit by rss-on-exit.mjs), as /usr/bin/time
 * would give them.
 */
function measureCli(name, file, log) {
  const folder = mkdtempSync(join(tmpdir(), 'dtrain-bench-cli-'));
  try {
    const rssFile = join(folder, 'rss.jsonl');
    execFileSync(process.execPath, [...CLI_NODE_FLAGS, '--import', './bench/rss-on-exit.mjs', 'bin/dtrain.js', 'simulate', file, '--json', join(folder, 'report.json'), '-q', '--no-progress'], {
      cwd: ROOT, env: { ...process.env, DTRAIN_BENCH_RSS_FILE: rssFile }, stdio: ['ignore', 'ignore', 'inherit'],
    });
    const { wallMs, peakRssMB } = JSON.parse(readFileSync(rssFile, 'utf8').trim().split('\n').pop());
    log(`cli:${name.padEnd(20)} wall ${Math.round(wallMs)} ms, peak ${Math.round(peakRssMB)} MB`);
    return { command: `dtrain simulate ${file} --json FILE -q --no-progress`, wallMs, peakRssMB };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

export function measureScenarios(log, options = {}) {
  const { only = null, repetitions = REPETITIONS, scaleRepetitions = SCALE_REPETITIONS, scale = true, cli = false } = options;
  const wanted = ([name]) => only === null || only.includes(name);
  const results = [];
  results.push(...measureInterleaved(SCENARIOS.filter(wanted), 'memory', repetitions, log));
  if (scale) {
    const scaled = SCALE_SCENARIOS.filter(wanted);
    const measured = measureInterleaved(scaled, 'stream', scaleRepetitions, log);
    scaled.forEach(([name, file], k) => {
      if (cli) measured[k].cli = measureCli(name, file, log);
    });
    results.push(...measured);
  }
  return results;
}

/**
 * The per-round ratio of two scenarios: the median over repetitions of the ratio within each
 * (the two runs of a repetition ran back to back), and each repetition's.
 */
function ratioLine(results, small, large, label, target) {
  const a = results.find((r) => r.contender === `scenario:${small}`);
  const b = results.find((r) => r.contender === `scenario:${large}`);
  if (a === undefined || b === undefined) return [];
  const within = (key) => a.repetitions.map((ra, k) => b.repetitions[k][key] / ra[key]);
  const perRound = within('perRoundMs');
  const each = perRound.length > 1 ? ` (each repetition: ${perRound.map((x) => x.toFixed(2)).join(', ')})` : '';
  const lines = [
    `linearity: per round at ${label} = ${median(perRound).toFixed(2)}${each} (target ${target}); bookkeeping alone ${median(within('bookkeepingPerRoundMs')).toFixed(2)}; `
    + `without the engines' start (created and θ₀ evaluated once a run) ${median(within('perRoundWithoutStartMs')).toFixed(2)}`,
  ];
  if (a.steadyRoundMs !== null && b.steadyRoundMs !== null) {
    const steady = within('steadyRoundMs');
    const f = (ms) => Math.round(ms).toLocaleString('en-US');
    lines.push(`  the rounds after the first: ${median(steady).toFixed(2)}${steady.length > 1 ? ` (each repetition: ${steady.map((x) => x.toFixed(2)).join(', ')})` : ''}; `
      + `a round after the first ${f(a.steadyRoundMs)} and ${f(b.steadyRoundMs)} ms, the first ${f(a.firstRoundMs)} and ${f(b.firstRoundMs)} ms (medians)`);
  }
  if (a.steadyRoundMedianMs != null && b.steadyRoundMedianMs != null) {
    // each run's middle round after the first, not its mean: what a slowed round does to the ratio shows between the two
    const typical = within('steadyRoundMedianMs');
    lines.push(`  the middle round after the first, each run's median rather than its mean: ${median(typical).toFixed(2)}${typical.length > 1 ? ` (each repetition: ${typical.map((x) => x.toFixed(2)).join(', ')})` : ''}`);
  }
  return lines;
}

export function scenarioTable(results) {
  const f = (ms) => `${Math.round(ms).toLocaleString('en-US')}`;
  const pct = (x) => `${(100 * x).toFixed(1)} %`;
  const counts = [...new Set(results.map((r) => r.repetitions.length))].join(' or ');
  const lines = [
    `whole scenarios, median of ${counts} fresh process(es) each (ms; bookkeeping share of wall time, target < 10 %)`,
    '',
    '| scenario | nodes × rounds × strategies | outputs | wall | setup | engine maths (of it starting the engines) | bookkeeping (of it GC) | outputs time | bookkeeping share | per round (maths + bookkeeping) | node-steps/s (rounds only) | peak RSS |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of results) {
    lines.push(`| ${r.contender} | ${r.nodes.toLocaleString('en-US')} × ${r.rounds} × ${r.strategies} | ${r.outputs} | ${f(r.wallMs)} | ${f(r.setupMs)} | ${f(r.mathMs)} (${f(r.engineStartMs)}) | ${f(r.bookkeepingMs)} (${f(r.bookkeepingGcMs)}) | ${f(r.outputsMs)} | ${pct(r.bookkeepingShare)} | ${f(r.perRoundMs)} | ${f(r.nodeStepsPerSec)} | ${Math.round(r.peakRssMB)} MB |`);
  }
  const cliRuns = results.filter((r) => r.cli !== undefined);
  if (cliRuns.length > 0) {
    lines.push('', 'as a user runs it (one process each):', '', '| command | wall | peak RSS |', '|---|---|---|');
    for (const r of cliRuns) lines.push(`| \`${r.cli.command}\` | ${f(r.cli.wallMs)} | ${Math.round(r.cli.peakRssMB)} MB |`);
  }
  lines.push(
    '',
    ...ratioLine(results, 'cluster-500', 'cluster-1000', '1,000 nodes ÷ 500', '1.8–2.2'),
    ...ratioLine(results, 'cluster-16384', 'cluster-131072', '131,072 nodes ÷ 16,384', '7–9'),
  );
  return lines.join('\n');
}

function parseArgs(argv) {
  const options = { only: null, repetitions: REPETITIONS, scaleRepetitions: SCALE_REPETITIONS, scale: true, cli: false, json: null };
  const count = (flag, value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} needs a whole number ≥ 1, found ${value}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const value = argv[i + 1];
    switch (argv[i]) {
      case '--only': options.only = value.split(',').map((v) => v.trim()); i++; break;
      case '--repetitions': options.repetitions = count('--repetitions', value); i++; break;
      case '--scale-repetitions': options.scaleRepetitions = count('--scale-repetitions', value); i++; break;
      case '--no-scale': options.scale = false; break;
      case '--cli': options.cli = true; break;
      case '--json': options.json = value; i++; break;
      default: throw new Error(`unknown option ${argv[i]} (use --only NAME,…, --repetitions N, --scale-repetitions N, --no-scale, --cli, --json FILE)`);
    }
  }
  const known = [...SCENARIOS, ...SCALE_SCENARIOS].map(([name]) => name);
  for (const name of options.only ?? []) if (!known.includes(name)) throw new Error(`unknown scenario ${name} (one of ${known.join(', ')})`);
  return options;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const options = parseArgs(process.argv.slice(2));
  const results = measureScenarios((line) => console.error(line), options);
  console.log(scenarioTable(results));
  if (options.json !== null) writeFileSync(options.json, `${JSON.stringify({ node: process.version, results }, null, 2)}\n`);
}
