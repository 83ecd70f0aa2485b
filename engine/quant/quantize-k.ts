// Reference quantizers for the K-quant super-blocks, following ggml's quantize_row_{q4_K,q6_K,q8_K}_ref
// (no importance matrix) step by step in f32, so synthetic files match what llama-quantize would write.
import { writeF16 as writeHalf } from './float-bits.js';
import { nearestInt } from './f32-math.js';
import { scaleMinK4 } from './dequant-k.js';

const f32 = Math.fround;
const GROUP_MAX_EPS = 1e-15;

/**
 * make_qkx2_quants: fits `x ≈ scale·L + min` with L in 0..nmax and min ≤ 0, weighting the error by `weights`,
 * trying nstep+1 candidate inverse scales around nmax/(max−min). Returns [scale, −min].
 */
function fitScaleAndMin(
  x: Float32Array, start: number, n: number, nmax: number, weights: Float32Array,
  levels: Uint8Array, aux: Uint8Array, rmin: number, rdelta: number, nstep: number,
): [scale: number, negMin: number] {
  let min = x[start]!;
  let max = x[start]!;
  let sumW = weights[0]!;
  let sumX = f32(sumW * x[start]!);
  for (let i = 1; i < n; i++) {
    const v = x[start + i]!;
    if (v < min) min = v;
    if (v > max) max = v;
    const w = weights[i]!;
    sumW = f32(sumW + w);
    sumX = f32(sumX + f32(w * v));
  }
  if (min > 0) min = 0;
  if (max === min) {
    levels.fill(0, 0, n);
    return [0, -min];
  }
  let iscale = f32(nmax / f32(max - min));
  let scale = f32(1 / iscale);
  let bestError = 0;
  for (let i = 0; i < n; i++) {
    const l = nearestInt(f32(iscale * f32(x[start + i]! - min)));
    levels[i] = Math.max(0, Math.min(nmax, l));
    const diff = f32(f32(f32(scale * levels[i]!) + min) - x[start + i]!);
    bestError = f32(bestError + f32(weights[i]! * f32(diff * diff)));
  }
  for (let step = 0; step <= nstep; step++) {
    iscale = f32(f32(f32(rmin + f32(rdelta * step)) + nmax) / f32(max - min));
    let sumL = 0, sumL2 = 0, sumXL = 0;
    for (let i = 0; i < n; i++) {
      const l = Math.max(0, Math.min(nmax, nearestInt(f32(iscale * f32(x[start + i]! - min)))));
      aux[i] = l;
      const w = weights[i]!;
      sumL = f32(sumL + f32(w * l));
      sumL2 = f32(sumL2 + f32(f32(w * l) * l));
      sumXL = f32(sumXL + f32(f32(w * l) * x[start + i]!));
    }
    const D = f32(f32(sumW * sumL2) - f32(sumL * sumL));
    if (D > 0) {
      let thisScale = f32(f32(f32(sumW * sumXL) - f32(sumX * sumL)) / D);
      let thisMin = f32(f32(f32(sumL2 * sumX) - f32(sumL * sumXL)) / D);
      if (thisMin > 0) {
        thisMin = 0;
        thisScale = f32(sumXL / sumL2);
      }
      let error = 0;
      for (let i = 0; i < n; i++) {
        const diff = f32(f32(f32(thisScale * aux[i]!) + thisMin) - x[start + i]!);
        error = f32(error + f32(weights[i]! * f32(diff * diff)));
      }
      if (error < bestError) {
        levels.set(aux.subarray(0, n));
        bestError = error;
        scale = thisScale;
        min = thisMin;
      }
    }
  }
  return [scale, -min];
}

/**
 * make_qx_quants with rmse_type 1 and no importance weights: symmetric levels −nmax..nmax−1, weights x²,
 * searching 18 nearby inverse scales for the best weighted least-squares fit. Writes L + nmax.
 */
