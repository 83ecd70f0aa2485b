// One door to the block formats: geometry, reference dequantization and reference quantization by type.
import { UnsupportedTensorTypeError } from '../errors.js';
import { GgmlType, ggmlTypeInfo, ggmlTypeName } from './ggml-types.js';
import { dequantizeBF16, dequantizeF16, dequantizeF32 } from './dequant-float.js';
import { dequantizeQ4_0, dequantizeQ4_1, dequantizeQ5_0, dequantizeQ5_1, dequantizeQ8_0 } from './dequant-legacy.js';
import { dequantizeQ4_K, dequantizeQ5_K, dequantizeQ6_K, dequantizeQ8_K } from './dequant-k.js';
import { quantizeQ4_0, quantizeQ5_0, quantizeQ8_0 } from './quantize-legacy.js';
import { quantizeQ4_K, quantizeQ6_K, quantizeQ8_K } from './quantize-k.js';
import { f32ToBf16Bits, f32ToF16Bits } from './float-bits.js';

export * from './ggml-types.js';
export * from './float-bits.js';

type Dequantizer = (src: Uint8Array, srcOffset: number, dst: Float32Array, dstOffset: number, n: number) => void;
type Quantizer = (x: Float32Array, xOffset: number, dst: Uint8Array, dstOffset: number, n: number) => void;

const dequantizers = new Map<GgmlType, Dequantizer>([
  [GgmlType.F32, dequantizeF32],
  [GgmlType.F16, dequantizeF16],
  [GgmlType.BF16, dequantizeBF16],
  [GgmlType.Q4_0, dequantizeQ4_0],
  [GgmlType.Q4_1, dequantizeQ4_1],
  [GgmlType.Q5_0, dequantizeQ5_0],
  [GgmlType.Q5_1, dequantizeQ5_1],
  [GgmlType.Q8_0, dequantizeQ8_0],
  [GgmlType.Q4_K, dequantizeQ4_K],
  [GgmlType.Q5_K, dequantizeQ5_K],
  [GgmlType.Q6_K, dequantizeQ6_K],
  [GgmlType.Q8_K, dequantizeQ8_K],
]);

function quantizeF32(x: Float32Array, xOffset: number, dst: Uint8Array, dstOffset: number, n: number): void {
  const view = new DataView(dst.buffer, dst.byteOffset);
  for (let i = 0; i < n; i++) view.setFloat32(dstOffset + 4 * i, x[xOffset + i]!, true);
}

function halfQuantizer(toBits: (v: number) => number): Quantizer {
  return (x, xOffset, dst, dstOffset, n) => {
    for (let i = 0; i < n; i++) {
      const bits = toBits(x[xOffset + i]!);
      dst[dstOffset + 2 * i] = bits & 0xff;
      dst[dstOffset + 2 * i + 1] = bits >> 8;
    }
  };
}

const quantizers = new Map<GgmlType, Quantizer>([
  [GgmlType.F32, quantizeF32],
  [GgmlType.F16, halfQuantizer(f32ToF16Bits)],
  [GgmlType.BF16, halfQuantizer(f32ToBf16Bits)],
  [GgmlType.Q4_0, quantizeQ4_0],
  [GgmlType.Q5_0, quantizeQ5_0],
  [GgmlType.Q8_0, quantizeQ8_0],
  [GgmlType.Q4_K, quantizeQ4_K],
  [GgmlType.Q6_K, quantizeQ6_K],
  [GgmlType.Q8_K, quantizeQ8_K],
]);

export function canDequantize(type: GgmlType): boolean {
  return dequantizers.has(type);
}

export function canQuantize(type: GgmlType): boolean {
  return quantizers.has(type);
}

function checkLength(type: GgmlType, n: number): void {
  const info = ggmlTypeInfo(type)!;
  if (n % info.blockSize !== 0) {
    throw new RangeError(`${info.name} works on whole blocks of ${info.blockSize} elements, got ${n}`);
  }
}

/** Decodes `n` elements of `type` starting at byte `srcOffset` into f32 values at `dst[dstOffset]`. */
export function dequantize(type: GgmlType, src: Uint8Array, srcOffset: number, dst: Float32Array, dstOffset: number, n: number): void {
  const fn = dequantizers.get(type);
  if (!fn) {
    throw new UnsupportedTensorTypeError(type, `dequantizing ${ggmlTypeName(type)}`, `one of ${[...dequantizers.keys()].map(ggmlTypeName).join(', ')}`);
  }
  checkLength(type, n);
  fn(src, srcOffset, dst, dstOffset, n);
}

/** Encodes `n` f32 values as `type` blocks at `dst[dstOffset]` with ggml's reference quantizer. */
export function quantize(type: GgmlType, x: Float32Array, xOffset: number, dst: Uint8Array, dstOffset: number, n: number): void {
  const fn = quantizers.get(type);
  if (!fn) {
    throw new UnsupportedTensorTypeError(type, `quantizing to ${ggmlTypeName(type)}`, `one of ${[...quantizers.keys()].map(ggmlTypeName).join(', ')}`);
  }
  checkLength(type, n);
  fn(x, xOffset, dst, dstOffset, n);
}

/** Convenience: a whole buffer in, a new buffer out. */
export function quantizeToBytes(type: GgmlType, x: Float32Array): Uint8Array {
  const info = ggmlTypeInfo(type)!;
  checkLength(type, x.length);
  const out = new Uint8Array((x.length / info.blockSize) * info.typeSize);
  quantize(type, x, 0, out, 0, x.length);
  return out;
}

export function dequantizeToFloats(type: GgmlType, bytes: Uint8Array, n: number): Float32Array {
  const out = new Float32Array(n);
  dequantize(type, bytes, 0, out, 0, n);
  return out;
}
