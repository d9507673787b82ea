(module
  ;; logSoftmax's three passes over a row of float32 logits copied into this module's memory at 0,
  ;; with WebAssembly SIMD (four float32 lanes): the max, S = Σ exp(x − max), and the write
  ;; x ← float32(float32(x − max) − L). A measurement (bench/wasm-probe/run.mjs), not library code.
  (memory (export "mem") 16)
  ;; max of f32 x[0..n), n a multiple of 8 (pmax: NaN not propagated; a NaN check would be separate)
  (func (export "maxOf") (param $n i32) (result f32)
    (local $i i32) (local $end i32) (local $m v128) (local $m2 v128)
    (local.set $m (v128.const f32x4 -inf -inf -inf -inf))
    (local.set $m2 (v128.const f32x4 -inf -inf -inf -inf))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $m (f32x4.pmax (local.get $m) (v128.load (local.get $i))))
        (local.set $m2 (f32x4.pmax (local.get $m2) (v128.load offset=16 (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 32)))
        (br $l)))
    (local.set $m (f32x4.pmax (local.get $m) (local.get $m2)))
    (f32.max
      (f32.max (f32x4.extract_lane 0 (local.get $m)) (f32x4.extract_lane 1 (local.get $m)))
      (f32.max (f32x4.extract_lane 2 (local.get $m)) (f32x4.extract_lane 3 (local.get $m)))))

  ;; Σ exp(x − m), n a multiple of 4: z = max(x − m, −80) in float32 (below −80 a term is under
  ;; 2e-35 and float32 would go subnormal, which is slow); exp(z) = 2^k · exp(r), k = round(z·log2 e)
  ;; by the 1.5·2^23 trick, r = z − k·ln2 in two parts (Cody–Waite), exp(r) by its degree-6 Taylor
  ;; polynomial (relative error ≈ 1e-7 at |r| = ln2/2), 2^k through the exponent bits; the terms are
  ;; summed in double (two accumulators of two lanes).
  (func (export "sumExp") (param $n i32) (param $mx f32) (result f64)
    (local $i i32) (local $end i32) (local $m v128) (local $z v128) (local $k v128) (local $r v128)
    (local $p v128) (local $e v128) (local $acc v128) (local $acc2 v128)
    (local $cFloor v128) (local $cL2e v128) (local $cMagic v128) (local $cHi v128) (local $cLo v128)
    (local $c6 v128) (local $c5 v128) (local $c4 v128) (local $c3 v128) (local $c2 v128) (local $c1 v128) (local $cBias v128)
    (local.set $m (f32x4.splat (local.get $mx)))
    (local.set $cFloor (f32x4.splat (f32.const -80)))
    (local.set $cL2e (f32x4.splat (f32.const 1.44269504)))
    (local.set $cMagic (f32x4.splat (f32.const 12582912)))
    (local.set $cHi (f32x4.splat (f32.const 0.693359375)))
    (local.set $cLo (f32x4.splat (f32.const -2.12194440e-4)))
    (local.set $c6 (f32x4.splat (f32.const 1.3888889e-3)))
    (local.set $c5 (f32x4.splat (f32.const 8.3333333e-3)))
    (local.set $c4 (f32x4.splat (f32.const 4.1666667e-2)))
    (local.set $c3 (f32x4.splat (f32.const 1.6666667e-1)))
    (local.set $c2 (f32x4.splat (f32.const 0.5)))
    (local.set $c1 (f32x4.splat (f32.const 1)))
    (local.set $cBias (i32x4.splat (i32.const 0x4B3FFF81)))
    (local.set $acc (f64x2.splat (f64.const 0)))
    (local.set $acc2 (f64x2.splat (f64.const 0)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $z (f32x4.pmax (f32x4.sub (v128.load (local.get $i)) (local.get $m)) (local.get $cFloor)))
        (local.set $e (f32x4.add (f32x4.mul (local.get $z) (local.get $cL2e)) (local.get $cMagic)))
        (local.set $k (f32x4.sub (local.get $e) (local.get $cMagic)))
        (local.set $r (f32x4.sub (local.get $z) (f32x4.mul (local.get $k) (local.get $cHi))))
        (local.set $r (f32x4.sub (local.get $r) (f32x4.mul (local.get $k) (local.get $cLo))))
        (local.set $p (f32x4.add (local.get $c5) (f32x4.mul (local.get $r) (local.get $c6))))
        (local.set $p (f32x4.add (local.get $c4) (f32x4.mul (local.get $r) (local.get $p))))
        (local.set $p (f32x4.add (local.get $c3) (f32x4.mul (local.get $r) (local.get $p))))
        (local.set $p (f32x4.add (local.get $c2) (f32x4.mul (local.get $r) (local.get $p))))
        (local.set $p (f32x4.add (local.get $c1) (f32x4.add (local.get $r) (f32x4.mul (f32x4.mul (local.get $r) (local.get $r)) (local.get $p)))))
        (local.set $e (i32x4.shl (i32x4.sub (local.get $e) (local.get $cBias)) (i32.const 23)))
        (local.set $p (f32x4.mul (local.get $p) (local.get $e)))
        (local.set $acc (f64x2.add (local.get $acc) (f64x2.promote_low_f32x4 (local.get $p))))
        (local.set $acc2 (f64x2.add (local.get $acc2) (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $p) (local.get $p)))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $l)))
    (local.set $acc (f64x2.add (local.get $acc) (local.get $acc2)))
    (f64.add (f64x2.extract_lane 0 (local.get $acc)) (f64x2.extract_lane 1 (local.get $acc))))

  ;; x ← fround(fround(x − m) − L)
  (func (export "write") (param $n i32) (param $mx f32) (param $L f32)
    (local $i i32) (local $end i32) (local $m v128) (local $l v128)
    (local.set $m (f32x4.splat (local.get $mx)))
    (local.set $l (f32x4.splat (local.get $L)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $done
      (loop $lp
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (v128.store (local.get $i) (f32x4.sub (f32x4.sub (v128.load (local.get $i)) (local.get $m)) (local.get $l)))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $lp))))
)
