// One whole-scenario measurement in a fresh process (so peak RSS is this run's alone):
// load → run (engine calls timed) → terminal tables → JSON. Prints one JSON line.
// Usage: node bench/scenario-run.mjs FILE [engine]
import { performance } from 'node:perf_hooks';
import { loadScenario, runScenario } from '../dist/index.js';
import { toJsonReport } from '../dist/report/json.js';
import { renderRunTables, renderSummary } from '../dist/report/table.js';

const [file, engineName = 'fast'] = process.argv.slice(2);
const { createFastEngine } = await import('../dist/train/fast-engine.js');
const { createReferenceEngine } = await import('../dist/train/reference-engine.js');
const base = engineName === 'reference' ? createReferenceEngine : createFastEngine;

let mathMs = 0;
async function timed(fn) {
  const t0 = performance.now();
  try {
    return await fn();
  } finally {
    mathMs += performance.now() - t0;
  }
}
// The model maths: everything the engine does (local training, aggregation, evaluation).
const timedEngine = async (options) => {
  const engine = await timed(() => base(options));
  return {
    backend: engine.backend,
    paramCount: engine.paramCount,
    trainLocal: (tasks) => timed(() => engine.trainLocal(tasks)),
    aggregate: (weights) => { const t0 = performance.now(); engine.aggregate(weights); mathMs += performance.now() - t0; },
    discardLocal: () => engine.discardLocal(),
    evaluate: () => timed(() => engine.evaluate()),
    getParams: () => engine.getParams(),
    dispose: () => engine.dispose(),
  };
};

const t0 = performance.now();
const scenario = await loadScenario(file);
const result = await runScenario(scenario, { engine: timedEngine });
const tables = renderRunTables(result, { color: false, quiet: false }) + renderSummary(result, { color: false });
const json = toJsonReport(result, { version: 'bench', trace: false, timing: false });
const wallMs = performance.now() - t0;
const nodes = scenario.cluster.nodes.length;
const nodeSteps = result.runs.reduce((sum, run) => sum + run.rounds.reduce((s, r) => s + r.nodes.filter((n) => n.participated).length, 0), 0) * scenario.model.localSteps;
process.stdout.write(`${JSON.stringify({
  scenario: scenario.name, nodes, rounds: scenario.rounds, wallMs, mathMs, otherMs: wallMs - mathMs,
  peakRssMB: process.resourceUsage().maxRSS / 1024, nodeSteps, outputBytes: tables.length + json.length,
})}\n`);
