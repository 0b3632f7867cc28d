;; out = Xᵀ·D for one node's rows, the product of every layer's weight gradient
;; (src/train/kernels/gradient-kernel.ts):
;;   out[p · outputs + j] = Σ_{r = 0 … rows − 1} x[r · xs + p · xp] · d[r · ds + j]
;; for p < width and j < outputs, in float32: each product rounded, then added in row order
;; to a sum that starts at +0, which is what XNNPACK's matrix products in TensorFlow.js's wasm
;; backend compute (test/train/gradient-kernel.test.ts compares the bits). Given `init` (a
;; byte address, else 0), the sums start at init[j] instead: a fused product with biases,
;; which XNNPACK starts from the bias. Rows of D are read
;; 8 values at a time, so up to 7 values past a row's last column are read and not used.
;;
;; Compiled by scripts/build-kernels.mjs into gradient-wasm.ts (WebAssembly with 128-bit SIMD).
;;
;; Also a vector's sum of squares (sum_of_squares: a node's ‖U_i‖², where its U_i was formed) and,
;; for a node's later local steps (later-workspace.ts), two loops over its parameter vector
;; with the bits of fast-vector-math.ts's JavaScript (step_away, add_into) and two over its
;; activations with those of fast-node-math.ts's (relu, mask_by_relu), add_rows, which
;; adds a layer's biases to its product as the product's ones row would (gradient-kernel.ts's
;; layerForward), and the elementwise parts of a step-1 pass's backward (output_delta,
;; mask_by_step) with the bits of the TensorFlow.js ops they replace.
(module
  (import "env" "memory" (memory 1))

  ;; n floats from `from` to `to`
  (func $copy (param $from i32) (param $to i32) (param $n i32)
    (block $done
      (loop $next
        (br_if $done (i32.le_s (local.get $n) (i32.const 0)))
        (f32.store (local.get $to) (f32.load (local.get $from)))
        (local.set $from (i32.add (local.get $from) (i32.const 4)))
        (local.set $to (i32.add (local.get $to) (i32.const 4)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next))))

  ;; Addresses are in bytes, strides in floats; rows ≥ 1; `spill` is 32 bytes of scratch.
  (func (export "xtd")
    (param $x i32) (param $xs i32) (param $xp i32) (param $width i32)
    (param $d i32) (param $ds i32) (param $outputs i32)
    (param $rows i32) (param $out i32) (param $spill i32) (param $init i32)
    (local $p i32) (local $j i32) (local $r i32) (local $xr i32) (local $dr i32)
    (local $xstep i32) (local $dstep i32) (local $o i32) (local $left i32)
    (local $xp1 i32) (local $xp2 i32) (local $xp3 i32)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local $x0 v128) (local $x1 v128) (local $x2 v128) (local $x3 v128)
    (local $d0 v128) (local $d1 v128)
    (local.set $xstep (i32.shl (local.get $xs) (i32.const 2)))
    ;; byte distances of values p + 1, p + 2, p + 3 of a row of X from value p
    (local.set $xp1 (i32.shl (local.get $xp) (i32.const 2)))
    (local.set $xp2 (i32.shl (local.get $xp) (i32.const 3)))
    (local.set $xp3 (i32.add (local.get $xp1) (local.get $xp2)))
    (local.set $dstep (i32.shl (local.get $ds) (i32.const 2)))
    (local.set $p (i32.const 0))
    (block $four_done
      (loop $four
        (br_if $four_done (i32.gt_s (i32.add (local.get $p) (i32.const 4)) (local.get $width)))
        (local.set $j (i32.const 0))
        (loop $four_columns
          ;; four rows p … p + 3 of out, columns j … j + 7: 8 sums of products, each from +0 or
          ;; from init[j …] (every row the same)
          (local.set $c00 (v128.const f32x4 0 0 0 0))
          (local.set $c01 (v128.const f32x4 0 0 0 0))
          (if (local.get $init)
            (then
              (local.set $c00 (v128.load (i32.add (local.get $init) (i32.shl (local.get $j) (i32.const 2)))))
              (local.set $c01 (v128.load offset=16 (i32.add (local.get $init) (i32.shl (local.get $j) (i32.const 2)))))))
          (local.set $c10 (local.get $c00))
          (local.set $c11 (local.get $c01))
          (local.set $c20 (local.get $c00))
          (local.set $c21 (local.get $c01))
          (local.set $c30 (local.get $c00))
          (local.set $c31 (local.get $c01))
          (local.set $xr (i32.add (local.get $x) (i32.shl (i32.mul (local.get $p) (local.get $xp)) (i32.const 2))))
          (local.set $dr (i32.add (local.get $d) (i32.shl (local.get $j) (i32.const 2))))
          (local.set $r (local.get $rows))
          (loop $four_rows
            (local.set $x0 (v128.load32_splat (local.get $xr)))
            (local.set $x1 (v128.load32_splat (i32.add (local.get $xr) (local.get $xp1))))
            (local.set $x2 (v128.load32_splat (i32.add (local.get $xr) (local.get $xp2))))
            (local.set $x3 (v128.load32_splat (i32.add (local.get $xr) (local.get $xp3))))
            (local.set $d0 (v128.load (local.get $dr)))
            (local.set $d1 (v128.load offset=16 (local.get $dr)))
            (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $x0) (local.get $d0))))
            (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $x0) (local.get $d1))))
            (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $x1) (local.get $d0))))
            (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $x1) (local.get $d1))))
            (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $x2) (local.get $d0))))
            (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $x2) (local.get $d1))))
            (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $x3) (local.get $d0))))
            (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $x3) (local.get $d1))))
            (local.set $xr (i32.add (local.get $xr) (local.get $xstep)))
            (local.set $dr (i32.add (local.get $dr) (local.get $dstep)))
            (br_if $four_rows (local.tee $r (i32.sub (local.get $r) (i32.const 1)))))
          (local.set $left (i32.sub (local.get $outputs) (local.get $j)))
          (if (i32.ge_s (local.get $left) (i32.const 8))
            (then
              (local.set $o (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (i32.add (local.get $p) (i32.const 0)) (local.get $outputs)) (local.get $j)) (i32.const 2))))
              (v128.store (local.get $o) (local.get $c00))
              (v128.store offset=16 (local.get $o) (local.get $c01))
              (local.set $o (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (i32.add (local.get $p) (i32.const 1)) (local.get $outputs)) (local.get $j)) (i32.const 2))))
              (v128.store (local.get $o) (local.get $c10))
              (v128.store offset=16 (local.get $o) (local.get $c11))
              (local.set $o (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (i32.add (local.get $p) (i32.const 2)) (local.get $outputs)) (local.get $j)) (i32.const 2))))
              (v128.store (local.get $o) (local.get $c20))
              (v128.store offset=16 (local.get $o) (local.get $c21))
              (local.set $o (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (i32.add (local.get $p) (i32.const 3)) (local.get $outputs)) (local.get $j)) (i32.const 2))))
              (v128.store (local.get $o) (local.get $c30))
              (v128.store offset=16 (local.get $o) (local.get $c31))
            )
            ;; fewer than 8 columns left: only those are stored
            (else
              (local.set $o (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (i32.add (local.get $p) (i32.const 0)) (local.get $outputs)) (local.get $j)) (i32.const 2))))
              (v128.store (local.get $spill) (local.get $c00))
              (v128.store offset=16 (local.get $spill) (local.get $c01))
              (call $copy (local.get $spill) (local.get $o) (local.get $left))
              (local.set $o (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (i32.add (local.get $p) (i32.const 1)) (local.get $outputs)) (local.get $j)) (i32.const 2))))
              (v128.store (local.get $spill) (local.get $c10))
              (v128.store offset=16 (local.get $spill) (local.get $c11))
              (call $copy (local.get $spill) (local.get $o) (local.get $left))
              (local.set $o (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (i32.add (local.get $p) (i32.const 2)) (local.get $outputs)) (local.get $j)) (i32.const 2))))
              (v128.store (local.get $spill) (local.get $c20))
              (v128.store offset=16 (local.get $spill) (local.get $c21))
              (call $copy (local.get $spill) (local.get $o) (local.get $left))
              (local.set $o (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (i32.add (local.get $p) (i32.const 3)) (local.get $outputs)) (local.get $j)) (i32.const 2))))
              (v128.store (local.get $spill) (local.get $c30))
              (v128.store offset=16 (local.get $spill) (local.get $c31))
              (call $copy (local.get $spill) (local.get $o) (local.get $left))
            ))
          (br_if $four_columns (i32.lt_s (local.tee $j (i32.add (local.get $j) (i32.const 8))) (local.get $outputs))))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (br $four)))
    (block $one_done
      (loop $one
        (br_if $one_done (i32.gt_s (i32.add (local.get $p) (i32.const 1)) (local.get $width)))
        (local.set $j (i32.const 0))
        (loop $one_columns
          ;; row p of out, columns j … j + 7: 2 sums of products, each from +0 or from init[j …]
          (local.set $c00 (v128.const f32x4 0 0 0 0))
          (local.set $c01 (v128.const f32x4 0 0 0 0))
          (if (local.get $init)
            (then
              (local.set $c00 (v128.load (i32.add (local.get $init) (i32.shl (local.get $j) (i32.const 2)))))
              (local.set $c01 (v128.load offset=16 (i32.add (local.get $init) (i32.shl (local.get $j) (i32.const 2)))))))
          (local.set $xr (i32.add (local.get $x) (i32.shl (i32.mul (local.get $p) (local.get $xp)) (i32.const 2))))
          (local.set $dr (i32.add (local.get $d) (i32.shl (local.get $j) (i32.const 2))))
          (local.set $r (local.get $rows))
          (loop $one_rows
            (local.set $x0 (v128.load32_splat offset=0 (local.get $xr)))
            (local.set $d0 (v128.load (local.get $dr)))
            (local.set $d1 (v128.load offset=16 (local.get $dr)))
            (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $x0) (local.get $d0))))
            (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $x0) (local.get $d1))))
            (local.set $xr (i32.add (local.get $xr) (local.get $xstep)))
            (local.set $dr (i32.add (local.get $dr) (local.get $dstep)))
            (br_if $one_rows (local.tee $r (i32.sub (local.get $r) (i32.const 1)))))
          (local.set $left (i32.sub (local.get $outputs) (local.get $j)))
          (if (i32.ge_s (local.get $left) (i32.const 8))
            (then
              (local.set $o (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (i32.add (local.get $p) (i32.const 0)) (local.get $outputs)) (local.get $j)) (i32.const 2))))
              (v128.store (local.get $o) (local.get $c00))
              (v128.store offset=16 (local.get $o) (local.get $c01))
            )
            ;; fewer than 8 columns left: only those are stored
            (else
              (local.set $o (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (i32.add (local.get $p) (i32.const 0)) (local.get $outputs)) (local.get $j)) (i32.const 2))))
              (v128.store (local.get $spill) (local.get $c00))
              (v128.store offset=16 (local.get $spill) (local.get $c01))
              (call $copy (local.get $spill) (local.get $o) (local.get $left))
            ))
          (br_if $one_columns (i32.lt_s (local.tee $j (i32.add (local.get $j) (i32.const 8))) (local.get $outputs))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $one)))
  )
  ;; out[p] = θ[p] − lr · sum[p], p < n (float32 arrays): widened to float64, the product and
  ;; the difference each rounded to float64, the result rounded once to float32, as JavaScript
  ;; computes `theta[p] - learningRate * sum[p]` and stores it in a Float32Array.
  (func (export "step_away") (param $theta i32) (param $sum i32) (param $lr f64) (param $out i32) (param $n i32)
    (local $rate v128) (local $t v128) (local $s v128) (local $low v128) (local $high v128)
    (local.set $rate (f64x2.splat (local.get $lr)))
    (block $four_done
      (loop $four
        (br_if $four_done (i32.lt_s (local.get $n) (i32.const 4)))
        (local.set $t (v128.load (local.get $theta)))
        (local.set $s (v128.load (local.get $sum)))
        (local.set $low
          (f32x4.demote_f64x2_zero
            (f64x2.sub (f64x2.promote_low_f32x4 (local.get $t))
              (f64x2.mul (local.get $rate) (f64x2.promote_low_f32x4 (local.get $s))))))
        ;; lanes 2 and 3 moved down to be widened
        (local.set $t (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $t) (local.get $t)))
        (local.set $s (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $s) (local.get $s)))
        (local.set $high
          (f32x4.demote_f64x2_zero
            (f64x2.sub (f64x2.promote_low_f32x4 (local.get $t))
              (f64x2.mul (local.get $rate) (f64x2.promote_low_f32x4 (local.get $s))))))
        (v128.store (local.get $out)
          (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $low) (local.get $high)))
        (local.set $theta (i32.add (local.get $theta) (i32.const 16)))
        (local.set $sum (i32.add (local.get $sum) (i32.const 16)))
        (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (local.set $n (i32.sub (local.get $n) (i32.const 4)))
        (br $four)))
    (block $one_done
      (loop $one
        (br_if $one_done (i32.le_s (local.get $n) (i32.const 0)))
        (f32.store (local.get $out)
          (f32.demote_f64
            (f64.sub (f64.promote_f32 (f32.load (local.get $theta)))
              (f64.mul (local.get $lr) (f64.promote_f32 (f32.load (local.get $sum)))))))
        (local.set $theta (i32.add (local.get $theta) (i32.const 4)))
        (local.set $sum (i32.add (local.get $sum) (i32.const 4)))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $one))))

  ;; target[p] += values[p], p < n, in float32: JavaScript's float64 sum of two float32 values
  ;; rounded to float32 is the float32 sum (float64 has more than twice float32's precision).
  (func (export "add_into") (param $target i32) (param $values i32) (param $n i32)
    (block $four_done
      (loop $four
        (br_if $four_done (i32.lt_s (local.get $n) (i32.const 4)))
        (v128.store (local.get $target) (f32x4.add (v128.load (local.get $target)) (v128.load (local.get $values))))
        (local.set $target (i32.add (local.get $target) (i32.const 16)))
        (local.set $values (i32.add (local.get $values) (i32.const 16)))
        (local.set $n (i32.sub (local.get $n) (i32.const 4)))
        (br $four)))
    (block $one_done
      (loop $one
        (br_if $one_done (i32.le_s (local.get $n) (i32.const 0)))
        (f32.store (local.get $target) (f32.add (f32.load (local.get $target)) (f32.load (local.get $values))))
        (local.set $target (i32.add (local.get $target) (i32.const 4)))
        (local.set $values (i32.add (local.get $values) (i32.const 4)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $one))))

  ;; out[k] = values[k] if it is > 0, else +0 (so −0 and NaN give +0), k < n: fast-node-math.ts's
  ;; relu. pmax(0, v) is (0 < v) ? v : 0, lane by lane.
  (func (export "relu") (param $values i32) (param $out i32) (param $n i32)
    (local $v f32)
    (block $four_done
      (loop $four
        (br_if $four_done (i32.lt_s (local.get $n) (i32.const 4)))
        (v128.store (local.get $out) (f32x4.pmax (v128.const f32x4 0 0 0 0) (v128.load (local.get $values))))
        (local.set $values (i32.add (local.get $values) (i32.const 16)))
        (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (local.set $n (i32.sub (local.get $n) (i32.const 4)))
        (br $four)))
    (block $one_done
      (loop $one
        (br_if $one_done (i32.le_s (local.get $n) (i32.const 0)))
        (local.set $v (f32.load (local.get $values)))
        (f32.store (local.get $out) (select (local.get $v) (f32.const 0) (f32.gt (local.get $v) (f32.const 0))))
        (local.set $values (i32.add (local.get $values) (i32.const 4)))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $one))))

  ;; out[k] = delta[k] where hidden[k] > 0, else +0, k < n: fast-node-math.ts's maskByRelu.
  (func (export "mask_by_relu") (param $delta i32) (param $hidden i32) (param $out i32) (param $n i32)
    (block $four_done
      (loop $four
        (br_if $four_done (i32.lt_s (local.get $n) (i32.const 4)))
        (v128.store (local.get $out)
          (v128.and (v128.load (local.get $delta)) (f32x4.gt (v128.load (local.get $hidden)) (v128.const f32x4 0 0 0 0))))
        (local.set $delta (i32.add (local.get $delta) (i32.const 16)))
        (local.set $hidden (i32.add (local.get $hidden) (i32.const 16)))
        (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (local.set $n (i32.sub (local.get $n) (i32.const 4)))
        (br $four)))
    (block $one_done
      (loop $one
        (br_if $one_done (i32.le_s (local.get $n) (i32.const 0)))
        (f32.store (local.get $out)
          (select (f32.load (local.get $delta)) (f32.const 0) (f32.gt (f32.load (local.get $hidden)) (f32.const 0))))
        (local.set $delta (i32.add (local.get $delta) (i32.const 4)))
        (local.set $hidden (i32.add (local.get $hidden) (i32.const 4)))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $one))))

  ;; The backward of a concatenated step-1 pass (fast-concat-pass.ts), with the bits of the
  ;; TensorFlow.js ops it replaces: output_delta is (softmax − one-hot) · 1/b per row
  ;; (tf.sub then tf.mul, each rounded to float32), mask_by_step multiplies a layer's
  ;; backpropagated delta by step(hidden) (tf.mul by tf.step: 1 where hidden > 0, NaN where it
  ;; is NaN, else 0, so a negative delta times 0 is −0 and ±∞ times 0 is NaN, as there).

  ;; out[r · cols + c] = (s[r · cols + c] − t[r · cols + c]) · scale[r], r < rows, c < cols.
  (func (export "output_delta") (param $s i32) (param $t i32) (param $scale i32) (param $out i32) (param $rows i32) (param $cols i32)
    (local $j i32) (local $w f32) (local $wv v128)
    (block $rows_done
      (loop $next_row
        (br_if $rows_done (i32.le_s (local.get $rows) (i32.const 0)))
        (local.set $w (f32.load (local.get $scale)))
        (local.set $wv (f32x4.splat (local.get $w)))
        (local.set $j (local.get $cols))
        (block $four_done
          (loop $four
            (br_if $four_done (i32.lt_s (local.get $j) (i32.const 4)))
            (v128.store (local.get $out)
              (f32x4.mul (f32x4.sub (v128.load (local.get $s)) (v128.load (local.get $t))) (local.get $wv)))
            (local.set $s (i32.add (local.get $s) (i32.const 16)))
            (local.set $t (i32.add (local.get $t) (i32.const 16)))
            (local.set $out (i32.add (local.get $out) (i32.const 16)))
            (local.set $j (i32.sub (local.get $j) (i32.const 4)))
            (br $four)))
        (block $one_done
          (loop $one
            (br_if $one_done (i32.le_s (local.get $j) (i32.const 0)))
            (f32.store (local.get $out)
              (f32.mul (f32.sub (f32.load (local.get $s)) (f32.load (local.get $t))) (local.get $w)))
            (local.set $s (i32.add (local.get $s) (i32.const 4)))
            (local.set $t (i32.add (local.get $t) (i32.const 4)))
            (local.set $out (i32.add (local.get $out) (i32.const 4)))
            (local.set $j (i32.sub (local.get $j) (i32.const 1)))
            (br $one)))
        (local.set $scale (i32.add (local.get $scale) (i32.const 4)))
        (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
        (br $next_row))))

  ;; out[k] = back[k] · step(hidden[k]), k < n (out may be back).
  (func (export "mask_by_step") (param $back i32) (param $hidden i32) (param $out i32) (param $n i32)
    (local $h v128) (local $hs f32)
    (block $four_done
      (loop $four
        (br_if $four_done (i32.lt_s (local.get $n) (i32.const 4)))
        (local.set $h (v128.load (local.get $hidden)))
        (v128.store (local.get $out)
          (f32x4.mul (v128.load (local.get $back))
            (v128.or
              (v128.and (f32x4.gt (local.get $h) (v128.const f32x4 0 0 0 0)) (v128.const f32x4 1 1 1 1))
              (v128.and (f32x4.ne (local.get $h) (local.get $h)) (v128.const i32x4 0x7fc00000 0x7fc00000 0x7fc00000 0x7fc00000)))))
        (local.set $back (i32.add (local.get $back) (i32.const 16)))
        (local.set $hidden (i32.add (local.get $hidden) (i32.const 16)))
        (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (local.set $n (i32.sub (local.get $n) (i32.const 4)))
        (br $four)))
    (block $one_done
      (loop $one
        (br_if $one_done (i32.le_s (local.get $n) (i32.const 0)))
        (local.set $hs (f32.load (local.get $hidden)))
        (f32.store (local.get $out)
          (f32.mul (f32.load (local.get $back))
            (select (f32.const 1)
              (select (f32.const nan) (f32.const 0) (f32.ne (local.get $hs) (local.get $hs)))
              (f32.gt (local.get $hs) (f32.const 0)))))
        (local.set $back (i32.add (local.get $back) (i32.const 4)))
        (local.set $hidden (i32.add (local.get $hidden) (i32.const 4)))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $one))))

  ;; out[r · cols + j] += row[j] in float32, r < rows, j < cols.
  (func (export "add_rows") (param $out i32) (param $row i32) (param $rows i32) (param $cols i32)
    (local $j i32) (local $o i32) (local $b i32)
    (block $rows_done
      (loop $next_row
        (br_if $rows_done (i32.le_s (local.get $rows) (i32.const 0)))
        (local.set $j (local.get $cols))
        (local.set $b (local.get $row))
        (block $four_done
          (loop $four
            (br_if $four_done (i32.lt_s (local.get $j) (i32.const 4)))
            (v128.store (local.get $out) (f32x4.add (v128.load (local.get $out)) (v128.load (local.get $b))))
            (local.set $out (i32.add (local.get $out) (i32.const 16)))
            (local.set $b (i32.add (local.get $b) (i32.const 16)))
            (local.set $j (i32.sub (local.get $j) (i32.const 4)))
            (br $four)))
        (block $one_done
          (loop $one
            (br_if $one_done (i32.le_s (local.get $j) (i32.const 0)))
            (f32.store (local.get $out) (f32.add (f32.load (local.get $out)) (f32.load (local.get $b))))
            (local.set $out (i32.add (local.get $out) (i32.const 4)))
            (local.set $b (i32.add (local.get $b) (i32.const 4)))
            (local.set $j (i32.sub (local.get $j) (i32.const 1)))
            (br $one)))
        (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
        (br $next_row))))

  ;; Σ v[p]², p < n (float32), in float64 with fast-vector-math.ts's sumOfSquares's additions:
  ;; four partial sums s0 … s3 of the values at p ≡ 0 … 3 (mod 4), the last n mod 4 values added
  ;; to s0, then (s0 + s1) + (s2 + s3). Lanes 0 and 1 of $low are s0 and s1, of $high s2 and s3.
  (func (export "sum_of_squares") (param $v i32) (param $n i32) (result f64)
    (local $low v128) (local $high v128) (local $x v128) (local $y v128) (local $s0 f64) (local $t f64)
    (block $four_done
      (loop $four
        (br_if $four_done (i32.lt_s (local.get $n) (i32.const 4)))
        (local.set $x (v128.load (local.get $v)))
        (local.set $y (f64x2.promote_low_f32x4 (local.get $x)))
        (local.set $low (f64x2.add (local.get $low) (f64x2.mul (local.get $y) (local.get $y))))
        (local.set $y (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $x) (local.get $x))))
        (local.set $high (f64x2.add (local.get $high) (f64x2.mul (local.get $y) (local.get $y))))
        (local.set $v (i32.add (local.get $v) (i32.const 16)))
        (local.set $n (i32.sub (local.get $n) (i32.const 4)))
        (br $four)))
    (local.set $s0 (f64x2.extract_lane 0 (local.get $low)))
    (block $one_done
      (loop $one
        (br_if $one_done (i32.le_s (local.get $n) (i32.const 0)))
        (local.set $t (f64.promote_f32 (f32.load (local.get $v))))
        (local.set $s0 (f64.add (local.get $s0) (f64.mul (local.get $t) (local.get $t))))
        (local.set $v (i32.add (local.get $v) (i32.const 4)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $one)))
    (f64.add
      (f64.add (local.get $s0) (f64x2.extract_lane 1 (local.get $low)))
      (f64.add (f64x2.extract_lane 0 (local.get $high)) (f64x2.extract_lane 1 (local.get $high)))))
)
