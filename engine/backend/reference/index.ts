// The TypeScript reference backend: slow, plain, and the oracle every fast kernel is tested against.
import { dequantize } from '../../quant/index.js';
import type { AttentionParams, Backend, LayerKvView, WeightTensor } from '../backend.js';
import { attention } from './attention.js';
import { ReferenceMatmul } from './matmul.js';
import { addInPlace, addRowsInPlace, geglu, geluInPlace, layerNorm, rmsNorm, rope, scaleInPlace } from './ops.js';

export class ReferenceBackend implements Backend {
  readonly name: string = 'reference';
  private readonly mm = new ReferenceMatmul();

  matmul(w: WeightTensor, x: Float32Array, n: number): Float32Array {
    return this.mm.run(w, x, n);
  }

  getRows(w: WeightTensor, ids: ArrayLike<number>): Float32Array {
    const k = w.dims[0]!;
    const rows = w.dims[1]!;
    const rowBytes = w.data.length / rows;
    const out = new Float32Array(ids.length * k);
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      if (id < 0 || id >= rows) throw new RangeError(`token id ${id} is outside the vocabulary (0–${rows - 1})`);
      dequantize(w.type, w.data, id * rowBytes, out, i * k, k);
    }
    return out;
  }

  rmsNorm(x: Float32Array, rowLength: number, weight: Float32Array, eps: number): Float32Array {
    return rmsNorm(x, rowLength, weight, eps);
  }

  layerNorm(x: Float32Array, rowLength: number, weight: Float32Array, bias: Float32Array, eps: number): Float32Array {
    return layerNorm(x, rowLength, weight, bias, eps);
  }

  geluInPlace(x: Float32Array): void {
    geluInPlace(x);
  }

  addRowsInPlace(x: Float32Array, bias: Float32Array): void {
    addRowsInPlace(x, bias);
  }

  rope(x: Float32Array, n: number, nHeads: number, headDim: number, positions: Int32Array, base: number, freqScale: number): void {
    rope(x, n, nHeads, headDim, positions, base, freqScale);
  }

  geglu(gate: Float32Array, up: Float32Array): Float32Array {
    return geglu(gate, up);
  }

  attention(q: Float32Array, n: number, positions: Int32Array, kv: LayerKvView, params: AttentionParams): Float32Array {
    return attention(q, n, positions, kv, params);
  }

  addInPlace(a: Float32Array, b: Float32Array): void {
    addInPlace(a, b);
  }

  scaleInPlace(a: Float32Array, s: number): void {
    scaleInPlace(a, s);
  }
}
