// Reference quantizers: they choose scales the way ggml's *_ref functions do, and their error stays within what
// the format's arithmetic allows (bounds derived below, not tuned to pass).
import { describe, expect, it } from 'vitest';
import { F16_TO_F32, GgmlType, dequantizeToFloats, ggmlTypeInfo, quantizeToBytes } from '../../engine/quant/index.js';
import { Random } from '../../engine/util/random.js';

function randomValues(n: number, seed: number, amplitude = 1): Float32Array {
  const out = new Float32Array(n);
  new Random(seed, 'quant').fillUniform(out, amplitude);
  return out;
}

const half = (bytes: Uint8Array, o: number): number => F16_TO_F32[bytes[o]! | (bytes[o + 1]! << 8)]!;

function blockAbsMax(x: Float32Array, start: number, n: number): number {
  let m = 0;
  for (let i = 0; i < n; i++) m = Math.max(m, Math.abs(x[start + i]!));
  return m;
}

describe('Q4_0 / Q5_0 / Q8_0 reference quantizers', () => {
  const x = randomValues(32 * 512, 1, 3);

  it('Q4_0 maps the largest-magnitude element to −8 exactly and errs by at most one step', () => {
    const bytes = quantizeToBytes(GgmlType.Q4_0, x);
    const y = dequantizeToFloats(GgmlType.Q4_0, bytes, x.length);
    for (let b = 0; b < x.length / 32; b++) {
      const d = half(bytes, b * 18);
      let maxIndex = 0;
      for (let j = 1; j < 32; j++) if (Math.abs(x[b * 32 + j]!) > Math.abs(x[b * 32 + maxIndex]!)) maxIndex = j;
      // d = max/−8 rounded to f16, so the extreme element decodes to −8·d.
      expect(y[b * 32 + maxIndex]).toBe(Math.fround(-8 * d));
      // Levels −8..7 and a clamp at 15: the opposite extreme loses one step; otherwise half a step.
      for (let j = 0; j < 32; j++) expect(Math.abs(y[b * 32 + j]! - x[b * 32 + j]!)).toBeLessThanOrEqual(Math.abs(d) * 1.01);
    }
  });

  it('Q5_0 stays within one step of 1/16 the block maximum', () => {
    const y = dequantizeToFloats(GgmlType.Q5_0, quantizeToBytes(GgmlType.Q5_0, x), x.length);
    for (let b = 0; b < x.length / 32; b++) {
      const step = blockAbsMax(x, b * 32, 32) / 16;
      for (let j = 0; j < 32; j++) expect(Math.abs(y[b * 32 + j]! - x[b * 32 + j]!)).toBeLessThanOrEqual(step * 1.01);
    }
  });

  it('Q8_0 uses d = amax/127 and rounds to the nearest level', () => {
    const bytes = quantizeToBytes(GgmlType.Q8_0, x);
    const y = dequantizeToFloats(GgmlType.Q8_0, bytes, x.length);
    for (let b = 0; b < x.length / 32; b++) {
      const amax = blockAbsMax(x, b * 32, 32);
      const d = half(bytes, b * 34);
      expect(Math.abs(d - amax / 127)).toBeLessThanOrEqual((amax / 127) * 2 ** -11);
      // Half a step, plus up to 127 steps of the f16 rounding of d (relative 2^-11).
      const bound = d / 2 + 127 * (amax / 127) * 2 ** -11;
      for (let j = 0; j < 32; j++) expect(Math.abs(y[b * 32 + j]! - x[b * 32 + j]!)).toBeLessThanOrEqual(bound * 1.0001);
    }
  });

  it('all-zero blocks give d = 0 and zeros back', () => {
    for (const type of [GgmlType.Q4_0, GgmlType.Q5_0, GgmlType.Q8_0, GgmlType.Q4_K, GgmlType.Q6_K, GgmlType.Q8_K]) {
      const zeros = new Float32Array(256);
      expect(Array.from(dequantizeToFloats(type, quantizeToBytes(type, zeros), 256)).every((v) => v === 0)).toBe(true);
    }
  });
});

