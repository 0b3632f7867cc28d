/**
 * exp, log, sin and cos as fdlibm computes them (Sun's freely distributable libm, as V8 ports
 * it in src/base/ieee754.cc), in plain double arithmetic: the same bits in every JavaScript
 * engine. `Math.exp` and friends are only required to be close: Node 20's V8 uses fdlibm,
 * while a newer Chromium's V8 rounds some results differently in the last bit, so a latency
 * drawn in the browser playground differed from the CLI's in the 17th digit. The simulator's
 * random draws go through these functions instead, and on Node 20 they give exactly what
 * `Math` gave (test/text/fdlibm.test.ts), so no reported number changed.
 *
 * sin and cos reduce their argument with the Cody–Waite steps of __ieee754_rem_pio2, which
 * cover |x| < 2^19·π/2; beyond that (never in dtrain: its angles are below 2π) they fall back
 * to Math.
 */

// One double and its two 32-bit words (typed arrays are in the platform's byte order).
const double = new Float64Array(1);
const words = new Int32Array(double.buffer);
const HIGH = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
const LOW = 1 - HIGH;

function highWord(x: number): number {
  double[0] = x;
  return words[HIGH]!;
}

function lowWord(x: number): number {
  double[0] = x;
  return words[LOW]! >>> 0;
}

function fromWords(high: number, low: number): number {
  words[HIGH] = high;
  words[LOW] = low;
  return double[0]!;
}

function withHighWord(x: number, high: number): number {
  double[0] = x;
  words[HIGH] = high;
  return double[0]!;
}

// --- exp (e_exp.c) ---------------------------------------------------------------------------

const HALF = [0.5, -0.5];
const LN2_HI = [6.93147180369123816490e-01, -6.93147180369123816490e-01];
const LN2_LO = [1.90821492927058770002e-10, -1.90821492927058770002e-10];
const INV_LN2 = 1.44269504088896338700e+00;
const O_THRESHOLD = 7.09782712893383973096e+02;
const U_THRESHOLD = -7.45133219101941108420e+02;
const P1 = 1.66666666666666019037e-01;
const P2 = -2.77777777770155933842e-03;
const P3 = 6.61375632143793436117e-05;
const P4 = -1.65339022054652515390e-06;
const P5 = 4.13813679705723846039e-08;
const TWO_M1000 = 9.33263618503218878990e-302;
const TWO_1023 = 8.988465674311579539e307;

export function exp(value: number): number {
  let x = value;
  let hx = highWord(x);
  const xsb = (hx >>> 31) & 1;
  hx &= 0x7fffffff;
  if (hx >= 0x40862e42) {
    if (hx >= 0x7ff00000) {
      if (((hx & 0xfffff) | lowWord(x)) !== 0) return x + x;
      return xsb === 0 ? x : 0;
    }
    if (x > O_THRESHOLD) return Infinity;
    if (x < U_THRESHOLD) return 0;
  }
  let hi = 0;
  let lo = 0;
  let k = 0;
  if (hx > 0x3fd62e42) {
    if (hx < 0x3ff0a2b2) {
      // V8 special-cases e itself: the reduction below gets its last bit wrong
      if (x === 1) return Math.E;
      hi = x - LN2_HI[xsb]!;
      lo = LN2_LO[xsb]!;
      k = 1 - xsb - xsb;
    } else {
      k = Math.trunc(INV_LN2 * x + HALF[xsb]!);
      hi = x - k * LN2_HI[0]!;
      lo = k * LN2_LO[0]!;
    }
    x = hi - lo;
  } else if (hx < 0x3e300000) {
    return 1 + x;
  }
  const t = x * x;
  const twopk = k >= -1021 ? fromWords(0x3ff00000 + (k << 20), 0) : fromWords(0x3ff00000 + ((k + 1000) << 20), 0);
  const c = x - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  if (k === 0) return 1 - ((x * c) / (c - 2) - x);
  const y = 1 - ((lo - (x * c) / (2 - c)) - hi);
  if (k >= -1021) {
    if (k === 1024) return y * 2 * TWO_1023;
    return y * twopk;
  }
  return y * twopk * TWO_M1000;
}

// --- log (e_log.c) ---------------------------------------------------------------------------

