// Reference matrix products that follow ggml-cpu's numerics: the activation row is converted to the weight's
// vec_dot_type, then integer block dot products are scaled by f32 products of the block scales (ENGINE-SPEC §4.4).
import { roundToF16, bf16BitsToF32, f32ToBf16Bits, GgmlType } from '../../quant/index.js';
import type { WeightTensor } from '../backend.js';
import { type QuantizedActivation, quantizeActivationQ8_0, quantizeActivationQ8_K } from './activation-quant.js';
import { type PreparedWeight, prepareWeight } from './prepared-weight.js';

const f32 = Math.fround;

function dotBlock32(w: Extract<PreparedWeight, { kind: 'block32' }>, row: number, a: QuantizedActivation, k: number): number {
  let sum = 0;
  const blocks = k / 32;
  for (let b = 0; b < blocks; b++) {
    const wb = row * blocks + b;
    let sumi = 0;
    for (let j = 0, wq = wb * 32, aq = b * 32; j < 32; j++) sumi += w.q[wq + j]! * a.q[aq + j]!;
    sum += w.withMin
      ? f32(f32(w.d[wb]! * a.d[b]!) * sumi) + f32(w.m[wb]! * a.s[b]!)
      : f32(f32(sumi * w.d[wb]!) * a.d[b]!);
  }
  return sum;
}

/**
 * Q8_0 × Q8_0 in the order of ggml's AVX2 kernel (and llamafile's tinyBLAS, used for prompt batches): eight f32
 * lanes, lane l holding the integer sum of elements 4l…4l+3 of each block, accumulated with FMA, then summed
 * pairwise (hsum_float_8). Matching this order makes the outputs bit-identical, so no rounding flip downstream.
 */
function dotQ8_0Lanes(w: Extract<PreparedWeight, { kind: 'block32' }>, row: number, a: QuantizedActivation, k: number): number {
  let l0 = 0, l1 = 0, l2 = 0, l3 = 0, l4 = 0, l5 = 0, l6 = 0, l7 = 0;
  const blocks = k / 32;
  for (let b = 0; b < blocks; b++) {
    const wb = row * blocks + b;
    const d = f32(w.d[wb]! * a.d[b]!);
    const wq = wb * 32;
    const aq = b * 32;
    const lane = (l: number): number => {
      const o = 4 * l;
      return w.q[wq + o]! * a.q[aq + o]! + w.q[wq + o + 1]! * a.q[aq + o + 1]! + w.q[wq + o + 2]! * a.q[aq + o + 2]! + w.q[wq + o + 3]! * a.q[aq + o + 3]!;
    };
    l0 = f32(l0 + d * lane(0)); l1 = f32(l1 + d * lane(1)); l2 = f32(l2 + d * lane(2)); l3 = f32(l3 + d * lane(3));
    l4 = f32(l4 + d * lane(4)); l5 = f32(l5 + d * lane(5)); l6 = f32(l6 + d * lane(6)); l7 = f32(l7 + d * lane(7));
  }
  return f32(f32(f32(l4 + l0) + f32(l6 + l2)) + f32(f32(l5 + l1) + f32(l7 + l3)));
}

function dotKScaleMin(w: Extract<PreparedWeight, { kind: 'k-scale-min' }>, row: number, a: QuantizedActivation, k: number): number {
  let sum = 0;
  const blocks = k / 256;
  for (let b = 0; b < blocks; b++) {
    const wb = row * blocks + b;
    let dot = 0;
    let mins = 0;
    for (let j = 0; j < 8; j++) {
      let sumi = 0;
      for (let i = 0, wq = wb * 256 + 32 * j, aq = b * 256 + 32 * j; i < 32; i++) sumi += w.q[wq + i]! * a.q[aq + i]!;
      dot += w.sc[wb * 8 + j]! * sumi;
      mins += w.mn[wb * 8 + j]! * (a.bsums[b * 16 + 2 * j]! + a.bsums[b * 16 + 2 * j + 1]!);
    }
    sum += f32(f32(w.d[wb]! * a.d[b]!) * dot) - f32(f32(w.dmin[wb]! * a.d[b]!) * mins);
  }
  return sum;
}

function dotQ6K(w: Extract<PreparedWeight, { kind: 'q6_k' }>, row: number, a: QuantizedActivation, k: number): number {
  let sum = 0;
  const blocks = k / 256;
  for (let b = 0; b < blocks; b++) {
    const wb = row * blocks + b;
    let isum = 0;
    for (let g = 0; g < 16; g++) {
      let sumi = 0;
      for (let i = 0, wq = wb * 256 + 16 * g, aq = b * 256 + 16 * g; i < 16; i++) sumi += w.q[wq + i]! * a.q[aq + i]!;
      isum += w.sc[wb * 16 + g]! * sumi;
    }
    sum += f32(f32(w.d[wb]! * a.d[b]!) * isum);
  }
  return sum;
}

function roundBf16(v: number): number {
  return bf16BitsToF32(f32ToBf16Bits(v));
}

export class ReferenceMatmul {
  private readonly prepared = new WeakMap<WeightTensor, PreparedWeight>();

  private prepare(w: WeightTensor): PreparedWeight {
    let p = this.prepared.get(w);
    if (!p) {
      p = prepareWeight(w);
      this.prepared.set(w, p);
    }
    return p;
  }

  /** out[n, N] = x[n, K] · Wᵀ */
  run(w: WeightTensor, x: Float32Array, n: number): Float32Array {
    const k = w.dims[0]!;
    const rows = w.dims[1] ?? 1;
    if (x.length !== n * k) throw new RangeError(`matmul ${w.name}: x has ${x.length} values, expected ${n} × ${k}`);
    const p = this.prepare(w);
    const out = new Float32Array(n * rows);
    for (let t = 0; t < n; t++) {
      if (p.kind === 'float') {
        const round = p.type === GgmlType.F16 ? roundToF16 : p.type === GgmlType.BF16 ? roundBf16 : (v: number) => v;
        const a = new Float32Array(k);
        for (let i = 0; i < k; i++) a[i] = round(x[t * k + i]!);
        for (let r = 0; r < rows; r++) {
          let s = 0;
          for (let i = 0, o = r * k; i < k; i++) s += a[i]! * p.values[o + i]!;
          out[t * rows + r] = s;
        }
        continue;
      }
      const a = p.kind === 'block32' ? quantizeActivationQ8_0(x, t * k, k, p.withMin) : quantizeActivationQ8_K(x, t * k, k);
      for (let r = 0; r < rows; r++) {
        out[t * rows + r] = p.kind === 'block32' ? (w.type === GgmlType.Q8_0 ? dotQ8_0Lanes(p, r, a, k) : dotBlock32(p, r, a, k)) : p.kind === 'q6_k' ? dotQ6K(p, r, a, k) : dotKScaleMin(p, r, a, k);
      }
    }
    return out;
  }
}
