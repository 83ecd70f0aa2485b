// Every native kernel against its reference twin, on random inputs of awkward sizes. The SIMD kernels sum their
// block terms in a different order than the reference, so the tolerance is the f32 reordering bound:
// |Δ| ≤ 2 · blocks · 2⁻²⁴ · Σ|wᵢ·aᵢ| (each of the two sums rounds at most once per block term).
import { describe, expect, it } from 'vitest';
import { NativeBackend } from '../../engine/backend/native-backend.js';
import { native, nativeLoadError } from '../../engine/backend/native/index.js';
import { ReferenceBackend } from '../../engine/backend/reference/index.js';
import { GgmlType, dequantizeToFloats, quantizeToBytes } from '../../engine/quant/index.js';
import { Random } from '../../engine/util/random.js';

function random(n: number, seed: number, amplitude = 1): Float32Array {
  const out = new Float32Array(n);
  new Random(seed, 'native').fillUniform(out, amplitude);
  return out;
}

describe('native backend', () => {
  it('is built by the install (CI must not silently fall back)', () => {
    expect(nativeLoadError).toBeUndefined();
    expect(native?.features().hardwareThreads).toBeGreaterThan(0);
  });

  const shapes = [[32, 1, 1], [96, 7, 3], [1152, 13, 2], [2048, 5, 9], [4096, 3, 1]] as const;
  for (const type of [GgmlType.Q4_0, GgmlType.Q8_0]) {
    for (const simd of [true, false]) {
      it(`${type === GgmlType.Q4_0 ? 'Q4_0' : 'Q8_0'} matmul (${simd ? 'SIMD' : 'scalar twin'}) agrees with the reference`, () => {
        for (const [k, rows, n] of shapes) {
          const wValues = random(k * rows, k + rows, 0.5);
          const w = { name: 'w', type, dims: [k, rows], data: quantizeToBytes(type, wValues) };
          const x = random(k * n, k * 3 + n, 2);
          const expected = new ReferenceBackend().matmul(w, x, n);
          const actual = new NativeBackend({ threads: 2, simd }).matmul(w, x, n);
          const wDeq = dequantizeToFloats(type, w.data, k * rows);
          for (let t = 0; t < n; t++) {
            for (let r = 0; r < rows; r++) {
              let magnitude = 0;
              for (let i = 0; i < k; i++) magnitude += Math.abs(wDeq[r * k + i]! * x[t * k + i]!);
              const bound = 2 * (k / 32) * 2 ** -24 * magnitude * 1.01;
              const i = t * rows + r;
              expect(Math.abs(actual[i]! - expected[i]!), `k=${k} row ${r} token ${t}`).toBeLessThanOrEqual(bound);
            }
          }
        }
      });
    }
  }

  it('falls back to the reference for types it does not implement, and rejects mismatched buffers', () => {
    const w = { name: 'w', type: GgmlType.F16, dims: [64, 3], data: quantizeToBytes(GgmlType.F16, random(192, 1)) };
    const x = random(64, 2);
    expect(Array.from(new NativeBackend().matmul(w, x, 1))).toEqual(Array.from(new ReferenceBackend().matmul(w, x, 1)));
    expect(() => native!.matmul(new Uint8Array(10), GgmlType.Q8_0, 64, 3, x, 1, new Float32Array(3), true)).toThrow(/wrong size/);
    expect(() => native!.matmul(new Uint8Array(36), 99, 64, 1, x, 1, new Float32Array(1), true)).toThrow(/unsupported weight type/);
  });
});
