// One whole-scenario measurement in a fresh process (so peak RSS is this run's alone), as a
// user runs it: load → run → outputs. Prints one JSON line with the time split (ms):
//   wallMs         process start → the outputs are written (Node's own start-up included)
//   setupMs        process start → the first engine is created (module loading, scenario
//                  loading, dataset generation, split, partition, latency models, backend)
//   mathMs         inside the training engine (engine creation, local training, the
//                  aggregate, evaluation)
//   engineStartMs  of mathMs: creating the engines and their first evaluation (θ before
//                  round 1), once per strategy, not per round
//   bookkeepingMs  the round loop's own work: everything between the first engine's creation
//                  and the end of the run that is neither the engine nor the outputs (S1's
//                  samples, S2–S4, the time model and server link, drawing each node's batch
//                  indices, S4's weighing, the round records, and the garbage collection of
//                  what they allocate)
//   outputsMs      rendering the outputs (terminal tables and JSON, or the streamed JSON)
// and bookkeepingShare = bookkeepingMs / wallMs (the simulator-bookkeeping target: < 10 %).
//
// Usage: node bench/scenario-run.mjs FILE [--engine fast|reference|parallel] [--outputs memory|stream] [--window-thread on|off]
// (bench/scenarios.mjs starts it with the Node flags bin/dtrain.js starts with, --max-semi-space-size=64;
// without them V8's smaller young generation adds about 1–1.5 s of collections at 131,072 nodes)
//   memory  the terminal tables and the JSON report rendered from the whole result (default)
//   stream  the JSON report streamed round by round to a temporary file, the run keeping no
//           node records (what `dtrain simulate --json` does at scale); no terminal tables
// --window-thread off: every round draws its own S1 windows on the main thread, as a run too small
// for the window helper thread does (the helper's draws are not in any figure here: they overlap
// the main thread's work, and the CPU time they take shows only in a shorter or longer wall time)
import { mkdtempSync, rmSync, writeSync, openSync, closeSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance, PerformanceObserver } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { loadScenario, runScenario } from '../dist/index.js';
import { nodeHost } from '../dist/node/host.js';
import { peakRssMB } from './peak-rss.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    engine: { type: 'string', default: 'fast' },
    outputs: { type: 'string', default: 'memory' },
    'window-thread': { type: 'string', default: 'on' },
  },
});
const [file] = positionals;
if (file === undefined || !['memory', 'stream'].includes(values.outputs) || !['on', 'off'].includes(values['window-thread'])) {
  process.stderr.write('usage: node bench/scenario-run.mjs FILE [--engine NAME] [--outputs memory|stream] [--window-thread on|off]\n');
  process.exit(2);
}
const loadEngine = nodeHost.engines.get(values.engine);
if (loadEngine === undefined) {
  process.stderr.write(`unknown engine ${values.engine}\n`);
  process.exit(2);
}
const base = await loadEngine();
const host = values['window-thread'] === 'off' ? { ...nodeHost, startWindowPrefetch: undefined } : nodeHost;

let mathMs = 0;
let engineStartMs = 0;
let outputsMs = 0;
let setupMs = null;
// every garbage collection on the main thread, put down afterwards to what was running then
const collections = [];
const gcObserver = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) collections.push([entry.startTime, entry.duration]);
});
gcObserver.observe({ entryTypes: ['gc'] });
/** [startMs, endMs] of every engine call and every output step, in time order */
const spans = { math: [], outputs: [] };
function during(name, startMs, endMs) {
  spans[name].push([startMs, endMs]);
}
function within(list, atMs) {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid][1] < atMs) lo = mid + 1;
    else hi = mid;
  }
  return lo < list.length && list[lo][0] <= atMs;
}
async function timed(fn) {
  const t0 = performance.now();
  try {
    return await fn();
  } finally {
    const t1 = performance.now();
    mathMs += t1 - t0;
    during('math', t0, t1);
  }
}
function timedSync(fn) {
  const t0 = performance.now();
  try {
    return fn();
  } finally {
    const t1 = performance.now();
    mathMs += t1 - t0;
    during('math', t0, t1);
  }
}
function outputs(fn) {
  const t0 = performance.now();
  try {
    return fn();
  } finally {
    const t1 = performance.now();
    outputsMs += t1 - t0;
    during('outputs', t0, t1);
  }
}
const timedEngine = async (options) => {
  setupMs ??= performance.now();
  const t0 = performance.now();
  const engine = await timed(() => base(options));
  engineStartMs += performance.now() - t0;
  let evaluated = false;
  return {
    backend: engine.backend,
    paramCount: engine.paramCount,
    trainLocal: (tasks) => timed(() => engine.trainLocal(tasks)),
    aggregate: (weights) => timedSync(() => engine.aggregate(weights)),
    discardLocal: () => timedSync(() => engine.discardLocal()),
    evaluate: async () => {
      const t0 = performance.now();
      try {
        return await timed(() => engine.evaluate());
      } finally {
        if (!evaluated) engineStartMs += performance.now() - t0;
        evaluated = true;
      }
    },
    getParams: () => engine.getParams(),
    dispose: () => timedSync(() => engine.dispose()),
  };
};

const scenario = await loadScenario(file);
// the heap setting `dtrain simulate --json` makes for a run of this size (src/cli/heap-growth.ts)
const { limitHeapGrowth } = await import('../dist/cli/heap-growth.js');
const { estimateRun } = await import('../dist/limits/estimate.js');
const { datasetShape } = await import('../dist/limits/dataset-shape.js');
const usage = { json: true, trace: false, report: false, timeline: false, csv: false, streamed: values.outputs === 'stream' };
const heapGrowth = limitHeapGrowth(estimateRun(scenario, datasetShape(scenario.data.dataset), usage).memoryBytes, scenario.cluster.nodes.length);
let nodeSteps = 0;
const countSteps = (record) => {
  for (const node of record.nodes) if (node.participated) nodeSteps += scenario.model.localSteps;
};
let outputBytes = 0;
let runEnd;
/**
 * Each round's maths + bookkeeping (streamed runs): the time from the previous round's record
 * (or the engine's creation) to this one's, less the outputs written in between. The first
 * round of each strategy's run also carries its engine's start and the code's first, slower,
 * passes.
 */
