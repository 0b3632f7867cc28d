/**
 * What a run will cost, estimated before it starts from the scenario alone (issue 6, limits):
 * host memory in bytes and host time in seconds, each the sum of named parts so that a refusal
 * can say where the cost comes from. A pure function of the resolved scenario, the dataset's
 * shape and the output options.
 *
 * The figures are deliberately coarse upper-ish estimates, calibrated on this implementation:
 *
 *   records   strategies × rounds × nodes × ~3,000 B (a kept NodeRoundRecord with its
 *             timeline and the stages' working on the heap: measured 21.3 MB a round at 16,384
 *             nodes, but at 131,072 nodes × 3 rounds a golden update's kept records and report
 *             took 2.0 GB above the same run streamed, 5.1 KB a node-round of which the report
 *             is 0.9 KB: V8's heap grows by more at that size), + K samples × 16 B each with
 *             --trace; `streamed` (simulate keeps no node records, SPEC §9): ~1,550 B per node at a round's peak (its records, the state
 *             they come from and the previous round's records not yet collected: measured
 *             25.3 MB at 16,384 nodes)
 *   json      the report string: ~760 B per node-round (+ ~12 B per trace sample), held as a
 *             string and as a Buffer while it is written; `streamed`: a string of about 64K
 *             characters at a time (at most twice that), and no longer one string (so never
 *             too large for one)
 *   report    the HTML page: 64 KiB + ~400 B per heatmap cell (at most 64 nodes × 150 round
 *             columns per strategy) + ~80 B per round + ~300 B per node-table row (at most
 *             1,024); vega's scenegraph and the SVG strings hold ~25 times that while it
 *             renders; `streamed`: + 24 B per node-round and 48 B per node and strategy of
 *             gathered chart data
 *   timeline  ~620 B per node-round (up to four phase events) + ~150 B per round marker,
 *             written round by round, 2,048 nodes at a time: the event objects, the piece and
 *             its Buffer hold ~6 times a piece's bytes; never one string of the run
 *   csv       nodes.csv ~200 B per node-round, rounds.csv ~100 B per round; nodes.csv is
 *             written round by round, 4,096 rows at a time (a piece and its Buffer), and
 *             rounds.csv's rows are kept (~4 times their bytes); never one string of the run
 *   dataset   max(samples, nodes) × (features × 4 B × copies + 96 B of indices, labels and
 *             targets): 1 copy of generated data (arranged in its own memory), 2 of a CSV's
 *             (the scenario's rows and the training set copied out of them) or when nodes
 *             share rows
 *   engine    the fast engine's per-node updates, params × 4 B × nodes while nodes × params ≤
 *             2^26, else two chunks of 2^20 values (recomputed for the aggregate), + 8 model-sized
 *             vectors (θ, its successor, scratch); + the gradient kernels' memory, 2 model copies
 *             a thread (8 with later local steps), and 4 of past rounds not yet collected;
 *             + 128 MiB for the helper thread's own
 *             TF.js from nodes × params ≥ 2^20 (the training set is shared with it) when the
 *             model has work for tfjs (several local steps, or a layer product too large for
 *             JS), on a host that starts one (the Node CLI does; a browser tab runs one engine only)
 *   batches   rows × localSteps × (features + widths) × 4 B × 3 (batches and activations),
 *             rows = nodes × batch when a round fits one chunk of 4,096 rows, else two
 *             chunks (one per thread) of at most 4,096 + batch rows
 *   traces    each trace file's samples (however many nodes replay it), ~56 B a sample at the
 *             run's peak: their two columns of doubles and the file as it was read; ~32 B
 *             more a sample on the window helper thread (its own copy)
 *   latency   burst chains keep ~600 B and a bit per 32 grid slots of simulated time (twice
 *             that while the bits grow by doubling: a byte per 128 slots); per round each
 *             node reads K window samples and up to 2 · maxRetries transfer tries; from
 *             nodes × K ≥ 2^18, on a host that draws them on a helper thread (Node does), that
 *             thread: 32 MiB + ~1.5 KB per node + its own column of samples and burst chains
 *   young     V8's young generation holds a round's short-lived objects: ~1.5 KB per node,
 *             up to 192 MiB with the 64 MiB semi-spaces `dtrain` starts Node with
 *   training  strategies × rounds × nodes × localSteps × batch × params × 6 flop: each node's
 *             first step at 24 GFLOP/s plus 4 µs (one concatenated pass in the gradient
 *             kernel's memory, every product the kernel's); each later step node by node, 6 µs plus each layer's three products by the gradient kernel
 *             at 20 GFLOP/s plus 2 µs (a layer of over 2^18 weights at 8 GFLOP/s, plus 5 ns a
 *             weight for its transpose); twice that when the per-node updates are not held (the
 *             aggregate recomputes them); + 1 µs a parameter to start each strategy's engine
 *
 * `batch` is the largest batch S2 can give: B·e/(e+1) ≤ B/2, so min(cap, max(minBatch, ⌈B/2⌉)).
 *
 * Simulated time, needed for the burst chains, is estimated per round as the slowest node's
 * round in the schedule's own time model: 2 · (typical latency + transfer) + localSteps · step
 * time at batch B/2 with the base threads and queue (+ 2 · (maxRetries − 1) · retryMs when its
 * link can lose samples: every try of a transfer but the last lost); with a server link, at
 * least the time that link takes to carry every node's model down and its update back up
 * (2 · nodes · bytes / its bandwidth: the nodes' transfers share it, so the alone-on-the-link
 * figure was 5 times short for the 131,072-node benchmark and 126 times with 100 MB models);
 * capped by roundTimeoutMs.
 */
import { normsKept } from '../pipeline/norm-histories.js';
import { createStageRegistry } from '../pipeline/stages/builtin.js';
import { fixedResources } from '../pipeline/s3-resources.js';
import { CHUNK_CHARS } from '../report/chunk-sizer.js';
import { linePointsFor, MAX_HEATMAP_NODES, roundColumnsFor } from '../report/html/chart-data.js';
import type { LatencySpec, NodeSpec, Scenario, TraceSamples } from '../scenario/types.js';
import { roundTimes } from '../sim/round-time.js';
import { stepMs, wireBytes } from '../sim/time-model.js';
import type { DatasetShape } from '../scenario/dataset-shape.js';
import { PREFETCH_MIN_SAMPLES } from '../run/observe.js';
import { boundedChunkTasks, CHUNK_ROWS, JS_PRODUCT_LIMIT, MAX_HELD_VALUES, PARALLEL_MIN_VALUES } from '../train/fast-sizes.js';
import { countParams, layerWidths } from '../train/params.js';
import { MAX_CHAIN_SLOTS, keepsChain } from '../scenario/burst-chains.js';

export type { DatasetShape };

export interface EstimateOptions {
  /** `--trace`: raw S1 samples kept in the records and the JSON */
  trace: boolean;
  /** `--json`: the report is built as one string */
  json: boolean;
  /** `--report`: the HTML page, one string */
  report?: boolean;
  /** `--timeline`: the Trace Event JSON, one string */
  timeline?: boolean;
  /** `--csv`: rounds.csv and nodes.csv, one string each */
  csv?: boolean;
  /**
   * The run keeps no node records and writes `--json` / `--ndjson` round by round (simulate
   * without --timeline, --csv or a golden check, SPEC §9): records cost one round, the JSON a
   * chunk of nodes, and the JSON is not one string.
   */
  streamed?: boolean;
  /** what the host costs before any scenario data (default: the CLI's Node.js process) */
  base?: HostBase;
  /**
   * What asks for the JSON report, named when leaving it out would help: `--json` (simulate's,
   * the default), `--store full` (a study's), or null where the report is what the command
   * makes (a sweep's runs).
   */
  jsonFlag?: string | null;
  /**
   * `--expect` without `--update`: the golden file is read as text and both reports parsed
   * to be compared, value by value (GOLDEN_* below).
   */
  goldenCheck?: boolean;
  /**
   * simulate without --quiet: each round's table is rendered as the round ends and kept until
   * the run's end, when the tables are printed after the output files (TABLE_* below).
   */
  tables?: boolean;
  /** `--engine`: the reference engine trains node by node with TF.js (REFERENCE_* below); default fast */
  engine?: string;
  /**
   * `dtrain explain --round`: the records carry the nodes' events, and each node's latest
   * rounds and norms are kept for the round explained (EXPLAIN_* below).
   */
  explainRound?: boolean;
}