const LN2_HI_1 = 6.93147180369123816490e-01;
const LN2_LO_1 = 1.90821492927058770002e-10;
const TWO_54 = 1.80143985094819840000e+16;
const LG1 = 6.666666666666735130e-01;
const LG2 = 3.999999999940941908e-01;
const LG3 = 2.857142874366239149e-01;
const LG4 = 2.222219843214978396e-01;
const LG5 = 1.818357216161805012e-01;
const LG6 = 1.531383769920937332e-01;
const LG7 = 1.479819860511658591e-01;

export function log(value: number): number {
  let x = value;
  let hx = highWord(x);
  const lx = lowWord(x);
  let k = 0;
  if (hx < 0x00100000) {
    if (((hx & 0x7fffffff) | lx) === 0) return -Infinity;
    if (hx < 0) return NaN;
    k -= 54;
    x *= TWO_54;
    hx = highWord(x);
  }
  if (hx >= 0x7ff00000) return x + x;
  k += (hx >> 20) - 1023;
  hx &= 0x000fffff;
  let i = (hx + 0x95f64) & 0x100000;
  x = withHighWord(x, hx | (i ^ 0x3ff00000));
  k += i >> 20;
  const f = x - 1;
  const dk = k;
  if ((0x000fffff & (2 + hx)) < 3) {
    if (f === 0) return k === 0 ? 0 : dk * LN2_HI_1 + dk * LN2_LO_1;
    const r = f * f * (0.5 - 0.33333333333333333 * f);
    return k === 0 ? f - r : dk * LN2_HI_1 - ((r - dk * LN2_LO_1) - f);
  }
  const s = f / (2 + f);
  const z = s * s;
  i = hx - 0x6147a;
  const w = z * z;
  const j = 0x6b851 - hx;
  const t1 = w * (LG2 + w * (LG4 + w * LG6));
  const t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
  i |= j;
  const r = t2 + t1;
  if (i > 0) {
    const hfsq = 0.5 * f * f;
    return k === 0 ? f - (hfsq - s * (hfsq + r)) : dk * LN2_HI_1 - ((hfsq - (s * (hfsq + r) + dk * LN2_LO_1)) - f);
  }
  return k === 0 ? f - s * (f - r) : dk * LN2_HI_1 - ((s * (f - r) - dk * LN2_LO_1) - f);
}

// --- sin and cos (k_sin.c, k_cos.c, e_rem_pio2.c, s_sin.c, s_cos.c) -------------------------

const S1 = -1.66666666666666324348e-01;
const S2 = 8.33333333332248946124e-03;
const S3 = -1.98412698298579493134e-04;
const S4 = 2.75573137070700676789e-06;
const S5 = -2.50507602534068634195e-08;
const S6 = 1.58969099521155010221e-10;

function kernelSin(x: number, y: number, iy: number): number {
  const ix = highWord(x) & 0x7fffffff;
  if (ix < 0x3e400000 && Math.trunc(x) === 0) return x;
  const z = x * x;
  const v = z * x;
  const r = S2 + z * (S3 + z * (S4 + z * (S5 + z * S6)));
  if (iy === 0) return x + v * (S1 + z * r);
  return x - ((z * (0.5 * y - v * r) - y) - v * S1);
}

const C1 = 4.16666666666666019037e-02;
const C2 = -1.38888888888741095749e-03;
const C3 = 2.48015872894767294178e-05;
const C4 = -2.75573143513906633035e-07;
const C5 = 2.08757232129817482790e-09;
const C6 = -1.13596475577881948265e-11;

function kernelCos(x: number, y: number): number {
  const ix = highWord(x) & 0x7fffffff;
  if (ix < 0x3e400000 && Math.trunc(x) === 0) return 1;
  const z = x * x;
  const r = z * (C1 + z * (C2 + z * (C3 + z * (C4 + z * (C5 + z * C6)))));
  if (ix < 0x3fd33333) return 1 - (0.5 * z - (z * r - x * y));
  const qx = ix > 0x3fe90000 ? 0.28125 : fromWords(ix - 0x00200000, 0);
  const iz = 0.5 * z - qx;
  const a = 1 - qx;
  return a - (iz - (z * r - x * y));
}

const INV_PIO2 = 6.36619772367581382433e-01;
const PIO2_1 = 1.57079632673412561417e+00;
const PIO2_1T = 6.07710050650619224932e-11;
const PIO2_2 = 6.07710050630396597660e-11;
const PIO2_2T = 2.02226624879595063154e-21;
const PIO2_3 = 2.02226624871116645580e-21;
const PIO2_3T = 8.47842766036889956997e-32;

