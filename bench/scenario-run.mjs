// One whole-scenario measurement in a fresh process (so peak RSS is this run's alone), as a
// user runs it: load → run → terminal tables → JSON. Prints one JSON line with the time split:
//   setupMs      process start → the first engine is created (module loading, scenario
//                loading, dataset generation/reading, split, partition, backend start-up)
//   mathMs       inside the training engine (local training, aggregation, evaluation)
//   simulatorMs  everything else: S1 sampling, S2–S4, time model, clock, records, tables, JSON
// Usage: node bench/scenario-run.mjs FILE [fast|reference]
import { performance } from 'node:perf_hooks';
import { loadScenario, runScenario } from '../dist/index.js';
import { toJsonReport } from '../dist/report/json.js';
import { renderRunTables, renderSummary } from '../dist/report/table.js';

const [file, engineName = 'fast'] = process.argv.slice(2);
const { createFastEngine } = await import('../dist/train/fast-engine.js');
const { createReferenceEngine } = await import('../dist/train/reference-engine.js');
const base = engineName === 'reference' ? createReferenceEngine : createFastEngine;

let mathMs = 0;
let setupMs = null;
async function timed(fn) {
  const t0 = performance.now();
  try {
    return await fn();
  } finally {
    mathMs += performance.now() - t0;
  }
}
const timedEngine = async (options) => {
  setupMs ??= performance.now();
  const engine = await timed(() => base(options));
  return {
    backend: engine.backend,
    paramCount: engine.paramCount,
    trainLocal: (tasks) => timed(() => engine.trainLocal(tasks)),
    aggregate: (weights) => {
      const t0 = performance.now();
      engine.aggregate(weights);
      mathMs += performance.now() - t0;
    },
    discardLocal: () => engine.discardLocal(),
    evaluate: () => timed(() => engine.evaluate()),
    getParams: () => engine.getParams(),
    dispose: () => engine.dispose(),
  };
};

const scenario = await loadScenario(file);
const result = await runScenario(scenario, { engine: timedEngine });
const reportsFrom = performance.now();
const tables = renderRunTables(result, { color: false, quiet: false }) + renderSummary(result, { color: false });
const json = toJsonReport(result, { version: 'bench', trace: false, timing: false });
const reportsMs = performance.now() - reportsFrom;
// performance.now() counts from process start, so wallMs includes Node's own start-up.
const wallMs = performance.now();
const nodeSteps = result.runs.reduce(
  (sum, run) => sum + run.rounds.reduce((s, r) => s + r.nodes.filter((n) => n.participated).length, 0),
  0,
) * scenario.model.localSteps;
process.stdout.write(`${JSON.stringify({
  scenario: scenario.name,
  nodes: scenario.cluster.nodes.length,
  rounds: scenario.rounds,
  strategies: scenario.strategies.length,
  localSteps: scenario.model.localSteps,
  wallMs,
  setupMs,
  mathMs,
  simulatorMs: wallMs - setupMs - mathMs,
  reportsMs,
  peakRssMB: process.resourceUsage().maxRSS / 1024,
  nodeSteps,
  outputBytes: tables.length + json.length,
})}\n`);
