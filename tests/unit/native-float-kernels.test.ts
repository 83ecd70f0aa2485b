// The float kernels written once over SIMD traits and built for AVX2 and AVX-512 (float-kernels-*.cc): the
// prompt-batch matmul of F32/F16/BF16 weights and dense attention (an image block attending to itself). Each runs
// with AVX-512 allowed and forbidden, so the AVX2 build is checked on an AVX-512 machine too, against the reference.
import { afterAll, describe, expect, it } from 'vitest';
import { NativeBackend } from '../../engine/backend/native-backend.js';
import { native } from '../../engine/backend/native/index.js';
import { ReferenceBackend } from '../../engine/backend/reference/index.js';
import type { LayerKvView } from '../../engine/backend/backend.js';
import { GgmlType, dequantizeToFloats, f32ToF16Bits, F16_TO_F32, ggmlTypeName } from '../../engine/quant/index.js';
import { maxAbsDiff, random, weight } from '../helpers/kernel-fixtures.js';

const describeAvx2 = native?.features().avx2 ? describe : describe.skip;
const levels = native?.features().avx512 ? ['avx512', 'avx2'] as const : ['avx2'] as const;

function withLevel<T>(level: 'avx512' | 'avx2', run: () => T): T {
  native!.allowAvx512(level === 'avx512');
  try {
    return run();
  } finally {
    native!.allowAvx512(true);
  }
}

/** Cells with the given positions (−1 = empty) and image blocks, random keys and values as f16. */
function kvCells(cellPos: Int32Array, cellBlocks: Int32Array, width: number, seed: number): LayerKvView & { f16: { k: Uint16Array; v: Uint16Array } } {
  const cells = cellPos.length;
  const k = Uint16Array.from(random(cells * width, seed, 2), f32ToF16Bits);
  const v = Uint16Array.from(random(cells * width, seed + 1, 2), f32ToF16Bits);
  const read = (src: Uint16Array) => (cell: number, head: number, out: Float32Array): void => {
    const o = cell * width + head * out.length;
    for (let i = 0; i < out.length; i++) out[i] = F16_TO_F32[src[o + i]!]!;
  };
  return { nCells: cells, cellPos, cellBlocks, f16: { k, v }, readKey: read(k), readValue: read(v) };
}

/** Every cell in image block 1, keys and values as f16 (as SigLIP's ImageKv). */
function imageBlock(cells: number, width: number, seed: number): LayerKvView & { f16: { k: Uint16Array; v: Uint16Array } } {
  const k = Uint16Array.from(random(cells * width, seed, 2), f32ToF16Bits);
  const v = Uint16Array.from(random(cells * width, seed + 1, 2), f32ToF16Bits);
  const read = (src: Uint16Array) => (cell: number, head: number, out: Float32Array): void => {
    const o = cell * width + head * out.length;
    for (let i = 0; i < out.length; i++) out[i] = F16_TO_F32[src[o + i]!]!;
  };
  return {
    nCells: cells, cellPos: Int32Array.from({ length: cells }, (_, i) => i), cellBlocks: new Int32Array(cells).fill(1),
    f16: { k, v }, readKey: read(k), readValue: read(v),
  };
}

describeAvx2('float prompt matmul tiles (AVX2 and AVX-512 builds)', () => {
  afterAll(() => native!.allowAvx512(true));
  // Rows and tokens that leave partial tiles of every size; k that is not a multiple of the lanes, and k long
  // enough to be cut into slices whose sums are added on.
  const shapes = [[7, 5, 4], [100, 13, 9], [1152, 11, 13], [2600, 9, 7], [4304, 6, 5]] as const;
  for (const type of [GgmlType.F16, GgmlType.BF16, GgmlType.F32]) {
    for (const level of levels) {
      it(`${ggmlTypeName(type)} on ${level}: within the f32 reordering bound of the reference`, () => {
        for (const [k, rows, n] of shapes) {
          const w = weight(type, k, rows, k + rows);
          const x = random(k * n, k + n, 2);
          const expected = new ReferenceBackend().matmul(w, x, n);
          const actual = withLevel(level, () => new NativeBackend({ threads: 2 }).matmul(w, x, n));
          const wDeq = dequantizeToFloats(type, w.data, k * rows);
          for (let t = 0; t < n; t++) {
            for (let r = 0; r < rows; r++) {
              let magnitude = 0;
              for (let i = 0; i < k; i++) magnitude += Math.abs(wDeq[r * k + i]! * x[t * k + i]!);
              const bound = 2 * k * 2 ** -24 * magnitude * 1.01 + 1e-30;
              expect(Math.abs(actual[t * rows + r]! - expected[t * rows + r]!), `${k}×${rows} n=${n} row ${r} token ${t}`).toBeLessThanOrEqual(bound);
            }
          }
        }
      });
    }
  }
});

