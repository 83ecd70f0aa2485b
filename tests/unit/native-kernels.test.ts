// Every native kernel against its reference twin, on random inputs of awkward sizes (rows and tokens that are not
// multiples of the SIMD tiles, odd token counts for the two-token VNNI registers, a single token for decode).
// The scalar twins follow the reference's arithmetic order, so they must agree bit for bit. The SIMD kernels sum
// block terms in f32 lanes instead of the reference's double, so their tolerance is the f32 reordering bound:
// |Δ| ≤ 2 · terms · 2⁻²⁴ · Σ|wᵢ·aᵢ| (each of the two sums rounds at most once per term).
import { describe, expect, it } from 'vitest';
import { NativeBackend } from '../../engine/backend/native-backend.js';
import { native, nativeLoadError } from '../../engine/backend/native/index.js';
import { ReferenceBackend } from '../../engine/backend/reference/index.js';
import { ScratchArena } from '../../engine/backend/scratch-arena.js';
import { HybridKvCache } from '../../engine/model/kv-cache.js';
import type { Gemma3Config } from '../../engine/model/config.js';
import { GgmlType, dequantizeToFloats, f32ToF16Bits, ggmlTypeInfo, ggmlTypeName } from '../../engine/quant/index.js';
import { maxAbsDiff, random, weight } from '../helpers/kernel-fixtures.js';

const describeNative = native ? describe : describe.skip;

describe('native addon', () => {
  it('is built by the install (CI must not silently fall back)', () => {
    expect(nativeLoadError).toBeUndefined();
    const f = native!.features();
    expect(f.hardwareThreads).toBeGreaterThan(0);
    expect(f.physicalCores).toBeGreaterThan(0);
    expect(f.physicalCores).toBeLessThanOrEqual(f.hardwareThreads);
  });
});