/**
 * The host's own cost, in the words the estimate shows: its memory, its start (null: none), and
 * whether its engine starts a helper thread for a large round (each thread has its own TF.js).
 */
export interface HostBase {
  memory: string;
  memoryBytes: number;
  start: string | null;
  startSeconds: number;
  helperThread: boolean;
  /** whether large runs draw their S1 windows on a helper thread of the host's (run/observe.ts) */
  windowHelper: boolean;
  /** the most V8's young generation takes beyond what `memoryBytes` counts (0: not known) */
  youngGenerationBytes: number;
}

/** The flag that asks for an output (named in refusals). */
export type OutputFlag = '--json' | '--report' | '--timeline' | '--csv';

export interface CostPart {
  /** what the cost is for, e.g. `per-node round records (20,000 node-rounds)` */
  what: string;
  value: number;
  /** the output flag this cost comes from, if any */
  flag?: OutputFlag;
}

/** One output file built as one string: it must fit in a JavaScript string. */
export interface OutputSize {
  flag: OutputFlag;
  /** `the timeline`, `nodes.csv` … */
  what: string;
  bytes: number;
}

export interface RunEstimate {
  /** what asks for the JSON report (EstimateOptions.jsonFlag) */
  jsonFlag: string | null;
  memoryBytes: number;
  seconds: number;
  /** size of the JSON report (0 without --json) */
  jsonBytes: number;
  /** every requested output's largest single string, --json included */
  outputs: OutputSize[];
  /** estimated simulated time of one strategy's run */
  simulatedMs: number;
  /**
   * The node whose rounds make the simulated time too long for a number (its latency, bandwidth
   * or compute times at 1e308 scale), or null when it is finite: what an unbounded estimate
   * names.
   */
  unboundedBy: string | null;
  /** how far the run's burst chains reach against the simulated time it needs (null: no chain, or no bound) */
  burstChain?: BurstChainReach | null;
  memoryParts: CostPart[];
  timeParts: CostPart[];
}

/**
 * A burst chain is stepped slot by slot from the start of S1's first window, at most 2^28
 * slots (scenario/burst-chains.ts): on the run's latency grid that is a fixed stretch of
 * simulated time, and a run that needs more stops where its chains end.
 */
export interface BurstChainReach {
  /** the first node that keeps a chain */
  node: string;
  /** cluster.latencyResolutionMs */
  gridMs: number;
  /** S1's window, stepped before round 1 */
  windowMs: number;
  /** the last simulated time of a strategy's run a chain reaches: 2^28 · gridMs − windowMs */
  reachMs: number;
  /** the least simulated time a strategy's run can take: every latency at its least, no transfer lost */
  leastMs: number;
  /** the slowest node's least round, capped by the round deadline */
  leastRoundMs: number;
}

/** Node.js, TF.js and the wasm backend before any scenario data. */
export const BASE_MEMORY_BYTES = 200 * 1024 ** 2;
/** Starting Node.js, loading TF.js and its backend. */
export const BASE_SECONDS = 1;
/**
 * V8's young generation with the semi-spaces `dtrain` starts Node with (bin/dtrain.js: 64 MiB):
 * three semi-spaces' worth, 192 MiB, where Node's default (16 MiB, within the base) takes 48.
 */
export const YOUNG_GENERATION_BYTES = 3 * 64 * 1024 ** 2;
export const NODE_BASE: HostBase = {
  memory: 'Node.js and TF.js', memoryBytes: BASE_MEMORY_BYTES, start: 'starting Node.js and TF.js', startSeconds: BASE_SECONDS,
  helperThread: true, windowHelper: true, youngGenerationBytes: YOUNG_GENERATION_BYTES,
};
/**
 * Model-sized arrays the fast engine holds beyond θ and the U_i (gradient-kernel.ts,
 * later-workspace.ts), on each engine thread: the first step's kernel, its gradient and θ's
 * transposed layers for the pass (2); the later steps' kernel, its gradient, the workspace's
 * θ_t, U_i, θ_t − lr·U_i and a step's gradient, and a layer's W_lᵀ (6). A kernel's memory grows
 * to its largest and stays. And a few model copies of past rounds (θ, its successor) that V8
 * has not yet collected: peaks of two layers of 2,048, 3,072 and 4,096 (4.3, 9.7 and 17.1
 * million parameters, 4 nodes, both threads, 2026-12-05) were 14.5, 15.3 and 18.6 model copies
 * over an estimate that counted none of these; this counts 20.
 */
const FIRST_KERNEL_COPIES = 2;
const LATER_KERNEL_COPIES = 6;
const UNCOLLECTED_COPIES = 4;
/** A helper engine thread: Node's worker, TF.js and its wasm heap (measured ~116 MiB) */
const HELPER_THREAD_BYTES = 128 * 1024 ** 2;
/** a kept node-round: its record, timeline and working (measured, see above) */
const RECORD_BYTES = 3000;
/** a streamed run's peak of one round's state per node (measured, see above) */
const ROUND_PEAK_BYTES = 1550;
/**
 * a streamed run's node events of one round, built only for --report and --timeline (each dispatched node's
 * tries, steps and arrival): `dtrain simulate` at 131,072 nodes, one local step, up to 3 tries
 * a transfer, peaked 249 MiB higher with --report than without, 79 MiB of it the report's
 * parts below; the rest is ~1,360 bytes a node
 */
const ROUND_EVENTS_BYTES = 1400;
const TRACE_SAMPLE_BYTES = 16;
/** explain --round's history of the rounds before the one explained (explain/history.ts): two rounds a node, and per norm kept a double and its round */
const EXPLAIN_NODE_BYTES = 12;
const EXPLAIN_NORM_BYTES = 12;
/**
 * A latency or slowdown trace's sample at the run's peak: measured as the peak RSS of `dtrain
 * simulate --quiet` on a one-node scenario replaying a trace of 3,000,000 samples less that of
 * one of 100 (2026-12-04, a CSV of 14.4 B a row: 249 MB against 92 MB, 52 B a sample). The
 * samples are two columns of doubles (16 B), which the replay reads in place and the scenario
 * hash writes out in pieces; the rest is the file as read (its chunks, their concatenation,
 * its text: ~3 × 14.4 B), dead once parsed but in the peak. A file of longer rows costs ~3 B
 * a sample more per byte a row; 56 are counted.
 */
const LATENCY_TRACE_SAMPLE_BYTES = 56;
/**
 * The window helper thread's copy of a trace's samples: the two columns as structured-cloned
 * (16 B; it replays them in place) and the message they came in while it starts (16 B).
 */
const HELPER_TRACE_SAMPLE_BYTES = 32;
/** a round's S1 windows: one column of doubles, reused from round to round (src/pipeline/sample-windows.ts) */
const WINDOW_SAMPLE_BYTES = 8;
/**
 * The window helper thread: a worker (its V8 heap, its 16 MiB young generation, the modules),
 * its copy of each node's latency model, and its own burst chains; measured at 131,072 nodes
 * as 230–270 MB of peak RSS more than the same run without it (runs given a turn of the event
 * loop between rounds, as the CLI's are).
 */
