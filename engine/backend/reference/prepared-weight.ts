// Weights unpacked once into integer levels and float scales, so the reference dot products can follow ggml's
// integer block arithmetic without re-parsing bytes. Layouts: ENGINE-SPEC §4.2–§4.3.
import { UnsupportedTensorTypeError } from '../../errors.js';
import { GgmlType, dequantize, ggmlTypeInfo, ggmlTypeName, readF16 as half, readU32 as u32le } from '../../quant/index.js';
import { scaleMinK4 } from '../../quant/dequant-k.js';
import type { WeightTensor } from '../backend.js';
import { assertComputable } from '../compute-types.js';

export type PreparedWeight =
  /** Q4_0, Q5_0, Q8_0 (activations Q8_0) and Q4_1, Q5_1 (activations Q8_1): per 32 values one d (and m). */
  | { kind: 'block32'; withMin: boolean; q: Int8Array; d: Float32Array; m: Float32Array }
  /** Q4_K, Q5_K: per 256 values d and dmin; per 32 a 6-bit scale and min. */
  | { kind: 'k-scale-min'; q: Uint8Array; d: Float32Array; dmin: Float32Array; sc: Uint8Array; mn: Uint8Array }
  /** Q6_K: per 256 values d; per 16 a signed scale. */
  | { kind: 'q6_k'; q: Int8Array; d: Float32Array; sc: Int8Array }
  /** F32, F16, BF16: the values themselves. */
  | { kind: 'float'; type: GgmlType; values: Float32Array };


function block32(w: WeightTensor, total: number): PreparedWeight {
  const { typeSize } = ggmlTypeInfo(w.type)!;
  const blocks = total / 32;
  const q = new Int8Array(total);
  const d = new Float32Array(blocks);
  const withMin = w.type === GgmlType.Q4_1 || w.type === GgmlType.Q5_1;
  const m = new Float32Array(withMin ? blocks : 0);
  const src = w.data;
  for (let b = 0; b < blocks; b++) {
    const o = b * typeSize;
    d[b] = half(src, o);
    const base = b * 32;
    switch (w.type) {
      case GgmlType.Q8_0:
        for (let j = 0; j < 32; j++) q[base + j] = (src[o + 2 + j]! << 24) >> 24;
        break;
      case GgmlType.Q4_0:
      case GgmlType.Q4_1: {
        const qs = w.type === GgmlType.Q4_0 ? o + 2 : o + 4;
        const bias = w.type === GgmlType.Q4_0 ? 8 : 0;
        if (withMin) m[b] = half(src, o + 2);
        for (let j = 0; j < 16; j++) {
          q[base + j] = (src[qs + j]! & 0xf) - bias;
          q[base + j + 16] = (src[qs + j]! >> 4) - bias;
        }
        break;
      }
      default: { // Q5_0, Q5_1
        const qhAt = w.type === GgmlType.Q5_0 ? o + 2 : o + 4;
        const bias = w.type === GgmlType.Q5_0 ? 16 : 0;
        if (withMin) m[b] = half(src, o + 2);
        const qh = u32le(src, qhAt);
        for (let j = 0; j < 16; j++) {
          const byte = src[qhAt + 4 + j]!;
          q[base + j] = ((byte & 0xf) | (((qh >>> j) & 1) << 4)) - bias;
          q[base + j + 16] = ((byte >> 4) | (((qh >>> (j + 16)) & 1) << 4)) - bias;
        }
      }
    }
  }
  return { kind: 'block32', withMin, q, d, m };
}

function kScaleMin(w: WeightTensor, total: number): PreparedWeight {
  const five = w.type === GgmlType.Q5_K;
  const typeSize = five ? 176 : 144;
  const blocks = total / 256;
  const q = new Uint8Array(total);
  const d = new Float32Array(blocks);
  const dmin = new Float32Array(blocks);
  const sc = new Uint8Array(blocks * 8);
  const mn = new Uint8Array(blocks * 8);
  const src = w.data;
  for (let b = 0; b < blocks; b++) {
    const o = b * typeSize;
    d[b] = half(src, o);
    dmin[b] = half(src, o + 2);
    for (let j = 0; j < 8; j++) [sc[b * 8 + j], mn[b * 8 + j]] = scaleMinK4(src, o + 4, j);
    const qs = o + (five ? 48 : 16);
    for (let c = 0; c < 4; c++) {
      for (let l = 0; l < 32; l++) {
        const byte = src[qs + 32 * c + l]!;
        const hi = five ? src[o + 16 + l]! : 0;
        q[b * 256 + 64 * c + l] = (byte & 0xf) + (hi & (1 << (2 * c)) ? 16 : 0);
        q[b * 256 + 64 * c + 32 + l] = (byte >> 4) + (hi & (2 << (2 * c)) ? 16 : 0);
      }
    }
  }
  return { kind: 'k-scale-min', q, d, dmin, sc, mn };
}

function q6k(w: WeightTensor, total: number): PreparedWeight {
  const blocks = total / 256;
  const q = new Int8Array(total);
  const d = new Float32Array(blocks);
  const sc = new Int8Array(blocks * 16);
  const src = w.data;
  for (let b = 0; b < blocks; b++) {
    const o = b * 210;
    d[b] = half(src, o + 208);
    for (let j = 0; j < 16; j++) sc[b * 16 + j] = (src[o + 192 + j]! << 24) >> 24;
    for (let h = 0; h < 2; h++) {
      const ql = o + 64 * h;
      const qh = o + 128 + 32 * h;
      const y = b * 256 + 128 * h;
      for (let l = 0; l < 32; l++) {
        const bits = src[qh + l]!;
        q[y + l] = ((src[ql + l]! & 0xf) | ((bits & 3) << 4)) - 32;
        q[y + l + 32] = ((src[ql + l + 32]! & 0xf) | (((bits >> 2) & 3) << 4)) - 32;
        q[y + l + 64] = ((src[ql + l]! >> 4) | (((bits >> 4) & 3) << 4)) - 32;
        q[y + l + 96] = ((src[ql + l + 32]! >> 4) | (((bits >> 6) & 3) << 4)) - 32;
      }
    }
  }
  return { kind: 'q6_k', q, d, sc };
}

export function prepareWeight(w: WeightTensor): PreparedWeight {
  const total = w.dims.reduce((a, b) => a * b, 1);
  switch (w.type) {
    case GgmlType.Q4_0: case GgmlType.Q4_1: case GgmlType.Q5_0: case GgmlType.Q5_1: case GgmlType.Q8_0:
      return block32(w, total);
    case GgmlType.Q4_K: case GgmlType.Q5_K:
      return kScaleMin(w, total);
    case GgmlType.Q6_K:
      return q6k(w, total);
    case GgmlType.F32: case GgmlType.F16: case GgmlType.BF16: {
      const values = new Float32Array(total);
      dequantize(w.type, w.data, 0, values, 0, total);
      return { kind: 'float', type: w.type, values };
    }
    default:
      assertComputable(w.name, w.type);
      throw new UnsupportedTensorTypeError(w.type, `tensor "${w.name}" is ${ggmlTypeName(w.type)}`, 'a type the reference prepares');
  }
}
