// IEEE binary16 and bfloat16 conversions, rounding exactly as ggml does (round to nearest, ties to even).
// ref: ENGINE-SPEC §4.1

const scratchF32 = new Float32Array(1);
const scratchU32 = new Uint32Array(scratchF32.buffer);

/** f32 → f16 bits, round-to-nearest-even, overflow to ±inf, NaN stays NaN. */
export function f32ToF16Bits(value: number): number {
  scratchF32[0] = value;
  const bits = scratchU32[0]!;
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  const mantissa = bits & 0x7fffff;
  if (exponent === 0xff) return sign | (mantissa ? 0x7e00 : 0x7c00);
  const halfExponent = exponent - 112; // rebias 127 → 15
  if (halfExponent >= 0x1f) return sign | 0x7c00;
  if (halfExponent <= 0) {
    // Subnormal half: value = m · 2^-24, so shift the 24-bit significand right by 14 − halfExponent.
    if (halfExponent < -10) return sign;
    const significand = mantissa | 0x800000;
    const shift = 14 - halfExponent;
    let half = significand >>> shift;
    const rest = significand & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    if (rest > halfway || (rest === halfway && (half & 1) === 1)) half++;
    return sign | half;
  }
  let half = (halfExponent << 10) | (mantissa >>> 13);
  const rest = mantissa & 0x1fff;
  // A carry out of the mantissa correctly bumps the exponent (and reaches inf at the top).
  if (rest > 0x1000 || (rest === 0x1000 && (half & 1) === 1)) half++;
  return sign | half;
}

function f16BitsToF32Slow(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >>> 10) & 0x1f;
  const mantissa = h & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f) return mantissa ? NaN : sign * Infinity;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

/** Every f16 bit pattern decoded once: decoding is then one table read. */
export const F16_TO_F32 = (() => {
  const table = new Float32Array(65536);
  for (let h = 0; h < 65536; h++) table[h] = f16BitsToF32Slow(h);
  return table;
})();

export function f16BitsToF32(h: number): number {
  return F16_TO_F32[h & 0xffff]!;
}

/** Rounds a number to the nearest f16 value (as f32). */
export function roundToF16(value: number): number {
  return F16_TO_F32[f32ToF16Bits(value)]!;
}

/** f32 → bf16 bits (ggml_compute_fp32_to_bf16): NaN is kept quiet, otherwise round-to-nearest-even. */
export function f32ToBf16Bits(value: number): number {
  scratchF32[0] = value;
  const bits = scratchU32[0]!;
  if ((bits & 0x7fffffff) > 0x7f800000) return ((bits >>> 16) | 64) & 0xffff;
  return Math.floor((bits + 0x7fff + ((bits >>> 16) & 1)) / 65536) & 0xffff;
}

export function bf16BitsToF32(h: number): number {
  scratchU32[0] = (h & 0xffff) << 16;
  return scratchF32[0]!;
}

/** The little-endian f16 at `offset`, as a number. */
export function readF16(bytes: Uint8Array, offset: number): number {
  return F16_TO_F32[bytes[offset]! | (bytes[offset + 1]! << 8)]!;
}

/** Stores `value` as a little-endian f16 at `offset` and returns the value it rounded to. */
export function writeF16(bytes: Uint8Array, offset: number, value: number): number {
  const bits = f32ToF16Bits(value);
  bytes[offset] = bits & 0xff;
  bytes[offset + 1] = bits >> 8;
  return F16_TO_F32[bits]!;
}

/** The little-endian u32 at `offset` (the qh bit masks of Q5_0/Q5_1). */
export function readU32(bytes: Uint8Array, offset: number): number {
  return (bytes[offset]! | (bytes[offset + 1]! << 8) | (bytes[offset + 2]! << 16) | (bytes[offset + 3]! << 24)) >>> 0;
}