const WINDOW_HELPER_BYTES = 32 * 1024 ** 2;
const WINDOW_HELPER_NODE_BYTES = 1500;
/**
 * Its rounds simulated ahead (run/round-ahead.ts; no --trace): its copy of the node list and of
 * what each node remembers, a round's plans, workings and time columns on its side and, decoded,
 * on the main thread's. Measured at 131,072 nodes: 95–166 MiB of peak RSS more than the window
 * helper alone in bench/scenario-run.mjs (six interleaved pairs); `dtrain simulate` 190 MiB
 * more on the benchmark scenario with --json --ndjson, and 240 MiB more (~1,900 bytes a node)
 * on a held-out scenario of two strategies with --report, which is what is counted. Since the
 * helper also draws the batch indices, the batch cursors are on its side instead of the main
 * thread's and the plans are columns on both: both scenarios then peaked 26–146 MiB lower, and
 * the figure is kept, on the safe side.
 */
const ROUNDS_AHEAD_NODE_BYTES = 1900;
/**
 * The round after the one sent, simulated and held on the helper's side until that one is
 * taken (its plans, workings and time columns): 1,174–1,185 → 1,243 MB of peak RSS at 131,072
 * nodes in bench/scenario-run.mjs, about 500 bytes a node; 600 are counted.
 */
const ROUND_HELD_NODE_BYTES = 600;
const JSON_NODE_BYTES = 760;
const JSON_TRACE_SAMPLE_BYTES = 12;
const JSON_ROUND_BYTES = 200;
/**
 * The dataset at the run's peak: its float32 values once when it is generated (blobs, arranged
 * into the training and test sets in their own memory: prepare.ts), twice otherwise (a CSV's
 * rows stay with the scenario while the training set is copied out of them, and so do
 * generated rows that nodes share), and about 96 bytes a row (the split's and the partition's
 * indices, the labels, the test split's one-hot targets in tfjs). The test rows themselves are
 * not uploaded where the gradient kernel computes the evaluation's logits (fast-evaluate.ts);
 * with tfjs's cpu backend they are, a fifth of a copy more at the default test fraction, which
 * is not counted. Measured as the peak RSS of 1,000,000 samples less that of 20,000, the same
 * run otherwise (2026-12-03, night, blobs, `dtrain simulate -q`, 1,000 nodes): 88, 132, 212
 * and 596 bytes a sample at 2, 16, 32 and 128 features, one copy and 68–84 bytes (where this
 * counts 104, 160, 224 and 608). Before the arrangement in place and the kernel's evaluation:
 * 126, 196, 319 and 1,078 bytes; 2.84 copies at 128 features while the training split was also
 * copied once more on its way to the training set.
 */
export const DATASET_ROW_BYTES = 96;
/** the evaluation of θ on the test rows, once a round and strategy */
const EVALUATION_FLOPS_PER_SECOND = 4e9;
/**
 * Each node's first local step: one concatenated pass for the chunk's nodes in the gradient
 * kernel's memory (tfjs computing only the softmax), each node's gradient by the kernel.
 * Measured on one thread with fresh batches every round (2026-12-03, evening, after the pass
 * moved into the kernel's memory; `createFastEngine`, 1,000 nodes, 300 for the two largest;
 * µs a node): 31.5 for 64 → 64 → 10, 29.6 for 40 → 64 → 32 → 10, 259.8 for
 * 64 → 256 → 128 → 10, 307.9 for 128 → 512 → 10, 5.6 for 16 → 16 → 4, 4.4 for 20 → 5, 8.7
 * for 12 → 32 → 16 → 3 at batch 32; 10.3 for 64 → 64 → 10 and 1.6 for 16 → 16 → 4 at batch 8:
 * 0.34–0.91 of what FIRST_STEP_OVERHEAD_S plus 6 flop a parameter and row at this rate count
 * (it was 16 GFLOP/s and 10 µs, with 20 µs more for each product too large for JS, which
 * overstated them 2.5–3.5× once every product was the kernel's). With 4 GFLOP/s for every step,
 * the maths of 131,072 nodes of 40 → 64 → 32 → 10 with 3 local steps for 2 rounds was estimated
 * at 7.8 min and took 155 s.
 */
const FIRST_STEP_FLOPS_PER_SECOND = 24e9;
/** step 1 of a node: its share of the pass's fixed cost, its norm and sum */
const FIRST_STEP_OVERHEAD_S = 4e-6;
/**
 * Each later local step is a node's own forward and backward, layer by layer, in the later
 * steps' kernel's memory (fast-node-step.ts, later-workspace.ts): each layer LATER_LAYER_S plus
 * three products at LATER_MAC_S a multiply-add, and LATER_STEP_S for the step's own work (its
 * rows, the softmax, θ − lr·U and U + g). Measured on one thread (2026-12-03, `createFastEngine`,
 * 1,000 nodes, 500 for the two largest models, 4,000 at batch 8; 3 local steps against 1),
 * µs per later step at batch 32: 8.4 for 20 → 5, 10.9 for 16 → 16 → 4, 26.3 for 20 → 64 → 10,
 * 36.5 for 64 → 64 → 10, 304 for 128 → 512 → 10, 17.7 for 12 → 32 → 16 → 3, 45.1 for
 * 40 → 64 → 32 → 10, 353 for 64 → 256 → 128 → 10, 42.0 for 32 → 32 → 32 → 32 → 10; at batch 8:
 * 3.2 for 20 → 5, 5.3 for 16 → 16 → 4, 9.2 for 12 → 32 → 16 → 3, 11.4 for 20 → 64 → 10, 16.2 for
 * 64 → 64 → 10. This counts 1.1–2.6 times those (the most for 20 → 5 at batch 8, whose step
 * is mostly its own work, and 128 → 512 → 10). Before the workspace (small layers in JS at
 * 4 ns a multiply-add, the others by the kernel at 5 GFLOP/s plus 15 µs, 8 µs a step) the same
 * steps took 2–7 times as long: 141 µs for 64 → 64 → 10 at batch 32.
 */
const LATER_MAC_S = 0.1e-9;
const LATER_LAYER_S = 2e-6;
const LATER_STEP_S = 6e-6;
/**
 * A layer whose kernel, (inputs + 1) × outputs, is larger than this no longer stays in cache
 * between a step's products: its products ran at 7–8 GFLOP/s, not 20, and the step's W_lᵀ
 * (transposedKernel, fast-node-math.ts: a strided write per value, made anew each step as the
 * node's parameters move) cost about 4 ns a value where the layers measured above (at most
 * 66,000 values) cost too little to count apart. Two layers of 2,048 and of 3,072 (2026-12-05,
 * digits, 4 nodes; user + system time, the machine busy): 112 and 248 ms a later step, of which
 * a profile put 7 s of 27 in the transposes. Counted here at 0.25 ns a multiply-add and 5 ns a
 * transposed value (the first layer's kernel is not transposed: no delta goes back from it);
 * from 2^18 values (1 MiB of float32) on, a size no layer measured lies near.
 */
const LARGE_LAYER_VALUES = 2 ** 18;
const LARGE_LAYER_MAC_S = 0.25e-9;
const TRANSPOSE_VALUE_S = 5e-9;
/**
 * Starting a strategy's engine, per parameter: the initial parameters drawn, the engine's
 * buffers reserved and the helper thread's copy (their pages touched: system time). Measured
 * 1 round of 4 nodes of 4,349,962 parameters, one step: 5.7 s of user and system time, of
 * which training counts 0.9 s (0.87 µs a parameter with the helper's start); none of this
 * matters below some 10^5 parameters.
 */
const ENGINE_PARAM_S = 1e-6;
const LOOKUP_S = 0.5e-6;
/**
 * A burst chain stepped one grid slot (sim/latency/burst.ts): 6.5–7 ns once compiled, 21 ns
 * a slot over a chain's first million (2026-12-05); 131,072 nodes of which 12,288 bursty, over
 * 20,944 s of simulated time (2.6 billion slots), ran in 30.6 s in all.
 */