describeNative('native matmul', () => {
  const types = [GgmlType.Q4_0, GgmlType.Q4_1, GgmlType.Q5_0, GgmlType.Q5_1, GgmlType.Q8_0, GgmlType.Q4_K, GgmlType.Q5_K,
    GgmlType.Q6_K, GgmlType.F16, GgmlType.BF16, GgmlType.F32];
  for (const type of types) {
    const block = ggmlTypeInfo(type)!.blockSize;
    const ks = block === 256 ? [256, 768] : block === 32 ? [32, 96, 1152] : [7, 64, 1152];
    const shapes = ks.flatMap((k) => [[k, 13, 1], [k, 5, 2], [k, 9, 9], [k, 17, 3]] as const);
    it(`${ggmlTypeName(type)}: scalar twin equals the reference bit for bit, SIMD within the f32 reordering bound`, () => {
      for (const [k, rows, n] of shapes) {
        const w = weight(type, k, rows, k + rows);
        const x = random(k * n, k * 3 + n, 2);
        const expected = new ReferenceBackend().matmul(w, x, n);
        const scalar = new NativeBackend({ threads: 2, simd: false }).matmul(w, x, n);
        expect(Array.from(scalar), `${k}×${rows}, n=${n}`).toEqual(Array.from(expected));
        const simd = new NativeBackend({ threads: 2 }).matmul(w, x, n);
        const wDeq = dequantizeToFloats(type, w.data, k * rows);
        for (let t = 0; t < n; t++) {
          for (let r = 0; r < rows; r++) {
            let magnitude = 0;
            for (let i = 0; i < k; i++) magnitude += Math.abs(wDeq[r * k + i]! * x[t * k + i]!);
            const terms = block === 1 ? k : k / block * 8;
            const bound = 2 * terms * 2 ** -24 * magnitude * 1.01 + 1e-30;
            expect(Math.abs(simd[t * rows + r]! - expected[t * rows + r]!), `${k}×${rows} n=${n} row ${r} token ${t}`).toBeLessThanOrEqual(bound);
          }
        }
      }
    });
  }

  it('Q4_0 repacked eight rows at a time (decode, and batches without VNNI) agrees with the reference', () => {
    for (const [k, rows] of [[32, 8], [96, 24], [1152, 64]] as const) {
      const w = weight(GgmlType.Q4_0, k, rows, k + rows + 1);
      const be = new NativeBackend({ threads: 2 });
      be.prepareWeight(w);
      const wDeq = dequantizeToFloats(GgmlType.Q4_0, w.data, k * rows);
      for (const n of [1, 3, 7, 9]) {
        const x = random(k * n, k + n, 2);
        const expected = new ReferenceBackend().matmul(w, x, n);
        const actual = be.matmul(w, x, n);
        for (let t = 0; t < n; t++) {
          for (let r = 0; r < rows; r++) {
            let magnitude = 0;
            for (let i = 0; i < k; i++) magnitude += Math.abs(wDeq[r * k + i]! * x[t * k + i]!);
            const bound = 2 * (k / 32) * 8 * 2 ** -24 * magnitude * 1.01 + 1e-30;
            expect(Math.abs(actual[t * rows + r]! - expected[t * rows + r]!), `${k}×${rows} n=${n}`).toBeLessThanOrEqual(bound);
          }
        }
      }
      // The copy is the same size, and a second prepare is a no-op.
      expect(native!.repack(w.data, GgmlType.Q4_0, k, rows, new Uint8Array(w.data.length))).toBe(native!.features().avx2);
      be.prepareWeight(w);
    }
    expect(native!.repack(new Uint8Array(18 * 3), GgmlType.Q4_0, 32, 3, new Uint8Array(18 * 3))).toBe(false);  // rows % 8 ≠ 0
  });

  it('gives the same result on 1 and 2 threads, and for a prompt batch as token by token on the same path', () => {
    const w = weight(GgmlType.Q4_0, 1152, 37, 5);
    const x = random(1152 * 11, 6);
    const two = new NativeBackend({ threads: 2 }).matmul(w, x, 11);
    const one = new NativeBackend({ threads: 1 }).matmul(w, x, 11);
    expect(Array.from(one)).toEqual(Array.from(two));
    // The VNNI tiles (batches) and the AVX2 row kernel (single tokens) accumulate in the same lane order.
    const single = new NativeBackend({ threads: 2 }).matmul(w, x.subarray(1152 * 4, 1152 * 5), 1);
    expect(Array.from(single)).toEqual(Array.from(two.subarray(37 * 4, 37 * 5)));
  });

  it('rejects mismatched buffers and unknown types with a clear error', () => {
    const x = random(64, 2);
    expect(() => native!.matmul(new Uint8Array(10), GgmlType.Q8_0, 64, 3, x, 1, new Float32Array(3), true)).toThrow(/w has the wrong size/);
    expect(() => native!.matmul(new Uint8Array(36), 99, 64, 1, x, 1, new Float32Array(1), true)).toThrow(/unsupported weight type 99/);
    expect(() => native!.matmul(new Uint8Array(34), GgmlType.Q8_0, 32, 1, x, 1, new Float32Array(1), true)).toThrow(/x has the wrong size/);
    expect(() => native!.matmul(new Uint8Array(36), GgmlType.Q8_0, 33, 1, x, 1, new Float32Array(1), true)).toThrow(/multiple of 32/);
  });
});

