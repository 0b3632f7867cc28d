/**
 * dtrain's training-engine benchmark (issue 3). Run `npm run bench` (builds first), or
 * `node bench/bench.mjs [--json FILE] [--nodes 8,64] [--steps 1] [--contenders dtrain]`.
 *
 * For every local-step count and node count: build every contender on the shared workload
 * (workload.mjs), warm each up, then time 3 repetitions of R rounds per contender, interleaved;
 * report the median node-steps/s (rounds × N × localSteps / s) and the tensors left once the
 * contenders are disposed (tensorLeak, over all contenders of the configuration). Progress goes
 * to stderr, the tables to stdout. See README.md.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { initBackend, loadTf } from '../dist/train/backend.js';
import { makeDtrainContender, makeDtrainFreshContender, makeDtrainMt2Contender, makeDtrainParallelContender, makeDtrainTfjsContender } from './dtrain.mjs';
import { makeDtrainProcessesContender } from './dtrain-processes.mjs';
import { makeNaiveContender } from './naive.mjs';
import { makeWorkload } from './workload.mjs';
import { measureScenarios, scenarioTable } from './scenarios.mjs';
import { measurePlayground } from './playground.mjs';
import { measureStudy } from './study.mjs';

// Five, not three: on this shared machine one contender's repetitions spread by a third, and
// the ratios between contenders (dtrain-mt2 ÷ dtrain) moved by ±0.2 from run to run with three.
const REPETITIONS = 5;
const CONTENDERS = {
  // timed repetition length: long enough to smooth out noise, short enough for ~5 min in all
  dtrain: { make: makeDtrainContender, repetitionMs: 1000 },
  'dtrain-fresh': { make: makeDtrainFreshContender, repetitionMs: 1000 },
  'dtrain-tfjs': { make: makeDtrainTfjsContender, repetitionMs: 1000 },
  'dtrain-mt2': { make: makeDtrainMt2Contender, repetitionMs: 1000 },
  'dtrain-parallel': { make: makeDtrainParallelContender, repetitionMs: 1000 },
  'dtrain-2proc': { make: makeDtrainProcessesContender, repetitionMs: 1000 },
  'tfjs-naive': { make: makeNaiveContender, repetitionMs: 2500 },
};
/** PyTorch 1.13 per-node loop on this machine (issue 3 table; N = 1,000 was not measured there) */
const TORCH_LOOP = { 8: 1780, 64: 1750, 256: 1700, 1000: 1750 };