const BURST_SLOT_S = 15e-9;
const NODE_ROUND_OVERHEAD_S = 5e-6;
/**
 * Preparing the data before round 1 (train/prepare.ts), measured 2026-12-05 with
 * `prepareTraining` on blobs of 200,000 × 1,000, 100,000 × 500 and 1,000,000 × 16 values:
 * generating a value 63–69 ns (Alea and Box–Muller, and the page's first touch), then the
 * split, the standardisation, the arrangement into node shards and the label noise 29 ns a value
 * and 0.7 µs a sample (a 200,000 × 1,000 blobs run spent 17 s before its first round, which
 * the estimate left out). A CSV's rows are read before the estimate is made, so only their
 * preparation is counted.
 */
const BLOB_VALUE_S = 70e-9;
const PREPARE_VALUE_S = 30e-9;
const PREPARE_SAMPLE_S = 1e-6;
const JSON_BYTE_S = 20e-9;
/**
 * A golden check of a run whose JSON report is J bytes holds the golden file's text (J) and
 * both reports parsed (some 2.5 J each): 6 J, and takes 58 ns a byte to read, parse and
 * compare. Measured on the 16,384-node benchmark (a 147 MB golden): 1,579 MiB and 20.5 s
 * against 883 MiB and 12.0 s recording it (--update), 5 rounds 1,106 MiB.
 */
const GOLDEN_MEMORY_FACTOR = 6;
const GOLDEN_BYTE_S = 58e-9;
const HTML_BASE_BYTES = 64 * 1024;
const HTML_CELL_BYTES = 400;
const HTML_ROUND_BYTES = 80;
const HTML_NODE_BYTES = 300;
/**
 * Each strategy's four charts besides their cells: axes, legends, the weight and phase bars.
 * 48 strategies of 8 nodes and 1,000 rounds (20 columns each) made a 7.8 MB page, 145 KB a
 * strategy, of which the grids' cells are about 80 KB (2026-12-05).
 */
const HTML_STRATEGY_BYTES = 64 * 1024;
/** the node table's rows at most (src/report/html/tables.ts: a row per group above this) */
const HTML_NODE_ROWS = 1024;
/** a streamed run's HTML data: efficiency, batch and weight per node-round, six phase totals per node and strategy */
const HTML_COLUMN_BYTES = 24;
const HTML_PHASE_BYTES = 48;
/** The longest string the streamed JSON emits: about CHUNK_CHARS, up to twice that for records longer than the ones measured before */
const JSON_CHUNK_BYTES = 2 * CHUNK_CHARS;
const HTML_MEMORY_FACTOR = 25;
const HTML_BYTE_S = 1e-6;
const TIMELINE_NODE_BYTES = 620;
const TIMELINE_ROUND_BYTES = 150;
const TIMELINE_MEMORY_FACTOR = 6;
/** nodes whose timeline events are written at a time (report/timeline.ts) */
const TIMELINE_PIECE_NODES = 2048;
const CSV_NODE_BYTES = 200;
const CSV_ROUND_BYTES = 100;
const CSV_MEMORY_FACTOR = 4;
/** nodes.csv's rows per piece written (report/csv.ts) */
const CSV_PIECE_ROWS = 4096;
/**
 * What a run keeps per round whatever its outputs (the round's summary, for the run's own and
 * the insights): from 2,000 to 8,000 rounds of 4–64 nodes with --quiet, peak RSS grew by
 * 1.7 KB a round (2026-12-05).
 */
const ROUND_KEPT_BYTES = 2048;
/**
 * The terminal tables (simulate without --quiet): a round's block is rendered as it ends and
 * kept until the run ends. 2,000 rounds of 4 / 16 / 64 nodes (16 node rows shown at most):
 * peak RSS 5–6 / 12–14 / 8–9 KB a round above --quiet's, and 0–0.03 / 0.2–0.36 / 0.26–0.39 ms
 * a round more (three runs each, 2026-12-05, the tables drawn by report/table-style.ts); so
 * 8 KB + 400 B a row, and 0.05 ms + 0.02 ms a row.
 */
/** DEFAULT_MAX_NODE_ROWS of report/table.ts (not imported: it would load the table renderer) */
const TABLE_NODE_ROWS = 16;
const TABLE_ROUND_BYTES = 8 * 1024;
const TABLE_ROW_BYTES = 400;
const TABLE_ROUND_S = 0.05e-3;
const TABLE_ROW_S = 0.02e-3;
/**
 * What the tables hold in memory at most: past SPOOL_AFTER_CHARS (node/text-spool.ts, 32 Mi
 * characters, not imported: it would load node:fs here) they go to a temporary file, keeping
 * 8 B a round for where each is (as two-byte characters, which the tables' lines are).
 */
const TABLE_HELD_BYTES = 2 * 32 * 1024 * 1024;
const TABLE_SPOOLED_ROUND_BYTES = 8;

/** The terminal tables' memory: held up to TABLE_HELD_BYTES, the rest in a file. */
function tableBytes(z: Pick<RunSize, 'strategies' | 'rounds' | 'tableRows'>): number {
  if (z.tableRows === 0) return 0;
  const rounds = z.strategies * z.rounds;
  const perRound = TABLE_ROUND_BYTES + z.tableRows * TABLE_ROW_BYTES;
  const total = rounds * perRound;
  return total <= TABLE_HELD_BYTES ? total : TABLE_HELD_BYTES + rounds * TABLE_SPOOLED_ROUND_BYTES;
}

/** The outputs asked for that are built as one string (the others are written as the run goes). */
function outputSizes(scenario: Scenario, options: EstimateOptions, jsonBytes: number): OutputSize[] {
  const n = scenario.cluster.nodes.length;
  const strategies = scenario.strategies.length;
  const outputs: OutputSize[] = [];
  if (options.json && options.streamed !== true) outputs.push({ flag: '--json', what: 'the JSON report', bytes: jsonBytes });
  if (options.report === true) {
    // the per-node charts' limits and the lines' points (report/html/chart-data.ts)
    const cells = strategies * Math.min(n, MAX_HEATMAP_NODES) * Math.min(scenario.rounds, roundColumnsFor(strategies));
    const points = strategies * Math.min(scenario.rounds, linePointsFor(strategies));
    const bytes = HTML_BASE_BYTES + strategies * HTML_STRATEGY_BYTES + cells * HTML_CELL_BYTES + points * HTML_ROUND_BYTES + Math.min(n, HTML_NODE_ROWS) * HTML_NODE_BYTES;
    outputs.push({ flag: '--report', what: 'the HTML report', bytes });
  }
  return outputs;
}

function outputBytes(outputs: readonly OutputSize[], flag: OutputFlag): number {
  return outputs.find((output) => output.flag === flag)?.bytes ?? 0;
}

