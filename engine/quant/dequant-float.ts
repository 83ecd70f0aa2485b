// Dequantization of the plain float types: one element per "block".
import { F16_TO_F32, bf16BitsToF32 } from './float-bits.js';

export function dequantizeF32(src: Uint8Array, srcOffset: number, dst: Float32Array, dstOffset: number, n: number): void {
  const view = new DataView(src.buffer, src.byteOffset + srcOffset, n * 4);
  for (let i = 0; i < n; i++) dst[dstOffset + i] = view.getFloat32(i * 4, true);
}

export function dequantizeF16(src: Uint8Array, srcOffset: number, dst: Float32Array, dstOffset: number, n: number): void {
  for (let i = 0; i < n; i++) {
    const o = srcOffset + 2 * i;
    dst[dstOffset + i] = F16_TO_F32[src[o]! | (src[o + 1]! << 8)]!;
  }
}

export function dequantizeBF16(src: Uint8Array, srcOffset: number, dst: Float32Array, dstOffset: number, n: number): void {
  for (let i = 0; i < n; i++) {
    const o = srcOffset + 2 * i;
    dst[dstOffset + i] = bf16BitsToF32(src[o]! | (src[o + 1]! << 8));
  }
}