function fitSymmetricScale(x: Float32Array, start: number, n: number, nmax: number, levels: Int8Array): number {
  let max = 0;
  let amax = 0;
  for (let i = 0; i < n; i++) {
    const ax = Math.abs(x[start + i]!);
    if (ax > amax) {
      amax = ax;
      max = x[start + i]!;
    }
  }
  if (amax < GROUP_MAX_EPS) {
    levels.fill(0, 0, n);
    return 0;
  }
  const clamp = (l: number): number => Math.max(-nmax, Math.min(nmax - 1, l));
  let iscale = f32(-nmax / max);
  let sumLX = 0;
  let sumL2 = 0;
  for (let i = 0; i < n; i++) {
    const v = x[start + i]!;
    const l = clamp(nearestInt(f32(iscale * v)));
    levels[i] = l + nmax;
    const w = f32(v * v);
    sumLX = f32(sumLX + f32(f32(w * v) * l));
    sumL2 = f32(sumL2 + f32(f32(w * l) * l));
  }
  let scale = sumL2 ? f32(sumLX / sumL2) : 0;
  let best = f32(scale * sumLX);
  for (let is = -9; is <= 9; is++) {
    if (is === 0) continue;
    iscale = f32(-f32(nmax + f32(0.1 * is)) / max);
    sumLX = 0;
    sumL2 = 0;
    for (let i = 0; i < n; i++) {
      const v = x[start + i]!;
      const l = clamp(nearestInt(f32(iscale * v)));
      const w = f32(v * v);
      sumLX = f32(sumLX + f32(f32(w * v) * l));
      sumL2 = f32(sumL2 + f32(f32(w * l) * l));
    }
    if (sumL2 > 0 && f32(sumLX * sumLX) > f32(best * sumL2)) {
      for (let i = 0; i < n; i++) levels[i] = nmax + clamp(nearestInt(f32(iscale * x[start + i]!)));
      scale = f32(sumLX / sumL2);
      best = f32(scale * sumLX);
    }
  }
  return scale;
}

/** Q4_K: eight 32-element sub-blocks, each with a 6-bit scale and min relative to the super-block's d and dmin. */
export function quantizeQ4_K(x: Float32Array, xOffset: number, dst: Uint8Array, dstOffset: number, n: number): void {
  const levels = new Uint8Array(256);
  const sub = new Uint8Array(32);
  const aux = new Uint8Array(32);
  const weights = new Float32Array(32);
  const scales = new Float32Array(8);
  const mins = new Float32Array(8);
  for (let b = 0; b < n / 256; b++) {
    const start = xOffset + b * 256;
    const o = dstOffset + b * 144;
    let maxScale = 0;
    let maxMin = 0;
    for (let j = 0; j < 8; j++) {
      const s = start + 32 * j;
      let sumX2 = 0;
      for (let l = 0; l < 32; l++) sumX2 = f32(sumX2 + f32(x[s + l]! * x[s + l]!));
      const avX = f32(Math.sqrt(f32(sumX2 / 32)));
      for (let l = 0; l < 32; l++) weights[l] = f32(avX + Math.abs(x[s + l]!));
      const [scale, min] = fitScaleAndMin(x, s, 32, 15, weights, sub, aux, -1, 0.1, 20);
      levels.set(sub, 32 * j);
      scales[j] = scale;
      mins[j] = min;
      if (scales[j]! > maxScale) maxScale = scales[j]!;
      if (mins[j]! > maxMin) maxMin = mins[j]!;
    }
    const invScale = maxScale > 0 ? f32(63 / maxScale) : 0;
    const invMin = maxMin > 0 ? f32(63 / maxMin) : 0;
    dst.fill(0, o + 4, o + 16);
    for (let j = 0; j < 8; j++) {
      // uint8_t truncation of nearest_int, then clamp to 6 bits, as the reference does
      const ls = Math.min(63, nearestInt(f32(invScale * scales[j]!)) & 0xff);
      const lm = Math.min(63, nearestInt(f32(invMin * mins[j]!)) & 0xff);
      if (j < 4) {
        dst[o + 4 + j] = ls;
        dst[o + 4 + j + 4] = lm;
      } else {
        dst[o + 4 + j + 4] = (ls & 0xf) | ((lm & 0xf) << 4);
        dst[o + 4 + j - 4]! |= (ls >> 4) << 6;
        dst[o + 4 + j]! |= (lm >> 4) << 6;
      }
    }
    const d = writeHalf(dst, o, f32(maxScale / 63));
    const dmin = writeHalf(dst, o + 2, f32(maxMin / 63));
    for (let j = 0; j < 8; j++) {
      const [sc, m] = scaleMinK4(dst, o + 4, j);
      const dj = f32(d * sc);
      if (!dj) continue;
      const dm = f32(dmin * m);
      for (let i = 0; i < 32; i++) {
        const l = nearestInt(f32(f32(x[start + 32 * j + i]! + dm) / dj));
        levels[32 * j + i] = Math.max(0, Math.min(15, l));
      }
    }
    for (let chunk = 0; chunk < 4; chunk++) {
      for (let l = 0; l < 32; l++) {
        dst[o + 16 + chunk * 32 + l] = levels[64 * chunk + l]! | (levels[64 * chunk + l + 32]! << 4);
      }
    }
  }
}