describe('K-quant reference quantizers', () => {
  const x = randomValues(256 * 128, 2);

  function rms(a: Float32Array, b: Float32Array): number {
    let s = 0;
    for (let i = 0; i < a.length; i++) s += (a[i]! - b[i]!) ** 2;
    return Math.sqrt(s / a.length);
  }

  it('Q4_K: d = max sub-block scale / 63, and RMS error near the 4-bit uniform limit', () => {
    const bytes = quantizeToBytes(GgmlType.Q4_K, x);
    const y = dequantizeToFloats(GgmlType.Q4_K, bytes, x.length);
    // Uniform rounding over 16 levels spanning a 32-value sub-block: step ≈ range/15, RMS = step/√12.
    // Sub-blocks of U(−1,1) span just under 2; 6-bit scales and mins add at most a few percent.
    const ideal = 2 / 15 / Math.sqrt(12);
    const error = rms(x, y);
    expect(error).toBeLessThan(ideal * 1.1);
    expect(error).toBeGreaterThan(ideal * 0.5); // a real 4-bit code, not a lossless one
    // The 6-bit scale of the widest sub-block is 63 (that is how d is chosen).
    for (let b = 0; b < 16; b++) {
      const s = bytes.subarray(b * 144 + 4, b * 144 + 16);
      const scales = [0, 1, 2, 3].map((j) => s[j]! & 63).concat([4, 5, 6, 7].map((j) => (s[j + 4]! & 0xf) | ((s[j - 4]! >> 6) << 4)));
      expect(Math.max(...scales)).toBe(63);
    }
  });

  it('Q6_K: RMS error near the 6-bit limit and a scale of −128·d at the widest sub-block', () => {
    const bytes = quantizeToBytes(GgmlType.Q6_K, x);
    const y = dequantizeToFloats(GgmlType.Q6_K, bytes, x.length);
    const ideal = 1 / 32 / Math.sqrt(12); // 64 levels over ±1: step 1/32
    const error = rms(x, y);
    expect(error).toBeLessThan(ideal * 1.1);
    expect(error).toBeGreaterThan(ideal * 0.5);
    for (let b = 0; b < 16; b++) {
      const scales = Array.from(bytes.subarray(b * 210 + 192, b * 210 + 208), (v) => (v << 24) >> 24);
      expect(scales.some((s) => Math.abs(s) >= 127)).toBe(true);
    }
  });

  it('Q8_K: d = 1/iscale in f32, |error| ≤ amax/254, bsums are the sums of 16 quants', () => {
    const bytes = quantizeToBytes(GgmlType.Q8_K, x);
    const y = dequantizeToFloats(GgmlType.Q8_K, bytes, x.length);
    const view = new DataView(bytes.buffer);
    for (let b = 0; b < x.length / 256; b++) {
      const amax = blockAbsMax(x, b * 256, 256);
      for (let j = 0; j < 256; j++) expect(Math.abs(y[b * 256 + j]! - x[b * 256 + j]!)).toBeLessThanOrEqual((amax / 254) * 1.000001);
      for (let g = 0; g < 16; g++) {
        let sum = 0;
        for (let i = 0; i < 16; i++) sum += (bytes[b * 292 + 4 + g * 16 + i]! << 24) >> 24;
        expect(view.getInt16(b * 292 + 260 + 2 * g, true)).toBe(sum);
      }
    }
  });

  it('F16, BF16 and F32 round-trip within their precision', () => {
    for (const [type, rel] of [[GgmlType.F32, 0], [GgmlType.F16, 2 ** -11], [GgmlType.BF16, 2 ** -8]] as const) {
      const y = dequantizeToFloats(type, quantizeToBytes(type, x), x.length);
      for (let i = 0; i < x.length; i++) expect(Math.abs(y[i]! - x[i]!)).toBeLessThanOrEqual(Math.abs(x[i]!) * rel + 2 ** -24);
    }
  });

  it('rejects lengths that are not whole blocks', () => {
    expect(() => quantizeToBytes(GgmlType.Q4_K, new Float32Array(100))).toThrow(/blocks of 256/);
    expect(ggmlTypeInfo(GgmlType.Q6_K)!.typeSize).toBe(210);
  });
});
