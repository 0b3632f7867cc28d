;; One group of four rows added to a float64 sum (src/train/kernels/sum-kernel.ts):
;;   out[p] += w0 · r0[p] + w1 · r1[p] + w2 · r2[p] + w3 · r3[p],   p = 0 … width − 1
;; with r1 = r0 + stride, r2 = r0 + 2 · stride, r3 = r0 + 3 · stride (float32 rows, float64 sum).
;; Each float32 value is widened exactly, each product and sum rounded to float64 in this very
;; order: the operations of weighted-sum.ts's JavaScript loop, two parameters at a time, so the
;; bits are the same (test/train/sum-kernel.test.ts compares them).
;;
;; Compiled by scripts/build-kernels.mjs into weighted-sum-wasm.ts (WebAssembly with 128-bit SIMD),
;; twice: as written, and importing a shared memory (the rows both threads of a split round write).
(module
  (import "env" "memory" (memory 1))

  ;; Addresses and the stride in bytes.
  (func (export "group4")
    (param $r0 i32) (param $stride i32) (param $width i32) (param $out i32)
    (param $w0 f64) (param $w1 f64) (param $w2 f64) (param $w3 f64)
    (local $v0 v128) (local $v1 v128) (local $v2 v128) (local $v3 v128)
    (local $r1 i32) (local $r2 i32) (local $r3 i32) (local $pairs i32) (local $s v128)
    (local.set $v0 (f64x2.splat (local.get $w0)))
    (local.set $v1 (f64x2.splat (local.get $w1)))
    (local.set $v2 (f64x2.splat (local.get $w2)))
    (local.set $v3 (f64x2.splat (local.get $w3)))
    (local.set $r1 (i32.add (local.get $r0) (local.get $stride)))
    (local.set $r2 (i32.add (local.get $r1) (local.get $stride)))
    (local.set $r3 (i32.add (local.get $r2) (local.get $stride)))
    (local.set $pairs (i32.shr_u (local.get $width) (i32.const 1)))
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $pairs)))
        (local.set $s (f64x2.mul (local.get $v0) (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $r0)))))
        (local.set $s (f64x2.add (local.get $s) (f64x2.mul (local.get $v1) (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $r1))))))
        (local.set $s (f64x2.add (local.get $s) (f64x2.mul (local.get $v2) (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $r2))))))
        (local.set $s (f64x2.add (local.get $s) (f64x2.mul (local.get $v3) (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $r3))))))
        (v128.store (local.get $out) (f64x2.add (v128.load (local.get $out)) (local.get $s)))
        (local.set $r0 (i32.add (local.get $r0) (i32.const 8)))
        (local.set $r1 (i32.add (local.get $r1) (i32.const 8)))
        (local.set $r2 (i32.add (local.get $r2) (i32.const 8)))
        (local.set $r3 (i32.add (local.get $r3) (i32.const 8)))
        (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (local.set $pairs (i32.sub (local.get $pairs) (i32.const 1)))
        (br $next)))
    ;; an odd width's last parameter, in the same order
    (if (i32.and (local.get $width) (i32.const 1))
      (then
        (f64.store (local.get $out)
          (f64.add (f64.load (local.get $out))
            (f64.add
              (f64.add
                (f64.add
                  (f64.mul (local.get $w0) (f64.promote_f32 (f32.load (local.get $r0))))
                  (f64.mul (local.get $w1) (f64.promote_f32 (f32.load (local.get $r1)))))
                (f64.mul (local.get $w2) (f64.promote_f32 (f32.load (local.get $r2)))))
              (f64.mul (local.get $w3) (f64.promote_f32 (f32.load (local.get $r3)))))))))))