/** Q6_K: sixteen 16-element sub-blocks with signed 8-bit scales; 6-bit levels split into ql (low 4) and qh (high 2). */
export function quantizeQ6_K(x: Float32Array, xOffset: number, dst: Uint8Array, dstOffset: number, n: number): void {
  const levels = new Int8Array(256);
  const sub = new Int8Array(16);
  const scales = new Float32Array(16);
  for (let b = 0; b < n / 256; b++) {
    const start = xOffset + b * 256;
    const o = dstOffset + b * 210;
    let maxScale = 0;
    let maxAbsScale = 0;
    for (let ib = 0; ib < 16; ib++) {
      const scale = fitSymmetricScale(x, start + 16 * ib, 16, 32, sub);
      levels.set(sub, 16 * ib);
      scales[ib] = scale;
      if (Math.abs(scale) > maxAbsScale) {
        maxAbsScale = Math.abs(scale);
        maxScale = scale;
      }
    }
    if (maxAbsScale < GROUP_MAX_EPS) {
      dst.fill(0, o, o + 210);
      continue;
    }
    const iscale = f32(-128 / maxScale);
    const d = writeHalf(dst, o + 208, f32(1 / iscale));
    const sc = new Int8Array(16);
    for (let ib = 0; ib < 16; ib++) {
      sc[ib] = Math.min(127, nearestInt(f32(iscale * scales[ib]!)));
      dst[o + 192 + ib] = sc[ib]! & 0xff;
    }
    for (let j = 0; j < 16; j++) {
      const dj = f32(d * sc[j]!);
      if (!dj) continue;
      for (let i = 0; i < 16; i++) {
        const l = nearestInt(f32(x[start + 16 * j + i]! / dj));
        levels[16 * j + i] = Math.max(-32, Math.min(31, l)) + 32;
      }
    }
    for (let halfIndex = 0; halfIndex < 2; halfIndex++) {
      const L = 128 * halfIndex;
      const ql = o + 64 * halfIndex;
      const qh = o + 128 + 32 * halfIndex;
      for (let l = 0; l < 32; l++) {
        const q1 = levels[L + l]!, q2 = levels[L + l + 32]!, q3 = levels[L + l + 64]!, q4 = levels[L + l + 96]!;
        dst[ql + l] = (q1 & 0xf) | ((q3 & 0xf) << 4);
        dst[ql + l + 32] = (q2 & 0xf) | ((q4 & 0xf) << 4);
        dst[qh + l] = (q1 >> 4) | ((q2 >> 4) << 2) | ((q3 >> 4) << 4) | ((q4 >> 4) << 6);
      }
    }
  }
}

/** Q8_K (activations): iscale = −127/max over 256 elements, d = 1/iscale stored as f32, plus per-16 sums. */
export function quantizeQ8_K(x: Float32Array, xOffset: number, dst: Uint8Array, dstOffset: number, n: number): void {
  const view = new DataView(dst.buffer, dst.byteOffset);
  for (let b = 0; b < n / 256; b++) {
    const start = xOffset + b * 256;
    const o = dstOffset + b * 292;
    let max = 0;
    let amax = 0;
    for (let j = 0; j < 256; j++) {
      const ax = Math.abs(x[start + j]!);
      if (ax > amax) {
        amax = ax;
        max = x[start + j]!;
      }
    }
    if (!amax) {
      dst.fill(0, o, o + 292);
      continue;
    }
    const iscale = f32(-127 / max);
    for (let g = 0; g < 16; g++) {
      let sum = 0;
      for (let i = 0; i < 16; i++) {
        const q = Math.min(127, nearestInt(f32(iscale * x[start + 16 * g + i]!)));
        dst[o + 4 + 16 * g + i] = q & 0xff;
        sum += q;
      }
      view.setInt16(o + 260 + 2 * g, sum, true);
    }
    view.setFloat32(o, f32(1 / iscale), true);
  }
}
