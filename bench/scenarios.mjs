/**
 * Whole-scenario timings (issue 3): each scenario runs REPETITIONS times in a fresh process
 * (bench/scenario-run.mjs); the median of each figure is reported. Also the linearity check:
 * per-round cost (model maths + simulator) at 1,000 nodes ÷ at 500 nodes.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const REPETITIONS = 3;
export const SCENARIOS = [
  ['large-cluster', 'scenarios/large-cluster.yaml'],
  ['cluster-500', 'bench/scenarios/cluster-500.yaml'],
  ['cluster-1000', 'bench/scenarios/cluster-1000.yaml'],
  ['cluster-1000-server', 'bench/scenarios/cluster-1000-server.yaml'],
];

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function runOnce(file) {
  const out = execFileSync(process.execPath, ['bench/scenario-run.mjs', file], { cwd: ROOT, encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop());
}

export function measureScenarios(log) {
  const results = [];
  for (const [name, file] of SCENARIOS) {
    const runs = [];
    for (let rep = 0; rep < REPETITIONS; rep++) runs.push(runOnce(file));
    const pick = (key) => median(runs.map((r) => r[key]));
    const result = {
      contender: `scenario:${name}`,
      nodes: runs[0].nodes,
      localSteps: runs[0].localSteps,
      rounds: runs[0].rounds,
      strategies: runs[0].strategies,
      nodeStepsPerSec: median(runs.map((r) => r.nodeSteps / ((r.mathMs + r.simulatorMs) / 1000))),
      wallMs: pick('wallMs'),
      setupMs: pick('setupMs'),
      mathMs: pick('mathMs'),
      simulatorMs: pick('simulatorMs'),
      simulatorShare: median(runs.map((r) => r.simulatorMs / r.wallMs)),
      nonMathShare: median(runs.map((r) => (r.wallMs - r.mathMs) / r.wallMs)),
      peakRssMB: pick('peakRssMB'),
      repetitions: runs.map((r) => r.wallMs),
    };
    log(`${result.contender.padEnd(22)} wall ${Math.round(result.wallMs)} ms, peak ${Math.round(result.peakRssMB)} MB`);
    results.push(result);
  }
  return results;
}

export function scenarioTable(results) {
  const f = (ms) => `${Math.round(ms).toLocaleString('en-US')}`;
  const pct = (x) => `${(100 * x).toFixed(1)} %`;
  const lines = [
    'whole scenarios, median of 3 fresh processes (ms; shares of wall time)',
    '',
    '| scenario | nodes × rounds × strategies | wall | setup | model maths | simulator | simulator share | non-maths share | node-steps/s (rounds only) | peak RSS |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of results) {
    lines.push(`| ${r.contender} | ${r.nodes} × ${r.rounds} × ${r.strategies} | ${f(r.wallMs)} | ${f(r.setupMs)} | ${f(r.mathMs)} | ${f(r.simulatorMs)} | ${pct(r.simulatorShare)} | ${pct(r.nonMathShare)} | ${f(r.nodeStepsPerSec)} | ${Math.round(r.peakRssMB)} MB |`);
  }
  const half = results.find((r) => r.contender === 'scenario:cluster-500');
  const full = results.find((r) => r.contender === 'scenario:cluster-1000');
  if (half && full) {
    const perRound = (r) => r.mathMs + r.simulatorMs;
    lines.push('', `linearity: rounds at 1,000 nodes ÷ at 500 = ${(perRound(full) / perRound(half)).toFixed(2)} (target 1.8–2.2); whole wall ${(full.wallMs / half.wallMs).toFixed(2)}`);
  }
  return lines.join('\n');
}
