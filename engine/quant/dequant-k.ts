// Reference dequantization of the 256-element K-quant super-blocks. ref: ENGINE-SPEC §4.3
// Products are rounded to f32 in the same order as ggml's reference: (d·sc)·q − (dmin·m).
import { readF16 as half } from './float-bits.js';

const f32 = Math.fround;

/** The 6-bit scale and min of sub-block j (0..7) from the 12 packed bytes at `o` (Q4_K and Q5_K). */
export function scaleMinK4(src: Uint8Array, o: number, j: number): [scale: number, min: number] {
  if (j < 4) return [src[o + j]! & 63, src[o + j + 4]! & 63];
  const scale = (src[o + j + 4]! & 0xf) | ((src[o + j - 4]! >> 6) << 4);
  const min = (src[o + j + 4]! >> 4) | ((src[o + j]! >> 6) << 4);
  return [scale, min];
}

/** Q4_K (144 B): half d; half dmin; u8 scales[12]; u8 qs[128]. */
export function dequantizeQ4_K(src: Uint8Array, srcOffset: number, dst: Float32Array, dstOffset: number, n: number): void {
  for (let b = 0; b < n / 256; b++) {
    const o = srcOffset + b * 144;
    const d = half(src, o);
    const dmin = half(src, o + 2);
    let y = dstOffset + b * 256;
    for (let chunk = 0; chunk < 4; chunk++) {
      const qs = o + 16 + chunk * 32;
      const [sc1, m1] = scaleMinK4(src, o + 4, 2 * chunk);
      const [sc2, m2] = scaleMinK4(src, o + 4, 2 * chunk + 1);
      const d1 = f32(d * sc1), min1 = f32(dmin * m1);
      const d2 = f32(d * sc2), min2 = f32(dmin * m2);
      for (let l = 0; l < 32; l++) dst[y + l] = f32(d1 * (src[qs + l]! & 0xf)) - min1;
      for (let l = 0; l < 32; l++) dst[y + 32 + l] = f32(d2 * (src[qs + l]! >> 4)) - min2;
      y += 64;
    }
  }
}

/** Q5_K (176 B): half d; half dmin; u8 scales[12]; u8 qh[32]; u8 qs[128]. */
export function dequantizeQ5_K(src: Uint8Array, srcOffset: number, dst: Float32Array, dstOffset: number, n: number): void {
  for (let b = 0; b < n / 256; b++) {
    const o = srcOffset + b * 176;
    const d = half(src, o);
    const dmin = half(src, o + 2);
    const qh = o + 16;
    let y = dstOffset + b * 256;
    for (let chunk = 0; chunk < 4; chunk++) {
      const qs = o + 48 + chunk * 32;
      const [sc1, m1] = scaleMinK4(src, o + 4, 2 * chunk);
      const [sc2, m2] = scaleMinK4(src, o + 4, 2 * chunk + 1);
      const d1 = f32(d * sc1), min1 = f32(dmin * m1);
      const d2 = f32(d * sc2), min2 = f32(dmin * m2);
      const lowBit = 1 << (2 * chunk);
      const highBit = 2 << (2 * chunk);
      for (let l = 0; l < 32; l++) {
        const q = (src[qs + l]! & 0xf) + (src[qh + l]! & lowBit ? 16 : 0);
        dst[y + l] = f32(d1 * q) - min1;
      }
      for (let l = 0; l < 32; l++) {
        const q = (src[qs + l]! >> 4) + (src[qh + l]! & highBit ? 16 : 0);
        dst[y + 32 + l] = f32(d2 * q) - min2;
      }
      y += 64;
    }
  }
}

/** Q6_K (210 B): u8 ql[128]; u8 qh[64]; i8 scales[16]; half d — note d comes last. */
export function dequantizeQ6_K(src: Uint8Array, srcOffset: number, dst: Float32Array, dstOffset: number, n: number): void {
  for (let b = 0; b < n / 256; b++) {
    const o = srcOffset + b * 210;
    const d = half(src, o + 208);
    for (let halfIndex = 0; halfIndex < 2; halfIndex++) {
      const ql = o + halfIndex * 64;
      const qh = o + 128 + halfIndex * 32;
      const sc = o + 192 + halfIndex * 8;
      const y = dstOffset + b * 256 + halfIndex * 128;
      for (let l = 0; l < 32; l++) {
        const is = l >> 4;
        const h = src[qh + l]!;
        const q1 = ((src[ql + l]! & 0xf) | (((h >> 0) & 3) << 4)) - 32;
        const q2 = ((src[ql + l + 32]! & 0xf) | (((h >> 2) & 3) << 4)) - 32;
        const q3 = ((src[ql + l]! >> 4) | (((h >> 4) & 3) << 4)) - 32;
        const q4 = ((src[ql + l + 32]! >> 4) | (((h >> 6) & 3) << 4)) - 32;
        dst[y + l] = f32(d * int8(src[sc + is]!)) * q1;
        dst[y + l + 32] = f32(d * int8(src[sc + is + 2]!)) * q2;
        dst[y + l + 64] = f32(d * int8(src[sc + is + 4]!)) * q3;
        dst[y + l + 96] = f32(d * int8(src[sc + is + 6]!)) * q4;
      }
    }
  }
}

/** Q8_K (292 B, activations only): f32 d; i8 qs[256]; i16 bsums[16]. y = d·q */
export function dequantizeQ8_K(src: Uint8Array, srcOffset: number, dst: Float32Array, dstOffset: number, n: number): void {
  const view = new DataView(src.buffer, src.byteOffset);
  for (let b = 0; b < n / 256; b++) {
    const o = srcOffset + b * 292;
    const d = view.getFloat32(o, true);
    for (let j = 0; j < 256; j++) dst[dstOffset + b * 256 + j] = d * int8(src[o + 4 + j]!);
  }
}

function int8(byte: number): number {
  return (byte << 24) >> 24;
}
