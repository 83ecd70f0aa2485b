// Reference dequantization of the 32-element block formats. ref: ENGINE-SPEC §4.2
// Low nibbles hold elements 0–15 of a block and high nibbles 16–31 (not interleaved).
import { readF16 as half, readU32 as u32le } from './float-bits.js';

const f32 = Math.fround;

/** Q4_0 (18 B): half d; u8 qs[16]. y = (nibble − 8)·d */
export function dequantizeQ4_0(src: Uint8Array, srcOffset: number, dst: Float32Array, dstOffset: number, n: number): void {
  for (let b = 0; b < n / 32; b++) {
    const o = srcOffset + b * 18;
    const d = half(src, o);
    const y = dstOffset + b * 32;
    for (let j = 0; j < 16; j++) {
      const q = src[o + 2 + j]!;
      dst[y + j] = ((q & 0xf) - 8) * d;
      dst[y + j + 16] = ((q >> 4) - 8) * d;
    }
  }
}

/** Q4_1 (20 B): half d; half m; u8 qs[16]. y = nibble·d + m */
export function dequantizeQ4_1(src: Uint8Array, srcOffset: number, dst: Float32Array, dstOffset: number, n: number): void {
  for (let b = 0; b < n / 32; b++) {
    const o = srcOffset + b * 20;
    const d = half(src, o);
    const m = half(src, o + 2);
    const y = dstOffset + b * 32;
    for (let j = 0; j < 16; j++) {
      const q = src[o + 4 + j]!;
      dst[y + j] = f32((q & 0xf) * d) + m;
      dst[y + j + 16] = f32((q >> 4) * d) + m;
    }
  }
}

/** Q5_0 (22 B): half d; u8 qh[4]; u8 qs[16]. The fifth bit of element j is bit j of qh. y = (q − 16)·d */
export function dequantizeQ5_0(src: Uint8Array, srcOffset: number, dst: Float32Array, dstOffset: number, n: number): void {
  for (let b = 0; b < n / 32; b++) {
    const o = srcOffset + b * 22;
    const d = half(src, o);
    const qh = u32le(src, o + 2);
    const y = dstOffset + b * 32;
    for (let j = 0; j < 16; j++) {
      const q = src[o + 6 + j]!;
      const lo = (q & 0xf) | (((qh >>> j) & 1) << 4);
      const hi = (q >> 4) | (((qh >>> (j + 16)) & 1) << 4);
      dst[y + j] = (lo - 16) * d;
      dst[y + j + 16] = (hi - 16) * d;
    }
  }
}

/** Q5_1 (24 B): half d; half m; u8 qh[4]; u8 qs[16]. y = q·d + m */
export function dequantizeQ5_1(src: Uint8Array, srcOffset: number, dst: Float32Array, dstOffset: number, n: number): void {
  for (let b = 0; b < n / 32; b++) {
    const o = srcOffset + b * 24;
    const d = half(src, o);
    const m = half(src, o + 2);
    const qh = u32le(src, o + 4);
    const y = dstOffset + b * 32;
    for (let j = 0; j < 16; j++) {
      const q = src[o + 8 + j]!;
      const lo = (q & 0xf) | (((qh >>> j) & 1) << 4);
      const hi = (q >> 4) | (((qh >>> (j + 16)) & 1) << 4);
      dst[y + j] = f32(lo * d) + m;
      dst[y + j + 16] = f32(hi * d) + m;
    }
  }
}

/** Q8_0 (34 B): half d; i8 qs[32]. y = q·d */
export function dequantizeQ8_0(src: Uint8Array, srcOffset: number, dst: Float32Array, dstOffset: number, n: number): void {
  for (let b = 0; b < n / 32; b++) {
    const o = srcOffset + b * 34;
    const d = half(src, o);
    const y = dstOffset + b * 32;
    for (let j = 0; j < 32; j++) dst[y + j] = ((src[o + 2 + j]! << 24) >> 24) * d;
  }
}
