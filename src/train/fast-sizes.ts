/**
 * The fast engine's fixed sizes (issue 14). Each is a property of the scenario (nodes ×
 * parameters, rows), never of the machine, so how a run is computed, and so its numbers,
 * never depend on where it runs. The pre-run estimate (src/limits/estimate.ts) reads them too.
 */

/**
 * Rows per concatenated chunk. Large enough that XNNPACK runs at full speed (≥ 2,048 rows),
 * small enough that a chunk's activations stay in cache between the pass and the per-node
 * products, and that memory does not grow with the number of nodes.
 */
export const CHUNK_ROWS = 4096;

/**
 * Rows of the shortest units of a round split with a helper thread (unit-claims.ts): the
 * thread that waits for the other at the end of a round waits for about one of them
 * (≈ 0.2 ms here), and passes this short are few.
 */
export const MIN_UNIT_ROWS = 128;

/** n × paramCount above which a round's U_i are not kept (256 MiB of float32) */
export const MAX_HELD_VALUES = 2 ** 26;

/**
 * The most values of U_i an engine makes room for as it starts (64 MiB of float32;
 * EngineOptions.maxTasks). What it overlaps is the wait for the helper's first round, a
 * fraction of a second; room beyond that only moves the first round's cost earlier, and holds
 * memory for nodes that may not take part in it.
 */
export const MAX_RESERVED_VALUES = 2 ** 24;
/** n × paramCount from which a round is split with a helper thread, when the host gives one */
export const PARALLEL_MIN_VALUES = 2 ** 20;

/**
 * Values of U_i in one chunk when they are not kept (4 MiB of float32): a helper's chunk of
 * U_i is held while this thread adds it, two chunks at a time.
 */
export const BOUNDED_CHUNK_VALUES = 2 ** 20;

/** Tasks per chunk when the U_i are not kept. */
export function boundedChunkTasks(paramCount: number, chunkValues = BOUNDED_CHUNK_VALUES): number {
  return Math.max(1, Math.floor(chunkValues / paramCount));
}

/**
 * A node's layer products up to this many multiply-adds are done in JS on wasm (same bits as
 * tfjs-wasm's product; src/train/fast-node-grads.ts): a tfjs product's dispatch (two uploads,
 * the product, a read-back, ≈ 7–10 µs) costs as much as some 6,000 of them at ≈ 1.5 ns each,
 * and it leaves garbage. A small model's layers (16 → 16 → 4 on 8 rows: 2,176 and 544) are
 * done in JS; the benchmark's 64 → 64 → 10 on 32 rows (133,120 and 20,800) stay with XNNPACK.
 */
export const JS_PRODUCT_LIMIT = 6144;