/** The counts every part of the estimate is built from. */
interface RunSize {
  n: number;
  strategies: number;
  rounds: number;
  nodeRounds: number;
  /** S1 samples per window */
  k: number;
  batch: number;
  steps: number;
  params: number;
  /** Σ layer widths (activations per sample) */
  widths: number;
  /** one node's later local step at `batch` (laterStepSeconds) */
  laterStepS: number;
  /** step 1's layer products too large for JS at `batch` (they go to tfjs) */
  tfjsProducts: number;
  rows: number;
  testRows: number;
  /** copies of the dataset's values at the peak: 1 for generated data arranged in place, else 2 (see DATASET_ROW_BYTES) */
  dataCopies: number;
  features: number;
  /** the dataset's samples, and whether the run generates them (blobs) */
  samples: number;
  generated: boolean;
  /** nodes whose latency or slowdown (or a phase of either) is a burst chain */
  burstNodes: number;
  burstSlots: number;
  /** samples of every trace file the nodes' latencies and slowdowns replay, each file once */
  traceSamples: number;
  /** S4's norms a node keeps (pipeline/norm-histories.ts normsKept) */
  normsKept: number;
  /** transfer tries per round, all nodes */
  tries: number;
  jsonBytes: number;
  htmlBytes: number;
  /** the timeline, written as the run goes */
  timelineBytes: number;
  /** which output reads a round's node events (the HTML report, else the timeline), if any */
  eventsFlag: OutputFlag | null;
  /** explain --round: events built without an output asking for them, and the history kept */
  explainRound: boolean;
  /** S4's window (the norms the history keeps a node) */
  window: number;
  /** both CSV files, written as the run goes */
  csvBytes: number;
  /** what the CSV files hold in memory at once: a piece of nodes.csv and rounds.csv's rows */
  csvHeldBytes: number;
  /** node rows of a round's terminal table (at most DEFAULT_MAX_NODE_ROWS, report/table.ts); 0 with --quiet */
  tableRows: number;
}

function sizeRun(scenario: Scenario, shape: DatasetShape, options: EstimateOptions, simulatedMs: number): { size: RunSize; outputs: OutputSize[] } {
  const nodes = scenario.cluster.nodes;
  const n = nodes.length;
  const strategies = scenario.strategies.length;
  const nodeRounds = strategies * scenario.rounds * n;
  const { s1, s2 } = scenario.pipeline;
  const k = Math.max(1, Math.round(s1.windowMs / s1.intervalMs));
  const params = countParams(shape.features, scenario.model.hidden, shape.classes);
  const widths = layerWidths(shape.features, scenario.model.hidden, shape.classes);
  const burstNodes = nodes.filter(keepsChain).length;
  const jsonBytes = options.json
    ? nodeRounds * (JSON_NODE_BYTES + (options.trace ? k * JSON_TRACE_SAMPLE_BYTES : 0)) + strategies * scenario.rounds * JSON_ROUND_BYTES
    : 0;
  const outputs = outputSizes(scenario, options, jsonBytes);
  const testRows = Math.max(1, Math.round(shape.samples * scenario.data.testFraction));
  const batch = largestBatch(s2, pluginBatches(scenario));
  const size: RunSize = {
    n, strategies, rounds: scenario.rounds, nodeRounds, k,
    batch,
    steps: scenario.model.localSteps,
    params,
    widths: widths.reduce((a, b) => a + b, 0),
    laterStepS: laterStepSeconds(widths, batch),
    tfjsProducts: tfjsProducts(widths, batch),
    rows: Math.max(shape.samples, n),
    testRows,
    dataCopies: scenario.data.dataset.kind === 'blobs' && shape.samples - testRows >= n ? 1 : 2,
    features: shape.features,
    samples: shape.samples,
    generated: scenario.data.dataset.kind === 'blobs',
    // no burst node keeps no chain, however long the run (0 × an unbounded time would be NaN)
    traceSamples: traceSamples(nodes),
    burstNodes,
    // a chain stops the run where it would pass MAX_CHAIN_SLOTS (run/time-guard.ts), so it never
    // holds more; rounds that overflow any number stay unbounded, refused with their node named
    burstSlots: burstNodes === 0 ? 0 : burstNodes * (Number.isFinite(simulatedMs)
      ? Math.min(MAX_CHAIN_SLOTS, (simulatedMs + s1.windowMs) / scenario.cluster.latencyResolutionMs)
      : Number.POSITIVE_INFINITY),
    normsKept: normsKept(scenario.pipeline.s4.window, scenario.rounds),
    tries: nodes.reduce((total, node) => total + 2 + (mayLose(node.latency) ? 2 * scenario.cluster.maxRetries : 0), 0),
    jsonBytes,
    htmlBytes: outputBytes(outputs, '--report'),
    timelineBytes: options.timeline === true ? nodeRounds * TIMELINE_NODE_BYTES + strategies * scenario.rounds * TIMELINE_ROUND_BYTES : 0,
    eventsFlag: options.report === true ? '--report' : options.timeline === true ? '--timeline' : null,
    explainRound: options.explainRound === true,
    window: scenario.pipeline.s4.window,
    csvBytes: options.csv === true ? nodeRounds * CSV_NODE_BYTES + strategies * scenario.rounds * CSV_ROUND_BYTES : 0,
    csvHeldBytes: options.csv === true ? 2 * Math.min(n, CSV_PIECE_ROWS) * CSV_NODE_BYTES + CSV_MEMORY_FACTOR * strategies * scenario.rounds * CSV_ROUND_BYTES : 0,
    tableRows: options.tables === true ? Math.min(n, TABLE_NODE_ROWS) : 0,
  };
  return { size, outputs };
}

/**
 * What the records and the JSON hold: the whole run's, or (streamed) one round's records
 * (the round's and the state it was built from) and a chunk of the JSON at a time.
 */
function recordParts(z: RunSize, trace: boolean, streamed: boolean): CostPart[] {
  const recordBytes = RECORD_BYTES + (trace ? z.k * TRACE_SAMPLE_BYTES : 0);
  if (!streamed) {
    return [
      { what: `per-node round records (${count(z.nodeRounds)} node-rounds)`, value: z.nodeRounds * recordBytes },
      { what: 'the JSON report', value: 2 * z.jsonBytes, flag: '--json' },
    ];
  }
  const nodeRoundBytes = z.nodeRounds === 0 ? 0 : z.jsonBytes / z.nodeRounds;
  return [
    { what: `one round's node records (${plural(z.n, 'node')}; the run keeps none)`, value: z.n * (ROUND_PEAK_BYTES + recordBytes - RECORD_BYTES) },
    z.explainRound && z.eventsFlag === null
      ? { what: "one round's node events (what the round explained reads)", value: z.n * ROUND_EVENTS_BYTES }
      : { what: `one round's node events (${z.eventsFlag === '--timeline' ? 'what the timeline is made from' : 'what the HTML report draws from'})`, value: z.n * ROUND_EVENTS_BYTES, flag: z.eventsFlag ?? '--report' },
    ...(z.explainRound ? [{ what: `each node's latest rounds and ${plural(z.window, 'norm')} (what the round explained reads of earlier rounds)`, value: z.n * (EXPLAIN_NODE_BYTES + z.window * EXPLAIN_NORM_BYTES) }] : []),
    { what: 'the JSON report (written round by round)', value: 2 * Math.min(z.n * nodeRoundBytes, JSON_CHUNK_BYTES), flag: '--json' },
    { what: `the HTML report's data (${count(z.nodeRounds)} node-rounds)`, value: z.nodeRounds * HTML_COLUMN_BYTES + z.strategies * z.n * HTML_PHASE_BYTES, flag: '--report' },
  ];
}