describeNative('native row operations', () => {
  it('rmsNorm: scalar twin bit-identical, SIMD within an ulp', () => {
    for (const [rows, len] of [[1, 1152], [7, 256], [3, 13]] as const) {
      const x = random(rows * len, len, 3);
      const w = random(len, len + 1, 1);
      const expected = new ReferenceBackend().rmsNorm(x, len, w, 1e-6);
      expect(Array.from(new NativeBackend({ simd: false }).rmsNorm(x, len, w, 1e-6))).toEqual(Array.from(expected));
      const simd = new NativeBackend().rmsNorm(x, len, w, 1e-6);
      for (let i = 0; i < x.length; i++) expect(Math.abs(simd[i]! - expected[i]!)).toBeLessThanOrEqual(Math.abs(expected[i]!) * 2 ** -22);
    }
  });

  it('LayerNorm, GELU and bias rows (the vision encoder\'s) equal the reference bit for bit', () => {
    for (const [rows, len] of [[1, 1152], [9, 72], [3, 13]] as const) {
      const x = random(rows * len, len + 5, 3);
      const w = random(len, len + 6, 1);
      const b = random(len, len + 7, 0.5);
      expect(Array.from(new NativeBackend().layerNorm(x, len, w, b, 1e-6))).toEqual(Array.from(new ReferenceBackend().layerNorm(x, len, w, b, 1e-6)));
      const [n, r] = [x.slice(), x.slice()];
      new NativeBackend().addRowsInPlace(n, b);
      new ReferenceBackend().addRowsInPlace(r, b);
      expect(Array.from(n)).toEqual(Array.from(r));
    }
    for (const simd of [true, false]) {
      const x = random(70001, 21, 14);
      const [n, r] = [x.slice(), x.slice()];
      new NativeBackend({ simd }).geluInPlace(n);
      new ReferenceBackend().geluInPlace(r);
      expect(Array.from(n)).toEqual(Array.from(r));
    }
  });

  it('rope, geglu, add, scale and the f16 encoder equal the reference bit for bit', () => {
    for (const simd of [true, false]) {
      const be = new NativeBackend({ simd });
      const ref = new ReferenceBackend();
      const positions = Int32Array.from([0, 1, 7, 511, 4095, 32767]);
      const x = random(6 * 3 * 64, 9, 2);
      const a = x.slice();
      const b = x.slice();
      be.rope(a, 6, 3, 64, positions, 10000, 1);
      ref.rope(b, 6, 3, 64, positions, 10000, 1);
      expect(Array.from(a)).toEqual(Array.from(b));
      be.rope(a, 6, 3, 64, positions, 1e6, 0.125);
      ref.rope(b, 6, 3, 64, positions, 1e6, 0.125);
      expect(Array.from(a)).toEqual(Array.from(b));
      // The native side caches angles per (positions, base, scale): new positions must not reuse them.
      const later = positions.map((p) => p + 1);
      be.rope(a, 6, 3, 64, later, 10000, 1);
      ref.rope(b, 6, 3, 64, later, 10000, 1);
      expect(Array.from(a)).toEqual(Array.from(b));

      const gate = random(70001, 10, 14);    // reaches both saturated ends (±10)
      const up = random(70001, 11, 2);
      expect(Array.from(be.geglu(gate, up))).toEqual(Array.from(ref.geglu(gate, up)));
    }
    for (const count of [1, 1152, 70001]) {
      const a = random(count, 13, 3);
      const b = random(count, 14, 3);
      const [na, ra] = [a.slice(), a.slice()];
      new NativeBackend().addInPlace(na, b);
      new ReferenceBackend().addInPlace(ra, b);
      expect(Array.from(na)).toEqual(Array.from(ra));
      new NativeBackend().scaleInPlace(na, 0.0625);    // f32-exact scale: same product either way
      new ReferenceBackend().scaleInPlace(ra, 0.0625);
      expect(Array.from(na)).toEqual(Array.from(ra));
    }
    const values = Float32Array.from([...random(1001, 12, 70000), 0, -0, 1e-8, -6e-8, 65504, 65520, 1e9, Infinity, -Infinity, NaN]);
    const bits = new Uint16Array(values.length);
    new NativeBackend().encodeF16(values, bits);
    expect(Array.from(bits)).toEqual(Array.from(values, (v) => f32ToF16Bits(v)));
  });
});

