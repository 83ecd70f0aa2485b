// Activations converted to the weight's "vec_dot_type" before a quantized dot product, as ggml-cpu does on x86
// (ENGINE-SPEC §4.4): Q8_0 for Q4_0/Q5_0/Q8_0 weights, Q8_1 for Q4_1/Q5_1, Q8_K for K-quants.
import { f32ToF16Bits, F16_TO_F32 } from '../../quant/index.js';
import { nearestInt } from '../../quant/f32-math.js';

const f32 = Math.fround;

export interface QuantizedActivation {
  /** Per block scale (f16-rounded for Q8_0/Q8_1, f32 for Q8_K). */
  d: Float32Array;
  /** Per block d·Σq (Q8_1 only), f16-rounded. */
  s: Float32Array;
  /** Per 16 values Σq (Q8_K only). */
  bsums: Int32Array;
  q: Int8Array;
}

/**
 * Q8_0 / Q8_1 as ggml's AVX2 quantize_row_q8_0/q8_1: d = amax/127 stored as f16, values scaled by 127/amax and
 * rounded to nearest even. (The scalar reference uses 1/d and rounds ties away from zero; ties are rare.)
 */
export function quantizeActivationQ8_0(x: Float32Array, offset: number, k: number, withSums = false): QuantizedActivation {
  const blocks = k / 32;
  const d = new Float32Array(blocks);
  const s = new Float32Array(withSums ? blocks : 0);
  const q = new Int8Array(k);
  for (let b = 0; b < blocks; b++) {
    let amax = 0;
    for (let j = 0; j < 32; j++) amax = Math.max(amax, Math.abs(x[offset + b * 32 + j]!));
    const dRaw = f32(amax / 127);
    d[b] = F16_TO_F32[f32ToF16Bits(dRaw)]!;
    const id = amax !== 0 ? f32(127 / amax) : 0;
    let sum = 0;
    for (let j = 0; j < 32; j++) {
      const v = nearestInt(f32(x[offset + b * 32 + j]! * id));
      q[b * 32 + j] = v;
      sum += v;
    }
    if (withSums) s[b] = F16_TO_F32[f32ToF16Bits(f32(sum * dRaw))]!;
  }
  return { d, s, bsums: new Int32Array(0), q };
}

/** Q8_K (quantize_row_q8_K_ref, which the x86 path uses): per 256, iscale = −127/max, d = 1/iscale in f32. */
export function quantizeActivationQ8_K(x: Float32Array, offset: number, k: number): QuantizedActivation {
  const blocks = k / 256;
  const d = new Float32Array(blocks);
  const bsums = new Int32Array(blocks * 16);
  const q = new Int8Array(k);
  for (let b = 0; b < blocks; b++) {
    let max = 0;
    let amax = 0;
    for (let j = 0; j < 256; j++) {
      const v = x[offset + b * 256 + j]!;
      if (Math.abs(v) > amax) {
        amax = Math.abs(v);
        max = v;
      }
    }
    if (amax === 0) continue;
    const iscale = f32(-127 / max);
    for (let j = 0; j < 256; j++) {
      const v = Math.min(127, nearestInt(f32(iscale * x[offset + b * 256 + j]!)));
      q[b * 256 + j] = v;
      bsums[b * 16 + (j >> 4)] = bsums[b * 16 + (j >> 4)]! + v;
    }
    d[b] = f32(1 / iscale);
  }
  return { d, s: new Float32Array(0), bsums, q };
}
