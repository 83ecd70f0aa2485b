// Random inputs for the kernel tests: activations, weights of any type, and the largest elementwise difference.
import type { WeightTensor } from '../../engine/backend/backend.js';
import { GgmlType, canQuantize, ggmlTypeInfo, quantizeToBytes, writeF16 } from '../../engine/quant/index.js';
import { Random } from '../../engine/util/random.js';

export function random(n: number, seed: number, amplitude = 1): Float32Array {
  const out = new Float32Array(n);
  new Random(seed, 'native').fillUniform(out, amplitude);
  return out;
}

/** A weight of `type`: quantized from random values, or (types Quire has no quantizer for) random blocks with sane scales. */
export function weight(type: GgmlType, k: number, rows: number, seed: number): WeightTensor {
  if (canQuantize(type)) return { name: 'w', type, dims: [k, rows], data: quantizeToBytes(type, random(k * rows, seed, 0.5)) };
  const { blockSize, typeSize } = ggmlTypeInfo(type)!;
  const data = new Uint8Array((k * rows / blockSize) * typeSize);
  const rng = new Random(seed, 'blocks');
  for (let i = 0; i < data.length; i++) data[i] = rng.nextUint32() & 0xff;
  for (let o = 0; o < data.length; o += typeSize) {
    writeF16(data, o, 0.01 + 0.01 * Math.abs(rng.nextSigned()));        // d
    writeF16(data, o + 2, 0.02 * rng.nextSigned());                       // m (Q4_1, Q5_1) or dmin (Q5_K)
  }
  return { name: 'w', type, dims: [k, rows], data };
}

export function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