describeNative('native attention', () => {
  function filledCache(config: Gemma3Config, contextSize: number, tokens: number, seed: number, blocks?: Int32Array): HybridKvCache {
    const cache = new HybridKvCache(config, contextSize, 64, 'f16', (src, dst) => new NativeBackend().encodeF16(src, dst));
    const width = config.nHeadKv * config.headDim;
    const positions = Int32Array.from({ length: tokens }, (_, i) => i);
    for (let l = 0; l < config.nLayer; l++) cache.store(l, random(tokens * width, seed + l, 2), random(tokens * width, seed + 100 + l, 2), positions, blocks);
    return cache;
  }

  for (const [name, heads, kvHeads, headDim] of [['4 heads per KV head', 4, 1, 64], ['2 groups of 2', 4, 2, 32], ['3 heads per KV head (no SIMD template)', 3, 1, 16], ['SigLIP-like head size 72', 2, 2, 72], ['head size 20 (scalar)', 2, 1, 20]] as const) {
    it(`${name}: causal, sliding window and image blocks agree with the reference`, () => {
      const config: Gemma3Config = {
        nLayer: 2, nEmbd: heads * headDim, nFf: 64, nHead: heads, nHeadKv: kvHeads, headDim, nVocab: 16, contextLength: 64, rmsEps: 1e-6,
        slidingWindow: 5, isLocal: [true, false], ropeFreqBase: 1e6, ropeFreqBaseSwa: 1e4, ropeFreqScaleGlobal: 1, attentionScale: 1, finalLogitSoftcap: 0,
      };
      const tokens = 23;
      const blocks = new Int32Array(tokens);
      blocks.fill(1, 8, 12);                                       // an image: positions 8–11 see each other
      const cache = filledCache(config, 64, tokens, heads * 7, blocks);
      const q = random(tokens * heads * headDim, 3, 1.5);
      const positions = Int32Array.from({ length: tokens }, (_, i) => i);
      for (const layer of [0, 1]) {
        const params = { nHead: heads, nHeadKv: kvHeads, headDim, window: config.isLocal[layer] ? 5 : 0, blocks };
        const expected = new ReferenceBackend().attention(q, tokens, positions, cache.layer(layer), params);
        for (const simd of [true, false]) {
          const actual = new NativeBackend({ simd }).attention(q, tokens, positions, cache.layer(layer), params);
          // Scores summed in f32 lanes vs double can move a probability across an f16 rounding boundary: one f16
          // ulp (2⁻¹¹ relative) of a probability ≤ 1 times |v| ≤ 2.
          expect(maxAbsDiff(actual, expected), `layer ${layer} simd=${simd}`).toBeLessThan(2 * 2 ** -10);
        }
      }
    });
  }

  it('decode over a long cache (keys and dimensions split across threads) agrees with the reference and with one thread', () => {
    for (const headDim of [64, 72, 20]) {
      const config: Gemma3Config = {
        nLayer: 1, nEmbd: 4 * headDim, nFf: 64, nHead: 4, nHeadKv: 1, headDim, nVocab: 16, contextLength: 700, rmsEps: 1e-6,
        slidingWindow: 0, isLocal: [false], ropeFreqBase: 1e6, ropeFreqBaseSwa: 1e4, ropeFreqScaleGlobal: 1, attentionScale: 1, finalLogitSoftcap: 0,
      };
      const cache = filledCache(config, 700, 601, 77);
      const q = random(4 * headDim, 78, 0.3);
      const positions = Int32Array.of(600);
      const params = { nHead: 4, nHeadKv: 1, headDim, window: 0 };
      const expected = new ReferenceBackend().attention(q, 1, positions, cache.layer(0), params);
      const two = new NativeBackend({ threads: 2 }).attention(q, 1, positions, cache.layer(0), params);
      const one = new NativeBackend({ threads: 1 }).attention(q, 1, positions, cache.layer(0), params);
      expect(Array.from(two), `head size ${headDim}`).toEqual(Array.from(one));
      expect(maxAbsDiff(two, expected), `head size ${headDim}`).toBeLessThan(2 * 2 ** -10);
    }
  });

  it('rejects a cache view smaller than its cell count', () => {
    const q = random(64, 1);
    expect(() => native!.attention(q, 1, Int32Array.of(0), null, new Uint16Array(10), new Uint16Array(64), Int32Array.of(0),
      Int32Array.of(0), 1, 1, 64, 0, new Float32Array(64), true)).toThrow(/k has the wrong size/);
  });
});

describe('ScratchArena', () => {
  it('reuses a scope’s buffers in the next scope and hands out fresh ones outside any scope', () => {
    const arena = new ScratchArena();
    arena.begin();
    const a = arena.take(8);
    const b = arena.take(8);
    expect(a).not.toBe(b);
    arena.end();
    arena.begin();
    const c = arena.take(8);
    const d = arena.take(8);
    expect([c, d]).toContain(a);
    expect([c, d]).toContain(b);
    arena.end();
    const outside = arena.take(8);
    expect([a, b]).not.toContain(outside);
    expect(() => arena.end()).toThrow(/without begin/);
  });
});
