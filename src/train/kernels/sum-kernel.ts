/**
 * Σ w_i U_i's groups of four rows by a small WebAssembly kernel (weighted-sum.wat) instead of
 * weighted-sum.ts's JavaScript loop: the same float64 operations in the same order, two
 * parameters at a time, so the bits do not change (test/train/sum-kernel.test.ts), and forming
 * θ_{t+1} takes about a quarter of the time (1.38 → 0.38 ms for 256 rows of 4,810 values).
 *
 * The kernel reads the rows where they lie, so a round's U_i are kept in the kernel's memory:
 * a float64 sum per parameter first, then the rows. One memory per engine, grown to the
 * largest round and kept; a shared one, of a fixed size, when a helper thread writes U_i into
 * it too. The sum is formed on the engine's own thread: it is bound by reading the rows, and
 * split with the helper it took longer than alone.
 *
 * Needs WebAssembly's 128-bit SIMD; without it `create` returns null and the sums stay in
 * JavaScript.
 */
import { kernelFromBase64 } from './kernel-module.js';
import { WASM_BASE64, WASM_SHARED_BASE64 } from './weighted-sum-wasm.js';

type Group4 = (r0: number, stride: number, width: number, out: number, w0: number, w1: number, w2: number, w3: number) => void;

const PAGE_BYTES = 65536;
/** The most pages a memory the shared module imports may have (its declared maximum). */
const MAX_PAGES = 65536;

const compiled: { plain?: WebAssembly.Module | null; shared?: WebAssembly.Module | null } = {};

function kernelModule(shared: boolean): WebAssembly.Module | null {
  if (shared) return (compiled.shared ??= kernelFromBase64(WASM_SHARED_BASE64));
  return (compiled.plain ??= kernelFromBase64(WASM_BASE64));
}

/** Bytes before the rows: a float64 sum per parameter, rounded up to 16. */
function sumBytes(paramCount: number): number {
  return Math.ceil((8 * paramCount) / 16) * 16;
}

export class SumKernel {
  private readonly group4: Group4;
  /** byte address of the rows */
  private readonly rowsAt: number;

  private constructor(
    module: WebAssembly.Module,
    readonly memory: WebAssembly.Memory,
    private readonly paramCount: number,
    private readonly shared: boolean,
  ) {
    this.rowsAt = sumBytes(paramCount);
    const instance = new WebAssembly.Instance(module, { env: { memory } });
    this.group4 = instance.exports['group4'] as Group4;
  }

  /** A kernel with memory of its own for a model of `paramCount` parameters, or null where it cannot run. */
  static create(paramCount: number): SumKernel | null {
    const module = kernelModule(false);
    if (module === null) return null;
    return new SumKernel(module, new WebAssembly.Memory({ initial: Math.ceil(sumBytes(paramCount) / PAGE_BYTES) || 1 }), paramCount, false);
  }

  /**
   * A kernel over shared memory with room for `rows` values of U_i, which a helper thread can
   * write too; null where it cannot run or memory cannot be shared.
   */
  static createShared(paramCount: number, rows: number): SumKernel | null {
    const module = kernelModule(true);
    const pages = Math.ceil((sumBytes(paramCount) + 4 * rows) / PAGE_BYTES) || 1;
    if (module === null || pages > MAX_PAGES) return null;
    let memory: WebAssembly.Memory;
    try {
      memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
    } catch {
      return null; // a runtime without shared memory (a page that is not cross-origin isolated)
    }
    return new SumKernel(module, memory, paramCount, true);
  }

  /**
   * `length` values for the round's rows, at the start of the rows; the memory of a kernel of
   * its own grows to hold them (so the views of earlier calls must be done with).
   */
  rows(length: number): Float32Array {
    const short = this.rowsAt + 4 * length - this.memory.buffer.byteLength;
    if (short > 0) {
      if (this.shared) throw new RangeError(`shared sum memory holds ${(this.memory.buffer.byteLength - this.rowsAt) / 4} values, ${length} asked`);
      this.memory.grow(Math.ceil(short / PAGE_BYTES));
    }
    return new Float32Array(this.memory.buffer, this.rowsAt, length);
  }

  /** How many values `rows` can give without growing the memory. */
  capacity(): number {
    return Math.floor((this.memory.buffer.byteLength - this.rowsAt) / 4);
  }

  /** Whether `rows` lies in this kernel's memory (only then can `group` read it). */
  holds(rows: Float32Array): boolean {
    return rows.buffer === this.memory.buffer;
  }

  /** The sums of parameters start … end − 1, zeroed: a WeightedSum's `out`. */
  sums(start: number, end: number): Float64Array {
    if (!(start >= 0 && end >= start && end <= this.paramCount)) throw new RangeError(`bad parameter slice ${start} … ${end}`);
    return new Float64Array(this.memory.buffer, 8 * start, end - start).fill(0);
  }

  /**
   * out += w0·r0 + w1·r1 + w2·r2 + w3·r3 over out's values, the rows at rows[first],
   * rows[first + stride], … (`rows` held by this kernel, `out` from `sums`).
   */
  group(rows: Float32Array, first: number, stride: number, out: Float64Array, w0: number, w1: number, w2: number, w3: number): void {
    this.group4(rows.byteOffset + 4 * first, 4 * stride, out.length, out.byteOffset, w0, w1, w2, w3);
  }
}