function memoryPartsOf(z: RunSize, trace: boolean, streamed: boolean, base: HostBase): CostPart[] {
  return [
    { what: base.memory, value: base.memoryBytes },
    ...recordParts(z, trace, streamed),
    { what: 'the HTML report (--report)', value: HTML_MEMORY_FACTOR * z.htmlBytes, flag: '--report' },
    { what: 'the timeline (--timeline, written round by round)', value: z.timelineBytes === 0 ? 0 : TIMELINE_MEMORY_FACTOR * Math.min(z.n, TIMELINE_PIECE_NODES) * TIMELINE_NODE_BYTES, flag: '--timeline' },
    { what: 'the CSV files (--csv, written round by round)', value: z.csvHeldBytes, flag: '--csv' },
    { what: `the training data (${count(z.rows)} × ${count(z.features)} features)`, value: z.rows * (z.features * 4 * z.dataCopies + DATASET_ROW_BYTES) },
    ...enginePartsOf(z, base.helperThread),
    { what: `S1 window samples (${plural(z.n, 'node')} × ${count(z.k)})`, value: z.n * z.k * WINDOW_SAMPLE_BYTES },
    { what: burstChains(z), value: burstChainBytes(z) },
    { what: `latency traces (${plural(z.traceSamples, 'sample')})`, value: z.traceSamples * LATENCY_TRACE_SAMPLE_BYTES },
    // one strategy's at a time: a float64 a norm kept and a length a node
    { what: `S4's norm histories (${plural(z.n, 'node')} × ${plural(z.normsKept, 'norm')})`, value: z.n * (z.normsKept * 8 + 4) },
    { what: `the rounds' summaries (${count(z.strategies * z.rounds)} rounds)`, value: z.strategies * z.rounds * ROUND_KEPT_BYTES },
    { what: `the terminal tables, kept until the run ends (${count(z.strategies * z.rounds)} rounds; --quiet leaves them out)`, value: tableBytes(z) },
    ...windowHelperParts(z, base, trace),
    ...youngGenerationParts(z, base),
  ];
}

/**
 * What a burst chain holds (sim/latency/burst.ts): its object and kept blocks, measured at
 * 540–570 B on the heap (100,000 chains); and a bit per 32 slots for its blocks' starts, grown
 * by doubling (200,000 slots: about 1 KB more).
 */
const BURST_CHAIN_BYTES = 600;
const BURST_SLOTS_PER_BYTE = 128;

function burstChainBytes(z: RunSize): number {
  return z.burstNodes === 0 ? 0 : z.burstNodes * BURST_CHAIN_BYTES + z.burstSlots / BURST_SLOTS_PER_BYTE;
}

/** The burst chains' part, named by their grid slots (without bound where the simulated time has none). */
function burstChains(z: RunSize): string {
  return Number.isFinite(z.burstSlots) ? `burst latency chains (${count(Math.round(z.burstSlots))} grid slots)` : 'burst latency chains (a grid slot per step of simulated time)';
}

/** A round's short-lived objects fill V8's young generation up to its size (none counted where it is not known). */
function youngGenerationParts(z: RunSize, base: HostBase): CostPart[] {
  if (base.youngGenerationBytes === 0) return [];
  return [{ what: "V8's young generation (a round's short-lived objects)", value: Math.min(base.youngGenerationBytes, z.n * ROUND_PEAK_BYTES) }];
}

/**
 * The helper thread, for a run with enough window samples a round (run/observe.ts), and without
 * --trace its rounds ahead (counted for every strategy: a plug-in's rounds are not simulated
 * ahead, and the estimate errs on the safe side).
 */
function windowHelperParts(z: RunSize, base: HostBase, trace: boolean): CostPart[] {
  if (!base.windowHelper || z.n * z.k < PREFETCH_MIN_SAMPLES) return [];
  return [
    {
      what: 'the window helper thread (its copy of the network)',
      value: WINDOW_HELPER_BYTES + z.n * (WINDOW_HELPER_NODE_BYTES + z.k * WINDOW_SAMPLE_BYTES) + burstChainBytes(z) + z.traceSamples * HELPER_TRACE_SAMPLE_BYTES,
    },
    ...(trace ? [] : [
      { what: 'the rounds the helper simulates ahead (a round of plans and times on each thread)', value: z.n * ROUNDS_AHEAD_NODE_BYTES },
      { what: 'the round after it, held on the helper until the one before is taken', value: z.n * ROUND_HELD_NODE_BYTES },
    ]),
  ];
}

/** The fast engine's memory (fast-engine.ts, fast-sizes.ts): per-node updates, model vectors, batches, a helper thread if the host starts one. */
function enginePartsOf(z: RunSize, helperThread: boolean): CostPart[] {
  const values = z.n * z.params;
  const held = values <= MAX_HELD_VALUES;
  const chunkTasks = Math.min(z.n, boundedChunkTasks(z.params));
  const rows = z.n * z.batch;
  const chunk = CHUNK_ROWS + z.batch;
  const batchPart: CostPart =
    rows <= chunk
      ? { what: `one round's batches (${plural(z.n, 'node')} × ${plural(z.steps, 'step')} × batch ${count(z.batch)})`, value: rows * z.steps * (z.widths + 1) * 4 * 3 }
      : { what: `batches, two chunks at a time (${count(Math.min(rows, 2 * chunk))} of ${count(rows)} rows × ${plural(z.steps, 'step')})`, value: Math.min(rows, 2 * chunk) * z.steps * (z.widths + 1) * 4 * 3 };
  const parts: CostPart[] = [
    held
      ? { what: `model copies (${count(z.params)} parameters × ${plural(z.n, 'node')})`, value: z.params * 4 * (z.n + 8) }
      : { what: `model copies (${count(z.params)} parameters × ${count(2 * chunkTasks)} of ${plural(z.n, 'node')} at a time)`, value: z.params * 4 * (2 * chunkTasks + 8) },
    batchPart,
  ];
  // the engine splits only a round with work for tfjs (later steps, or a product too large for JS)
  const threads = helperThread && values >= PARALLEL_MIN_VALUES && (z.steps > 1 || z.tfjsProducts > 0) ? 2 : 1;
  if (threads === 2) parts.push({ what: 'the second engine thread (its own TF.js)', value: HELPER_THREAD_BYTES });
  const kernelCopies = threads * (FIRST_KERNEL_COPIES + (z.steps > 1 ? LATER_KERNEL_COPIES : 0));
  parts.push({
    what: `the gradient kernels' memory and rounds not yet collected (${count(kernelCopies + UNCOLLECTED_COPIES)} model copies: ${threads === 2 ? 'both engine threads' : 'one engine thread'})`,
    value: z.params * 4 * (kernelCopies + UNCOLLECTED_COPIES),
  });
  return parts;
}

/** A node's later local step at `batch` rows: each layer by the kernel (fast-node-step.ts), and the step's own work. */
function laterStepSeconds(widths: readonly number[], batch: number): number {
  let seconds = LATER_STEP_S;
  for (let l = 1; l < widths.length; l++) {
    const kernel = (widths[l - 1]! + 1) * widths[l]!;
    const large = kernel > LARGE_LAYER_VALUES;
    seconds += LATER_LAYER_S + 3 * kernel * batch * (large ? LARGE_LAYER_MAC_S : LATER_MAC_S);
    if (large && l > 1) seconds += widths[l - 1]! * widths[l]! * TRANSPOSE_VALUE_S;
  }
  return seconds;
}

/** How many of a node's layer products, [in + 1, batch] × [batch, out], are too large for JS. */
function tfjsProducts(widths: readonly number[], batch: number): number {
  let count = 0;
  for (let l = 1; l < widths.length; l++) if ((widths[l - 1]! + 1) * batch * widths[l]! > JS_PRODUCT_LIMIT) count++;
  return count;
}

/**
 * The reference engine's training: a TF.js model per node, step by step. Timed on this
 * machine (2026-12-05, digits, 2 local steps, 10 rounds): 1,000 nodes of 4,810 parameters
 * 11.5 s of training (0.57 ms a node-step; the fast engine's whole run took 1.6 s), 100 nodes
 * of 301,066 parameters 48.5 s (24 ms a node-step, 2.4 GFLOP/s): so 0.25 ms a step and
 * 2 GFLOP/s, on the safe side of both.
 */
const REFERENCE_STEP_S = 0.25e-3;
const REFERENCE_FLOPS_PER_SECOND = 2e9;