function parseArgs(argv) {
  const options = { json: null, nodes: [8, 64, 256, 1000], steps: [1, 3], contenders: Object.keys(CONTENDERS), backend: 'wasm', scenarios: true, engine: true, torch: true, playground: true };
  for (let i = 0; i < argv.length; i++) {
    const value = argv[i + 1];
    const list = () => value.split(',').map((v) => v.trim());
    switch (argv[i]) {
      case '--json': options.json = value; break;
      case '--nodes': options.nodes = list().map(Number); break;
      case '--steps': options.steps = list().map(Number); break;
      case '--contenders': options.contenders = list(); break;
      case '--backend': options.backend = value; break;
      case '--no-scenarios': options.scenarios = false; i--; break;
      case '--only-scenarios': Object.assign(options, { engine: false, playground: false }); i--; break;
      case '--no-torch': options.torch = false; i--; break;
      case '--no-playground': options.playground = false; i--; break;
      case '--only-playground': Object.assign(options, { engine: false, scenarios: false, playground: true }); i--; break;
      default: throw new Error(`unknown option ${argv[i]} (use --json FILE, --nodes, --steps, --contenders, --backend, --no-scenarios, --only-scenarios, --no-torch, --no-playground, --only-playground)`);
    }
    i++;
  }
  for (const name of options.contenders) if (!(name in CONTENDERS)) throw new Error(`unknown contender ${name}`);
  return options;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function timeRounds(contender, rounds) {
  if (contender.runRounds !== undefined) return contender.runRounds(rounds);
  const start = performance.now();
  for (let r = 0; r < rounds; r++) await contender.round();
  return performance.now() - start;
}

/**
 * Runs untimed rounds (JIT, XNNPACK operator creation, first uploads) and returns the time of
 * one warm round: the mean over ≥ 300 ms of rounds after the first, or the first round alone
 * when that took more than a second.
 */
async function warmUp(contender) {
  const firstMs = await timeRounds(contender, 1);
  if (firstMs > 1000) return firstMs;
  const start = performance.now();
  let rounds = 0;
  do {
    await contender.round();
    rounds++;
  } while (performance.now() - start < 300);
  return (performance.now() - start) / rounds;
}

/**
 * All contenders on one configuration. Their repetitions are interleaved (A, B, C, A, B, C, …)
 * so that a slow spell of this shared machine hits every contender alike.
 */
async function measureConfig(tf, names, workload, nodes, localSteps) {
  // A leak is a tensor still there once every contender is disposed. Counting over the timed
  // rounds instead would call kept batches a leak: the default engine builds the batches of
  // its helper's rows on this thread the first time it runs a round alone (helper-payoff.ts).
  const tensorsBefore = tf.memory().numTensors;
  const contenders = [];
  const plans = [];
  try {
    for (const name of names) contenders.push(await CONTENDERS[name].make(workload, localSteps));
    for (const [k, contender] of contenders.entries()) {
      plans.push({ rounds: Math.max(1, Math.round(CONTENDERS[names[k]].repetitionMs / (await warmUp(contender)))), rates: [] });
    }
    for (let rep = 0; rep < REPETITIONS; rep++) {
      for (const [k, contender] of contenders.entries()) {
        const ms = await timeRounds(contender, plans[k].rounds);
        plans[k].rates.push((plans[k].rounds * nodes * localSteps * (contender.copies ?? 1)) / (ms / 1000));
      }
    }
  } finally {
    for (const contender of contenders) contender.dispose();
  }
  const tensorLeak = tf.memory().numTensors - tensorsBefore;
  return names.map((name, k) => ({
    contender: name,
    nodes,
    localSteps,
    nodeStepsPerSec: median(plans[k].rates),
    repetitions: plans[k].rates,
    roundsPerRepetition: plans[k].rounds,
    tensorLeak,
  }));
}

/** Largest |θ_dtrain − θ_naive| after 3 rounds at N = 8, and how far θ moved meanwhile. */
async function agreement(localSteps) {
  const workload = makeWorkload(8, localSteps);
  const [fast, naive] = [await makeDtrainContender(workload, localSteps), await makeNaiveContender(workload, localSteps)];
  for (let r = 0; r < 3; r++) {
    await fast.round();
    await naive.round();
  }
  let difference = 0;
  let moved = 0;
  const [a, b] = [fast.params(), naive.params()];
  a.forEach((layer, j) =>
    layer.forEach((v, k) => {
      difference = Math.max(difference, Math.abs(v - b[j][k]));
      moved = Math.max(moved, Math.abs(v - workload.initialParams[j][k]));
    }),
  );
  fast.dispose();
  naive.dispose();
  return { difference, moved };
}

const format = (value) => Math.round(value).toLocaleString('en-US');

function printTables(results, options) {
  const header = `| contender | localSteps | ${options.nodes.map((n) => `N=${n}`).join(' | ')} |`;
  const rule = `|---|---|${options.nodes.map(() => '---').join('|')}|`;
  const lines = [`node-steps/s, median of ${REPETITIONS} (min..max)`, '', header, rule];
  for (const steps of options.steps) {
    for (const name of options.contenders) {
      const cells = options.nodes.map((n) => {
        const r = results.find((x) => x.contender === name && x.nodes === n && x.localSteps === steps);
        return `${format(r.nodeStepsPerSec)} (${format(Math.min(...r.repetitions))}..${format(Math.max(...r.repetitions))})`;
      });
      lines.push(`| ${name} | ${steps} | ${cells.join(' | ')} |`);
    }
  }
  // dtrain-2proc is two engines at once: only its ratio to one engine means something
  const ratioRows = (title, baseline, withProcesses = false) => {
    lines.push('', title, '', header, rule);
    for (const steps of options.steps) {
      for (const name of options.contenders.filter((c) => c.startsWith('dtrain') && (withProcesses || c !== 'dtrain-2proc'))) {
        const cells = options.nodes.map((n) => {
          const r = results.find((x) => x.contender === name && x.nodes === n && x.localSteps === steps);
          const base = baseline(n, steps);
          return base ? `${(r.nodeStepsPerSec / base).toFixed(1)}×` : '–';
        });
        lines.push(`| ${name} | ${steps} | ${cells.join(' | ')} |`);
      }
    }
  };
  ratioRows('÷ PyTorch per-node loop (recorded figures, not this run; target ≥ 4× with 1 step, ≥ 1.5× with 3, at N ≥ 64)', (n) => TORCH_LOOP[n]);
  if (options.contenders.includes('tfjs-naive')) {
    ratioRows('÷ tfjs-naive (this run)', (n, steps) => results.find((x) => x.contender === 'tfjs-naive' && x.nodes === n && x.localSteps === steps)?.nodeStepsPerSec);
  }
  if (options.contenders.includes('dtrain')) {
    ratioRows('÷ dtrain, one thread (this run; target for dtrain-mt2 ≥ 1.6× with 1 step at N ≥ 256; dtrain-2proc: what two one-thread engines in two processes got from the machine meanwhile, the ceiling)', (n, steps) => results.find((x) => x.contender === 'dtrain' && x.nodes === n && x.localSteps === steps)?.nodeStepsPerSec, true);
  }
  if (options.contenders.includes('dtrain-tfjs')) {
    ratioRows('÷ dtrain-tfjs, one thread with tfjs\'s per-node products, as before the gradient kernel (this run)', (n, steps) => results.find((x) => x.contender === 'dtrain-tfjs' && x.nodes === n && x.localSteps === steps)?.nodeStepsPerSec);
  }
  // fewer tensors after than before is not a leak: tensors made during the warm-up (kept
  // batches, say) were freed during the timed rounds
  const leaks = results.filter((r) => r.tensorLeak > 0);
  const freed = results.some((r) => r.tensorLeak < 0);
  const flat = freed ? 'tf.memory().numTensors: nothing left once the contenders are disposed (fewer than before some)' : 'tf.memory().numTensors: back where it was once the contenders are disposed, in every configuration';
  lines.push('', leaks.length === 0 ? flat : `tensor leaks: ${JSON.stringify(leaks)}`);
  console.log(lines.join('\n'));
}

/** torch_peer.py's contenders; torch-concat runs with one local step only (FedAvg only then). */
const TORCH_PEERS = ['torch-loop', 'torch-bmm', 'torch-concat'];

/**
 * The PyTorch peers (torch_peer.py: `torch-loop`, `torch-bmm`, `torch-concat`) on the same nodes
 * and steps, when Debian's python3-torch is installed: its report ({ torch, threads, blas,
 * agreement, results }), or null when it is absent or fails.
 */
function runTorchPeer(options) {
  const python = '/usr/bin/python3';
  if (spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' }).status !== 0) {
    console.log(`\nPyTorch peers skipped: ${python} cannot import torch (apt-get install python3-torch to add them; --no-torch to silence this)`);
    return null;
  }
  console.error(`PyTorch peers (${TORCH_PEERS.join(', ')}) …`);
  const script = fileURLToPath(new URL('./torch_peer.py', import.meta.url));
  const run = spawnSync(python, [script, '--nodes', options.nodes.join(','), '--steps', options.steps.join(','), '--contenders', TORCH_PEERS.join(',')], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (run.status !== 0) {
    console.log(`\nPyTorch peers failed (exit status ${run.status ?? run.signal}); no PyTorch figures in this run`);
    return null;
  }
  return JSON.parse(run.stdout);
}

function printTorchTables(results, { torch, threads, blas, agreement, results: torchResults }, options) {
  const header = `| contender | localSteps | ${options.nodes.map((n) => `N=${n}`).join(' | ')} |`;
  const rule = `|---|---|${options.nodes.map(() => '---').join('|')}|`;
  const find = (list, name, n, steps) => list.find((x) => x.contender === name && x.nodes === n && x.localSteps === steps);
  const title = `PyTorch ${torch} peers (${threads} thread(s), BLAS ${blas}; run after the contenders above), node-steps/s, median of 3 (min..max)`;
  const lines = ['', title, '', header, rule];
  for (const steps of options.steps) {
    for (const peer of TORCH_PEERS) {
      if (!options.nodes.some((n) => find(torchResults, peer, n, steps))) continue;
      const cells = options.nodes.map((n) => {
        const r = find(torchResults, peer, n, steps);
        return r ? `${format(r.nodeStepsPerSec)} (${format(Math.min(...r.repetitions))}..${format(Math.max(...r.repetitions))})` : '–';
      });
      lines.push(`| ${peer} | ${steps} | ${cells.join(' | ')} |`);
    }
  }
  if (agreement) {
    lines.push('', `PyTorch peers agree after 3 rounds at N=8: max |θ_bmm − θ_loop| = ${agreement.bmm.toExponential(1)} (K=1), ${agreement.bmm3.toExponential(1)} (K=3); max |θ_concat − θ_loop| = ${agreement.concat.toExponential(1)} (K=1); θ moved up to ${agreement.moved.toExponential(1)}`);
  }
  const dtrains = options.contenders.filter((c) => c.startsWith('dtrain') && c !== 'dtrain-2proc');
  if (dtrains.length > 0) lines.push('', '÷ each PyTorch peer and the best of them (this run; torch-concat with one local step only)', '', header, rule);
  for (const steps of options.steps) {
    for (const name of dtrains) {
      const ratio = (n, peerRate) => (peerRate ? `${(find(results, name, n, steps).nodeStepsPerSec / peerRate).toFixed(1)}×` : '–');
      for (const peer of TORCH_PEERS) {
        if (!options.nodes.some((n) => find(torchResults, peer, n, steps))) continue;
        lines.push(`| ${name} ÷ ${peer} | ${steps} | ${options.nodes.map((n) => ratio(n, find(torchResults, peer, n, steps)?.nodeStepsPerSec)).join(' | ')} |`);
      }
      const best = (n) => {
        let rate = 0;
        for (const peer of TORCH_PEERS) rate = Math.max(rate, find(torchResults, peer, n, steps)?.nodeStepsPerSec ?? 0);
        return rate;
      };
      lines.push(`| ${name} ÷ best peer | ${steps} | ${options.nodes.map((n) => ratio(n, best(n))).join(' | ')} |`);
    }
  }
  console.log(lines.join('\n'));
}

const options = parseArgs(process.argv.slice(2));
const tf = await loadTf();
const backend = await initBackend(options.backend);
console.error(`backend ${backend}, node ${process.version}, ${os.cpus().length} cpus`);
const results = [];
if (options.engine) {
  // The first configuration measured would otherwise also pay for V8 compiling tfjs's hot paths.
  for (const name of options.contenders) {
    const contender = await CONTENDERS[name].make(makeWorkload(8, 1), 1);
    const start = performance.now();
    while (performance.now() - start < 1500) await contender.round();
    contender.dispose();
  }
  for (const localSteps of options.steps) {
    for (const nodes of options.nodes) {
      for (const result of await measureConfig(tf, options.contenders, makeWorkload(nodes, localSteps), nodes, localSteps)) {
        console.error(`${result.contender.padEnd(12)} K=${localSteps} N=${String(nodes).padEnd(5)} ${format(result.nodeStepsPerSec)} node-steps/s`);
        results.push(result);
      }
    }
  }
  printTables(results, options);
  if (options.contenders.includes('dtrain') && options.contenders.includes('tfjs-naive')) {
    for (const localSteps of options.steps) {
      const { difference, moved } = await agreement(localSteps);
      console.log(`agreement, K=${localSteps}: max |θ_dtrain − θ_naive| = ${difference.toExponential(1)} after 3 rounds at N=8 (θ moved up to ${moved.toExponential(1)})`);
    }
  }
  const torchReport = options.torch ? runTorchPeer(options) : null;
  if (torchReport !== null) {
    printTorchTables(results, torchReport, options);
    results.push(...torchReport.results);
  }

}
if (options.scenarios) {
  const scenarioResults = measureScenarios((line) => console.error(line));
  results.push(...scenarioResults);
  console.log(`\n${scenarioTable(scenarioResults)}`);
  const study = measureStudy((line) => console.error(line));
  results.push(study);
  console.log(`\nstudy: 20 seeds × 4 strategies of quickstart, --jobs 2: ${(study.wallMs / 1000).toFixed(1)} s (target under ${study.targetMs / 1000} s)`);
}
if (options.playground) {
  const playground = await measurePlayground((line) => console.error(line));
  if (playground !== null) {
    results.push(playground);
    console.log(`\nplayground: quickstart in the browser's worker ${playground.ratio.toFixed(2)}× the CLI's time in its strategies (target within ${playground.targetRatio}×)`);
  }
}
if (options.json !== null) {
  const report = { backend, node: process.version, cpus: os.cpus().length, results };
  writeFileSync(options.json, `${JSON.stringify(report, null, 2)}\n`);
  console.error(`wrote ${options.json}`);
}