/** High words of n·π/2 for n = 1 … 32 (fdlibm's npio2_hw table). */
const NPIO2_HW = [
  0x3ff921fb, 0x400921fb, 0x4012d97c, 0x401921fb, 0x401f6a7a, 0x4022d97c,
  0x4025fdbb, 0x402921fb, 0x402c463a, 0x402f6a7a, 0x4031475c, 0x4032d97c,
  0x40346b9c, 0x4035fdbb, 0x40378fdb, 0x403921fb, 0x403ab41b, 0x403c463a,
  0x403dd85a, 0x403f6a7a, 0x40407e4c, 0x4041475c, 0x4042106c, 0x4042d97c,
  0x4043a28c, 0x40446b9c, 0x404534ac, 0x4045fdbb, 0x4046c6cb, 0x40478fdb,
  0x404858eb, 0x404921fb,
];

// remPio2's remainder, [y0, y1]: a typed array rather than an object (sin and cos sit on hot
// paths) or two module variables (each store of a double to one allocates a heap number)
const reduced = new Float64Array(2);

/** x = n·π/2 + (reduced[0] + reduced[1]), |remainder| ≤ π/4: returns n; null beyond the medium range. */
function remPio2(x: number): number | null {
  const hx = highWord(x);
  const ix = hx & 0x7fffffff;
  if (ix < 0x4002d97c) {
    if (hx > 0) {
      let z = x - PIO2_1;
      if (ix !== 0x3ff921fb) {
        reduced[0] = z - PIO2_1T;
        reduced[1] = (z - reduced[0]!) - PIO2_1T;
        return 1;
      }
      z -= PIO2_2;
      reduced[0] = z - PIO2_2T;
      reduced[1] = (z - reduced[0]!) - PIO2_2T;
      return 1;
    }
    let z = x + PIO2_1;
    if (ix !== 0x3ff921fb) {
      reduced[0] = z + PIO2_1T;
      reduced[1] = (z - reduced[0]!) + PIO2_1T;
      return -1;
    }
    z += PIO2_2;
    reduced[0] = z + PIO2_2T;
    reduced[1] = (z - reduced[0]!) + PIO2_2T;
    return -1;
  }
  if (ix > 0x413921fb) return null;
  let t = Math.abs(x);
  const n = Math.trunc(t * INV_PIO2 + 0.5);
  const fn = n;
  let r = t - fn * PIO2_1;
  let w = fn * PIO2_1T;
  let y0: number;
  if (n < 32 && ix !== NPIO2_HW[n - 1]) {
    y0 = r - w;
  } else {
    const j = ix >> 20;
    y0 = r - w;
    let i = j - ((highWord(y0) >> 20) & 0x7ff);
    if (i > 16) {
      t = r;
      w = fn * PIO2_2;
      r = t - w;
      w = fn * PIO2_2T - ((t - r) - w);
      y0 = r - w;
      i = j - ((highWord(y0) >> 20) & 0x7ff);
      if (i > 49) {
        t = r;
        w = fn * PIO2_3;
        r = t - w;
        w = fn * PIO2_3T - ((t - r) - w);
        y0 = r - w;
      }
    }
  }
  const y1 = (r - y0) - w;
  reduced[0] = hx < 0 ? -y0 : y0;
  reduced[1] = hx < 0 ? -y1 : y1;
  return hx < 0 ? -n : n;
}

export function sin(x: number): number {
  const ix = highWord(x) & 0x7fffffff;
  if (ix <= 0x3fe921fb) return kernelSin(x, 0, 0);
  if (ix >= 0x7ff00000) return NaN;
  const n = remPio2(x);
  if (n === null) return Math.sin(x);
  const y0 = reduced[0]!;
  const y1 = reduced[1]!;
  switch (n & 3) {
    case 0: return kernelSin(y0, y1, 1);
    case 1: return kernelCos(y0, y1);
    case 2: return -kernelSin(y0, y1, 1);
    default: return -kernelCos(y0, y1);
  }
}

export function cos(x: number): number {
  const ix = highWord(x) & 0x7fffffff;
  if (ix <= 0x3fe921fb) return kernelCos(x, 0);
  if (ix >= 0x7ff00000) return NaN;
  const n = remPio2(x);
  if (n === null) return Math.cos(x);
  const y0 = reduced[0]!;
  const y1 = reduced[1]!;
  switch (n & 3) {
    case 0: return kernelCos(y0, y1);
    case 1: return -kernelSin(y0, y1, 1);
    case 2: return -kernelCos(y0, y1);
    default: return kernelSin(y0, y1, 1);
  }
}

