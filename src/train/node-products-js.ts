/**
 * A node's small forward and backward products of a later local step (fast-node-step.ts) in
 * JS, with the bits of tfjs-wasm's own 2-D matMul: XNNPACK's float32 GEMM rounds each product
 * and adds them to a sum that starts at 0, one inner index after the other (the same order
 * fast-node-grads.ts's gradientInJs reproduces for Ãᵀ·D; test/train/node-products-js.test.ts
 * compares the bits over many shapes). A tfjs product's dispatch (uploads, the product, the
 * read-back) costs as much as thousands of multiply-adds, so below JS_PRODUCT_LIMIT a later
 * step of a small model runs without tfjs. Only on wasm: the cpu backend sums in doubles.
 */

/**
 * out[r·cols + j] = Σ_k a[r·inner + k] · b[bOffset + k·cols + j], k = 0 … inner − 1, then, with
 * `onesColumn`, + b[bOffset + inner·cols + j]: the product of a with a trailing ones column
 * ([rows, inner + 1]) by b ([inner + 1, cols]), the ones column's term last, as for Ã · W̃.
 */
export function matMulInJs(
  a: Float32Array, rows: number, inner: number, b: Float32Array, bOffset: number, cols: number, onesColumn: boolean, out: Float32Array,
): void {
  const f = Math.fround;
  out.fill(0, 0, rows * cols);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    const ar = r * inner;
    for (let k = 0; k < inner; k++) {
      const x = a[ar + k]!;
      const bk = bOffset + k * cols;
      for (let j = 0; j < cols; j++) out[o + j] = out[o + j]! + f(x * b[bk + j]!);
    }
    if (onesColumn) {
      // 1 · b is b itself (a float32 already)
      const bk = bOffset + inner * cols;
      for (let j = 0; j < cols; j++) out[o + j] = out[o + j]! + b[bk + j]!;
    }
  }
}