/** The model maths; a round whose per-node updates are not held computes them twice (fast-engine.ts). */
function trainingPart(z: RunSize, rounds: number, engine: string | undefined): CostPart {
  if (engine === 'reference') {
    const nodeSteps = z.nodeRounds * z.steps;
    const evaluations = (z.strategies * rounds * z.testRows * z.params * 2) / EVALUATION_FLOPS_PER_SECOND;
    const value = nodeSteps * (REFERENCE_STEP_S + (z.batch * z.params * 6) / REFERENCE_FLOPS_PER_SECOND) + evaluations;
    return { what: `training on the reference engine (${count(nodeSteps)} node-steps at batch ≤ ${count(z.batch)}, ${count(z.params)} parameters)`, value };
  }
  const passes = z.n * z.params <= MAX_HELD_VALUES ? 1 : 2;
  const nodeSteps = z.nodeRounds * z.steps;
  const dispatch = FIRST_STEP_OVERHEAD_S;
  const stepFlops = z.batch * z.params * 6;
  const firstSteps = (passes * z.nodeRounds * stepFlops) / FIRST_STEP_FLOPS_PER_SECOND;
  const laterSteps = passes * z.nodeRounds * (z.steps - 1) * z.laterStepS;
  const evaluations = (z.strategies * rounds * z.testRows * z.params * 2) / EVALUATION_FLOPS_PER_SECOND;
  const value = firstSteps + laterSteps + evaluations + passes * z.nodeRounds * dispatch + z.strategies * z.params * ENGINE_PARAM_S;
  const what = `training (${count(nodeSteps)} node-steps at batch ≤ ${count(z.batch)}, ${count(z.params)} parameters${passes === 2 ? '; twice: too many to keep, the updates are recomputed for the aggregate' : ''})`;
  return { what, value };
}

/** Generating (blobs) and preparing the dataset before round 1: once a run, whatever its strategies. */
function dataParts(z: RunSize): CostPart[] {
  const values = z.samples * z.features;
  const shape = `${count(z.samples)} × ${plural(z.features, 'feature')}`;
  return [
    ...(z.generated ? [{ what: `generating the data (${shape})`, value: values * BLOB_VALUE_S }] : []),
    { what: `preparing the data (split, standardised, shared out to ${plural(z.n, 'node')})`, value: values * PREPARE_VALUE_S + z.samples * PREPARE_SAMPLE_S },
  ];
}

function timePartsOf(z: RunSize, rounds: number, base: HostBase, engine: string | undefined): CostPart[] {
  return [
    ...(base.start === null ? [] : [{ what: base.start, value: base.startSeconds }]),
    ...dataParts(z),
    trainingPart(z, rounds, engine),
    { what: `latency samples (${count(z.k)} per node-round)`, value: z.strategies * rounds * (z.n * z.k + z.tries) * LOOKUP_S },
    { what: burstChains(z), value: z.burstSlots * BURST_SLOT_S },
    { what: 'planning and records', value: z.nodeRounds * NODE_ROUND_OVERHEAD_S },
    { what: 'the terminal tables (--quiet leaves them out)', value: z.tableRows === 0 ? 0 : z.strategies * rounds * (TABLE_ROUND_S + z.tableRows * TABLE_ROW_S) },
    { what: 'the JSON report', value: z.jsonBytes * JSON_BYTE_S, flag: '--json' },
    { what: 'the HTML report (--report)', value: z.htmlBytes * HTML_BYTE_S, flag: '--report' },
    { what: 'the timeline (--timeline)', value: z.timelineBytes * JSON_BYTE_S, flag: '--timeline' },
    { what: 'the CSV files (--csv)', value: z.csvBytes * JSON_BYTE_S, flag: '--csv' },
  ];
}

export function estimateRun(scenario: Scenario, shape: DatasetShape, options: EstimateOptions): RunEstimate {
  const params = countParams(shape.features, scenario.model.hidden, shape.classes);
  const { simulatedMs, slowestNode } = simulatedTime(scenario, params);
  const { size, outputs } = sizeRun(scenario, shape, options, simulatedMs);
  const burstChain = burstChainReach(scenario, params, simulatedMs);
  // the other outputs' parts only when asked for (the JSON's has always been listed)
  const flags: Record<OutputFlag, boolean> = { '--json': true, '--report': options.report === true, '--timeline': options.timeline === true, '--csv': options.csv === true };
  const asked = (part: CostPart) => part.flag === undefined || flags[part.flag];
  const base = options.base ?? NODE_BASE;
  // the check's parts are the JSON report's (flag --json, which a refusal names by jsonFlag: --expect)
  const golden = options.goldenCheck === true;
  const memoryParts = [
    ...memoryPartsOf(size, options.trace, options.streamed === true, base).filter(asked),
    ...(golden ? [{ what: 'the golden file and both reports, parsed to compare', value: GOLDEN_MEMORY_FACTOR * size.jsonBytes, flag: '--json' as const }] : []),
  ];
  const timeParts = [
    ...timePartsOf(size, scenario.rounds, base, options.engine).filter(asked),
    ...(golden ? [{ what: 'the golden comparison', value: GOLDEN_BYTE_S * size.jsonBytes, flag: '--json' as const }] : []),
  ];
  return {
    jsonFlag: options.jsonFlag === undefined ? '--json' : options.jsonFlag,
    memoryBytes: sum(memoryParts),
    seconds: sum(timeParts),
    jsonBytes: size.jsonBytes,
    outputs,
    simulatedMs,
    unboundedBy: Number.isFinite(simulatedMs) ? null : slowestNode,
    burstChain,
    memoryParts,
    timeParts,
  };
}

/**
 * S2's largest possible batch: B·e/(e+1) ≤ B/2 for e ≤ 1, then clamped to [minBatch, cap]
 * (the built-in splits give B/2 a node on average). A plug-in's batch stage may give any batch
 * up to the cap (src/node/plugin-guard.ts refuses more): with `anyUpToCap`, the cap.
 */
export function largestBatch(s2: Scenario['pipeline']['s2'], anyUpToCap = false): number {
  const cap = s2.maxBatch ?? s2.standardBatch;
  return anyUpToCap ? cap : Math.min(cap, Math.max(s2.minBatch, Math.ceil(s2.standardBatch / 2)));
}

/** Whether a strategy of the scenario takes its batches from a stage that is not built in (a plug-in's). */
function pluginBatches(scenario: Scenario): boolean {
  const builtIn = new Set(createStageRegistry().names('batch'));
  return scenario.strategies.some((strategy) => !builtIn.has(strategy.batch));
}

export function sum(parts: readonly CostPart[]): number {
  return parts.reduce((total, part) => total + part.value, 0);
}

export function plural(value: number, noun: string): string {
  return `${count(value)} ${noun}${value === 1 ? '' : 's'}`;
}

