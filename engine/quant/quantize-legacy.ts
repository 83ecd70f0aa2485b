// Reference quantizers for the 32-element formats, choosing scales exactly as ggml's *_ref functions do
// (quantize_row_q4_0_ref, quantize_row_q5_0_ref, quantize_row_q8_0_ref). All arithmetic is f32.
import { writeF16 as writeHalf } from './float-bits.js';
import { roundAwayFromZero } from './f32-math.js';

const f32 = Math.fround;

/** The element with the largest magnitude, keeping its sign (first one wins on ties). */
function signedAbsMax(x: Float32Array, start: number, n: number): number {
  let amax = 0;
  let max = 0;
  for (let j = 0; j < n; j++) {
    const v = x[start + j]!;
    if (amax < Math.abs(v)) {
      amax = Math.abs(v);
      max = v;
    }
  }
  return max;
}

/** Q4_0: d = max/−8 so the extreme element maps to −8; q = min(15, trunc(x/d + 8.5)). */
export function quantizeQ4_0(x: Float32Array, xOffset: number, dst: Uint8Array, dstOffset: number, n: number): void {
  for (let b = 0; b < n / 32; b++) {
    const start = xOffset + b * 32;
    const o = dstOffset + b * 18;
    const d = f32(signedAbsMax(x, start, 32) / -8);
    const id = d ? f32(1 / d) : 0;
    writeHalf(dst, o, d);
    for (let j = 0; j < 16; j++) {
      const lo = Math.min(15, Math.trunc(f32(f32(x[start + j]! * id) + 8.5)));
      const hi = Math.min(15, Math.trunc(f32(f32(x[start + j + 16]! * id) + 8.5)));
      dst[o + 2 + j] = lo | (hi << 4);
    }
  }
}

/** Q5_0: d = max/−16; q = min(31, trunc(x/d + 16.5)); the fifth bits go to qh. */
export function quantizeQ5_0(x: Float32Array, xOffset: number, dst: Uint8Array, dstOffset: number, n: number): void {
  for (let b = 0; b < n / 32; b++) {
    const start = xOffset + b * 32;
    const o = dstOffset + b * 22;
    const d = f32(signedAbsMax(x, start, 32) / -16);
    const id = d ? f32(1 / d) : 0;
    writeHalf(dst, o, d);
    let qh = 0;
    for (let j = 0; j < 16; j++) {
      const lo = Math.min(31, Math.trunc(f32(f32(x[start + j]! * id) + 16.5)));
      const hi = Math.min(31, Math.trunc(f32(f32(x[start + j + 16]! * id) + 16.5)));
      dst[o + 6 + j] = (lo & 0xf) | ((hi & 0xf) << 4);
      qh |= ((lo & 0x10) >> 4) << j;
      qh |= ((hi & 0x10) >> 4) << (j + 16);
    }
    dst[o + 2] = qh & 0xff;
    dst[o + 3] = (qh >>> 8) & 0xff;
    dst[o + 4] = (qh >>> 16) & 0xff;
    dst[o + 5] = (qh >>> 24) & 0xff;
  }
}

/** Q8_0: d = amax/127; q = roundf(x/d) (ties away from zero). */
export function quantizeQ8_0(x: Float32Array, xOffset: number, dst: Uint8Array, dstOffset: number, n: number): void {
  for (let b = 0; b < n / 32; b++) {
    const start = xOffset + b * 32;
    const o = dstOffset + b * 34;
    let amax = 0;
    for (let j = 0; j < 32; j++) amax = Math.max(amax, Math.abs(x[start + j]!));
    const d = f32(amax / 127);
    const id = d ? f32(1 / d) : 0;
    writeHalf(dst, o, d);
    for (let j = 0; j < 32; j++) dst[o + 2 + j] = roundAwayFromZero(f32(x[start + j]! * id)) & 0xff;
  }
}
