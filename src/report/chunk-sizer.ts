/**
 * How many node records a streamed report (json-stream.ts, ndjson.ts) serialises into each
 * string it emits: as many as fit in about CHUNK_CHARS characters, judged from the records
 * serialised so far.
 *
 * Why a bound in characters: V8 puts a string longer than about 128 KB in its large-object
 * space, memory mapped afresh for each string and unmapped once collected, so every such string
 * is written into pages the process touches for the first time. On this project's machines
 * (virtual machines where a first touch costs about 2.7 ms a MB) a chunk of 128 nodes, about
 * 136 KB of indented JSON, took 1.0–1.5 ms to flatten and write against 0.4 ms for the same
 * nodes in strings of 64 KB; the 131,072-node benchmark's JSON went from 24.0 to 5.9 s. How
 * long a node's record is depends on the scenario (its ids, the report's options), so the
 * count follows the measured length rather than a fixed number of nodes.
 */

/** Characters aimed at per emitted string: half of V8's large-object threshold, for records longer than the ones measured. */
export const CHUNK_CHARS = 64 * 1024;
/** Nodes per string at most (short records): past this, fewer calls save nothing measurable. */
export const MAX_CHUNK_NODES = 512;
/**
 * Characters per node assumed before any is measured: long, so that the first string, 16
 * nodes, stays short even for long records (an indented record is usually 900–1,100).
 */
const FIRST_GUESS_CHARS = 4096;

export class ChunkSizer {
  private charsPerNode = FIRST_GUESS_CHARS;

  /** Nodes to put in the next string. */
  nodes(): number {
    return Math.max(1, Math.min(MAX_CHUNK_NODES, Math.floor(CHUNK_CHARS / this.charsPerNode)));
  }

  /** A string of `chars` characters held `nodes` records. */
  measured(chars: number, nodes: number): void {
    if (nodes > 0 && chars > 0) this.charsPerNode = chars / nodes;
  }
}