describeAvx2('dense attention (an image block attending to itself)', () => {
  afterAll(() => native!.allowAvx512(true));
  // Head sizes with and without a masked last register, GQA groups, token counts that leave a partial query tile
  // and a partial key panel.
  const cases = [[2, 2, 72, 37], [4, 2, 64, 50], [2, 1, 20, 29], [1, 1, 8, 3]] as const;
  for (const level of levels) {
    it(`on ${level}: agrees with the reference and with the per-query path`, () => {
      for (const [heads, kvHeads, headDim, n] of cases) {
        const kv = imageBlock(n, kvHeads * headDim, heads * n);
        const q = random(n * heads * headDim, headDim, 1.5);
        const positions = Int32Array.from({ length: n }, (_, i) => i);
        const params = { nHead: heads, nHeadKv: kvHeads, headDim, window: 0, blocks: new Int32Array(n).fill(1) };
        const expected = new ReferenceBackend().attention(q, n, positions, kv, params);
        const dense = withLevel(level, () => new NativeBackend({ threads: 2 }).attention(q, n, positions, kv, params));
        // One f16 ulp of a probability (scores summed in another order can cross a rounding boundary) times |v| ≤ 2.
        expect(maxAbsDiff(dense, expected), `${heads}/${kvHeads} heads of ${headDim}, ${n} tokens`).toBeLessThan(2 * 2 ** -10);
        // A query outside the block takes the per-query path; the block's own queries must not change with it.
        const mixed = { ...params, blocks: Int32Array.from({ length: n }, (_, i) => (i === n - 1 ? 0 : 1)) };
        const perQuery = withLevel(level, () => new NativeBackend({ threads: 2 }).attention(q, n, positions, kv, mixed));
        const rows = (n - 1) * heads * headDim;
        expect(maxAbsDiff(dense.subarray(0, rows), perQuery.subarray(0, rows))).toBeLessThan(2 * 2 ** -10);
      }
    });
  }
});

describeAvx2('causal prompt attention in tiles (a text batch over the KV cache)', () => {
  afterAll(() => native!.allowAvx512(true));
  // The layouts the cache really has: a global layer (position p in cell p, empty cells past the end), a later batch
  // over earlier cells, a sliding-window ring (p in cell p mod its size) whose runs wrap round, image cells in the
  // cache, GQA, Gemma's head size 256 and sizes with masked last registers, batches that leave partial tiles.
  const range = (n: number, from = 0): Int32Array => Int32Array.from({ length: n }, (_, i) => from + i);
  const cases = [
    { name: 'a fresh prompt, global', heads: 4, kvHeads: 1, headDim: 256, window: 0, cellPos: Int32Array.from({ length: 96 }, (_, i) => (i < 77 ? i : -1)), positions: range(77) },
    { name: 'a second batch, global, GQA', heads: 4, kvHeads: 2, headDim: 72, window: 0, cellPos: range(160), positions: range(37, 123) },
    { name: 'a ring of window 16 + batch 32, wrapping', heads: 2, kvHeads: 1, headDim: 64, window: 16, cellPos: Int32Array.from({ length: 48 }, (_, c) => 100 + ((c - 100 % 48 + 48) % 48)), positions: range(32, 116) },
    { name: 'a window over a global-sized cache', heads: 2, kvHeads: 2, headDim: 8, window: 7, cellPos: range(50), positions: range(50) },
  ];
  for (const level of levels) {
    it(`on ${level}: agrees with the reference`, () => {
      for (const c of cases) {
        const blocks = new Int32Array(c.cellPos.length);
        if (c.window === 0) blocks.fill(3, 10, 20);                            // an image's cells earlier in the cache
        const kv = kvCells(c.cellPos, blocks, c.kvHeads * c.headDim, c.heads * 7 + c.headDim);
        const n = c.positions.length;
        const q = random(n * c.heads * c.headDim, c.headDim + n, 1.5);
        const params = { nHead: c.heads, nHeadKv: c.kvHeads, headDim: c.headDim, window: c.window, blocks: new Int32Array(n) };
        const expected = new ReferenceBackend().attention(q, n, c.positions, kv, params);
        const tiled = withLevel(level, () => new NativeBackend({ threads: 2 }).attention(q, n, c.positions, kv, params));
        expect(maxAbsDiff(tiled, expected), c.name).toBeLessThan(2 * 2 ** -10);
      }
    });
  }
});