const roundMs = [];
/** of each, the engine's maths */
const roundMathMs = [];
/** of each, whether it is the first round of its strategy's run */
const firstOfRun = [];
let lastMark = null;
let lastStrategy = null;
let outputsAtMark = 0;
let mathAtMark = 0;
function markRound(strategy) {
  const now = performance.now();
  const from = lastMark ?? setupMs;
  roundMs.push(now - from - (outputsMs - outputsAtMark));
  roundMathMs.push(mathMs - mathAtMark);
  firstOfRun.push(strategy !== lastStrategy);
  lastMark = now;
  lastStrategy = strategy;
  outputsAtMark = outputsMs;
  mathAtMark = mathMs;
}
const meanOf = (values) => (values.length === 0 ? null : values.reduce((sum, ms) => sum + ms, 0) / values.length);
/** The middle value (the mean of the two middle ones). */
const medianOf = (values) => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
if (values.outputs === 'memory') {
  const result = await runScenario(scenario, { engine: timedEngine, host });
  runEnd = performance.now();
  for (const run of result.runs) for (const record of run.rounds) countSteps(record);
  const { toJsonReport } = await import('../dist/report/json.js');
  const { renderRunTables, renderSummary } = await import('../dist/report/table.js');
  outputs(() => {
    const tables = renderRunTables(result, { color: false, quiet: false }) + renderSummary(result, { color: false });
    const json = toJsonReport(result, { version: 'bench', trace: false, timing: false });
    outputBytes = tables.length + json.length;
  });
} else {
  const { JsonReportStream } = await import('../dist/report/json-stream.js');
  const folder = mkdtempSync(join(tmpdir(), 'dtrain-bench-'));
  const path = join(folder, 'report.json');
  const fd = openSync(path, 'w');
  const stream = new JsonReportStream(scenario, { version: 'bench', trace: false, timing: false }, (text) => writeSync(fd, text));
  try {
    const result = await runScenario(scenario, {
      engine: timedEngine,
      host,
      retainNodes: false,
      // as `dtrain simulate --json` without --report: no output reads the node events
      timelines: false,
      onRound: (record, strategy, backend) => outputs(() => {
        markRound(strategy);
        countSteps(record);
        stream.round(record, strategy, backend);
      }),
      onRunEnd: (run) => outputs(() => stream.runEnd(run)),
    });
    runEnd = performance.now();
    outputs(() => stream.finish(result));
    closeSync(fd);
    outputBytes = statSync(path).size;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
// performance.now() counts from process start, so wallMs includes Node's own start-up.
const wallMs = performance.now();
await new Promise((resolve) => setTimeout(resolve, 50)); // GC entries arrive on a timer turn
gcObserver.disconnect();
const gcMs = { setup: 0, math: 0, bookkeeping: 0, outputs: 0 };
for (const [startMs, durationMs] of collections) {
  const activity = startMs < setupMs ? 'setup'
    : within(spans.math, startMs) ? 'math'
      : startMs >= runEnd || within(spans.outputs, startMs) ? 'outputs' : 'bookkeeping';
  gcMs[activity] += durationMs;
}
const rounds = scenario.rounds * scenario.strategies.length;
// the outputs streamed during the run are not the loop's work
const bookkeepingMs = runEnd - setupMs - mathMs - (values.outputs === 'stream' ? outputsMs : 0);
process.stdout.write(`${JSON.stringify({
  scenario: scenario.name,
  nodes: scenario.cluster.nodes.length,
  rounds: scenario.rounds,
  strategies: scenario.strategies.length,
  localSteps: scenario.model.localSteps,
  engine: values.engine,
  outputs: values.outputs,
  windowThread: values['window-thread'],
  wallMs,
  setupMs,
  mathMs,
  engineStartMs,
  bookkeepingMs,
  outputsMs,
  bookkeepingShare: bookkeepingMs / wallMs,
  /** garbage collection on the main thread while each part ran (included in its time) */
  gcMs,
  perRoundMs: (mathMs + bookkeepingMs) / rounds,
  /** the same without the engines' start, a cost of the run rather than of its rounds */
  perRoundWithoutStartMs: (mathMs - engineStartMs + bookkeepingMs) / rounds,
  bookkeepingPerRoundMs: bookkeepingMs / rounds,
  /** streamed runs: each round's maths + bookkeeping, and of it the engine's maths */
  roundMs,
  roundMathMs,
  /**
   * the mean first round of a strategy's run, and the mean of the rounds after it: a first
   * round also pays once for what every later round reuses (the engine's start, memory
   * written for the first time, code compiled by V8 as it runs)
   */
  firstRoundMs: meanOf(roundMs.filter((_, k) => firstOfRun[k])),
  steadyRoundMs: meanOf(roundMs.filter((_, k) => !firstOfRun[k])),
  // the typical round after the first: a round that the machine slowed (another process, a
  // collection) weighs in the mean, as much more in a small run's as its rounds are shorter
  steadyRoundMedianMs: medianOf(roundMs.filter((_, k) => !firstOfRun[k])),
  peakRssMB: peakRssMB(),
  /** the V8 flag set for a large run, null for V8's default */
  heapGrowth,
  nodeSteps,
  outputBytes,
})}\n`);