/** `1,234,567`: grouped by hand so the message never depends on the host locale. */
export function count(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return Math.round(value).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * One strategy's simulated time: rounds × the slowest node's typical round (see the header),
 * from the schedule's own time model (roundTimes) with a typical latency at every try and a
 * typical slowdown at every step; on a link that can lose samples every try of a transfer but
 * the last is lost.
 */
export function estimateSimulatedMs(scenario: Scenario, params: number): number {
  return simulatedTime(scenario, params).simulatedMs;
}

/** estimateSimulatedMs, and the id of the node whose rounds set it (null: no node takes any time). */
function simulatedTime(scenario: Scenario, params: number, least = false): { simulatedMs: number; slowestNode: string | null } {
  const { s2, s3 } = scenario.pipeline;
  const { cluster } = scenario;
  const batch = Math.max(1, Math.floor(s2.standardBatch / 2));
  const bytes = wireBytes(scenario.model, params);
  const tries = Math.max(1, cluster.maxRetries);
  let slowest = 0;
  let slowestNode: string | null = null;
  // a node's round depends on these alone, and a `count:` group's nodes share them: one
  // timeline per distinct set, not one per node (131,072 of them took over a second); a node
  // that differs from the one before only by its id (the rest of its group) is not even looked up
  const finishByShape = new Map<string, number>();
  let previous: NodeSpec | null = null;
  for (const node of cluster.nodes) {
    const sameAsPrevious = previous !== null && sameButId(previous, node);
    previous = node;
    if (sameAsPrevious) continue;
    const base = fixedResources(node.cores, s3);
    const latencyMs = least ? leastLatencyMs(node.latency) : typicalLatencyMs(node.latency);
    const lossy = !least && mayLose(node.latency);
    const nodeStepMs = stepMs(node, batch, base.threads, base.ioQueue);
    const slowdown = node.slowdown == null ? null : least ? leastLatencyMs(node.slowdown) : typicalLatencyMs(node.slowdown);
    const shape = `${latencyMs} ${lossy} ${node.bandwidthBps} ${nodeStepMs} ${slowdown}`;
    const known = finishByShape.get(shape);
    if (known !== undefined) {
      if (known > slowest) [slowest, slowestNode] = [known, node.id];
      continue;
    }
    let transferTries = 0;
    const times = roundTimes({
      startMs: 0,
      deadlineMs: null,
      retryMs: cluster.retryMs,
      maxRetries: cluster.maxRetries,
      localSteps: scenario.model.localSteps,
      // one node alone on the server's link
      serverBps: cluster.server?.bandwidthBps ?? Number.POSITIVE_INFINITY,
      nodes: [{
        // the tries of each transfer are counted in turn: all but the last lost on a lossy link
        latencyAt: () => (lossy && ++transferTries % tries !== 0 ? null : latencyMs),
        bytes,
        bandwidthBps: node.bandwidthBps,
        stepMs: nodeStepMs,
        slowdownAt: slowdown === null ? null : () => slowdown,
      }],
    });
    // the node's finish (NaN when dropped: 0)
    const finishMs = Number.isNaN(times.finishMs[0]!) ? 0 : times.finishMs[0]!;
    finishByShape.set(shape, finishMs);
    if (finishMs > slowest) [slowest, slowestNode] = [finishMs, node.id];
  }
  // the server link carries every node's model down and its update up, shared between them
  const serverBps = cluster.server?.bandwidthBps ?? Number.POSITIVE_INFINITY;
  // (not in the least time: a round need not carry every node's transfers)
  const sharedLinkMs = least ? 0 : (2 * cluster.nodes.length * bytes * 8 * 1000) / serverBps;
  const longest = Math.max(slowest, sharedLinkMs);
  const perRound = cluster.roundTimeoutMs === null ? longest : Math.min(longest, cluster.roundTimeoutMs);
  return { simulatedMs: scenario.rounds * Math.max(perRound, 0), slowestNode };
}

/** Whether two nodes differ by their id alone (a `count:` group's nodes share every other field's value). */
function sameButId(a: NodeSpec, b: NodeSpec): boolean {
  for (const key of Object.keys(b) as Array<keyof NodeSpec>) if (key !== 'id' && a[key] !== b[key]) return false;
  return Object.keys(a).length === Object.keys(b).length;
}

/** A latency process's typical value: its mean, or the worse state / phase. */
export function typicalLatencyMs(spec: LatencySpec): number {
  const p = spec.process;
  switch (p.kind) {
    case 'constant':
      return p.valueMs;
    case 'uniform':
      return (p.minMs + p.maxMs) / 2;
    case 'normal':
      return Math.max(0, p.meanMs);
    case 'lognormal':
      return p.medianMs * Math.exp((p.sigma * p.sigma) / 2);
    case 'spikes':
      return p.baseMs + p.probability * p.spikeMs;
    case 'burst':
      return Math.max(p.goodMs, p.badMs);
    case 'periodic':
      return p.baseMs + p.amplitudeMs;
    case 'trace':
      // a lost sample (NaN) counts as 0, as none is larger
      return p.samples.latenciesMs.reduce((max, latencyMs) => (latencyMs > max ? latencyMs : max), 0);
    case 'phases':
      return p.phases.reduce((max, phase) => Math.max(max, typicalLatencyMs(phase.latency)), 0);
  }
}

/** A latency process's least value: what no sample of it is below (a sample is never negative). */
export function leastLatencyMs(spec: LatencySpec): number {
  const p = spec.process;
  switch (p.kind) {
    case 'constant':
      return p.valueMs;
    case 'uniform':
      return p.minMs;
    case 'normal':
    case 'lognormal':
      return 0;
    case 'spikes':
      return p.baseMs;
    case 'burst':
      return Math.min(p.goodMs, p.badMs);
    case 'periodic':
      return Math.max(0, p.baseMs - p.amplitudeMs);
    case 'trace': {
      // a lost sample (NaN) is no latency: the least of the others, 0 if there are none
      let leastMs = Number.POSITIVE_INFINITY;
      for (const latencyMs of p.samples.latenciesMs) if (latencyMs < leastMs) leastMs = latencyMs;
      return Number.isFinite(leastMs) ? leastMs : 0;
    }
    case 'phases':
      return p.phases.reduce((min, phase) => Math.min(min, leastLatencyMs(phase.latency)), Number.POSITIVE_INFINITY);
  }
}

/**
 * How far the burst chains reach against the simulated time the run needs, for a run that keeps
 * one and whose simulated time is a number (one without bound is refused as such).
 */
function burstChainReach(scenario: Scenario, params: number, simulatedMs: number): BurstChainReach | null {
  const node = scenario.cluster.nodes.find(keepsChain);
  if (node === undefined || !Number.isFinite(simulatedMs)) return null;
  const gridMs = scenario.cluster.latencyResolutionMs;
  const windowMs = scenario.pipeline.s1.windowMs;
  const leastMs = simulatedTime(scenario, params, true).simulatedMs;
  return {
    node: node.id, gridMs, windowMs,
    reachMs: MAX_CHAIN_SLOTS * gridMs - windowMs,
    leastMs,
    leastRoundMs: scenario.rounds === 0 ? 0 : leastMs / scenario.rounds,
  };
}

/**
 * The samples of every trace the nodes replay, as latency or slowdown, in a phase or not: each
 * trace once, as the nodes naming one file share its samples (scenario/resolve-latency.ts), and
 * the nodes of a group their spec.
 */
function traceSamples(nodes: readonly NodeSpec[]): number {
  const seen = new Set<LatencySpec>();
  const files = new Set<TraceSamples>();
  const visit = (spec: LatencySpec): void => {
    if (seen.has(spec)) return;
    seen.add(spec);
    const p = spec.process;
    if (p.kind === 'trace') files.add(p.samples);
    else if (p.kind === 'phases') p.phases.forEach((phase) => visit(phase.latency));
  };
  for (const node of nodes) {
    visit(node.latency);
    if (node.slowdown != null) visit(node.slowdown);
  }
  let total = 0;
  for (const samples of files) total += samples.timesMs.length;
  return total;
}

/**
 * Whether a trace has a lost sample, looked at once per trace: the nodes replaying one share
 * its samples, and scanning them for every node cost 131,072 × 1,000,000 samples, twice (14
 * minutes before round 1, the estimate made even with --no-limits for the heap setting).
 */
const TRACES_WITH_LOSS = new WeakMap<Float64Array, boolean>();

function traceHasLoss(latenciesMs: Float64Array): boolean {
  let lossy = TRACES_WITH_LOSS.get(latenciesMs);
  if (lossy === undefined) {
    lossy = latenciesMs.some(Number.isNaN);
    TRACES_WITH_LOSS.set(latenciesMs, lossy);
  }
  return lossy;
}

/** A node whose transfers can fail (loss, down, or lost trace samples) may retry. */
function mayLose(spec: LatencySpec): boolean {
  if (spec.loss > 0 || spec.down.length > 0) return true;
  const p = spec.process;
  if (p.kind === 'trace') return traceHasLoss(p.samples.latenciesMs);
  return p.kind === 'phases' && p.phases.some((phase) => mayLose(phase.latency));
}
