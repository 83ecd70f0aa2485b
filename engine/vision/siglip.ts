// The Gemma 3 vision path after preprocessing (ENGINE-SPEC §6.2–§6.3): SigLIP encoder (patch embedding, position
// embedding, pre-norm blocks with biased projections, bidirectional attention and a GELU MLP, post-norm), then the
// projector (average pooling to 256 tokens, Gemma RMSNorm, projection to the text width). Every operation runs on
// the Backend interface, so the native kernels make it fast and the reference stays the oracle.
import type { Backend, LayerKvView } from '../backend/backend.js';
import { F16_TO_F32, f32ToF16Bits } from '../quant/index.js';
import type { VisionConfig } from './config.js';
import type { VisionWeights } from './weights.js';

/**
 * The image's own keys and values, stored as f16 the way llama.cpp's f16 attention sees them, every cell in image
 * block 1 so each patch attends to all others (the attention is bidirectional, no mask).
 */
class ImageKv implements LayerKvView {
  readonly cellPos: Int32Array;
  readonly cellBlocks: Int32Array;
  readonly f16: { k: Uint16Array; v: Uint16Array };

  constructor(readonly nCells: number, private readonly width: number, private readonly headDim: number, k: Float32Array, v: Float32Array, be: Backend) {
    this.cellPos = Int32Array.from({ length: nCells }, (_, i) => i);
    this.cellBlocks = new Int32Array(nCells).fill(1);
    this.f16 = { k: toF16(k, be), v: toF16(v, be) };
  }

  private read(src: Uint16Array, cell: number, head: number, out: Float32Array): void {
    const o = cell * this.width + head * this.headDim;
    for (let i = 0; i < this.headDim; i++) out[i] = F16_TO_F32[src[o + i]!]!;
  }

  readKey(cell: number, head: number, out: Float32Array): void {
    this.read(this.f16.k, cell, head, out);
  }

  readValue(cell: number, head: number, out: Float32Array): void {
    this.read(this.f16.v, cell, head, out);
  }
}

/** f16 bits of x, natively when the backend can (9.4M values per layer: ~1 s in JavaScript). */
function toF16(x: Float32Array, be: Backend): Uint16Array {
  if (!be.encodeF16) return Uint16Array.from(x, f32ToF16Bits);
  const out = new Uint16Array(x.length);
  be.encodeF16(x, out);
  return out;
}

/** Patches as rows in the kernel's element order (x fastest, then y, then channel), row-major over the grid. */
export function patchRows(pixels: Float32Array, config: VisionConfig): Float32Array {
  const { imageSize: size, patchSize: p, gridSide: g } = config;
  if (pixels.length !== 3 * size * size) throw new RangeError(`expected ${3 * size * size} planar pixel values, got ${pixels.length}`);
  const k = p * p * 3;
  const out = new Float32Array(g * g * k);
  for (let row = 0; row < g; row++) {
    for (let col = 0; col < g; col++) {
      const o = (row * g + col) * k;
      for (let c = 0; c < 3; c++) {
        for (let y = 0; y < p; y++) {
          const src = c * size * size + (row * p + y) * size + col * p;
          out.set(pixels.subarray(src, src + p), o + c * p * p + y * p);
        }
      }
    }
  }
  return out;
}

/** SigLIP: planar normalized pixels [3, size, size] → [patches, width] after the post-LayerNorm. */
export function encodeSiglip(pixels: Float32Array, config: VisionConfig, weights: VisionWeights, be: Backend): Float32Array {
  const { width: w, heads, gridSide } = config;
  const n = gridSide * gridSide;
  const headDim = w / heads;
  const x = be.matmul(weights.patchEmbd, patchRows(pixels, config), n);      // conv 14×14 stride 14 as a matmul
  be.addRowsInPlace(x, weights.patchBias);
  be.addInPlace(x, weights.positionEmbd);
  const positions = Int32Array.from({ length: n }, (_, i) => i);
  const blocks = new Int32Array(n).fill(1);
  const scale = Math.fround(1 / Math.sqrt(headDim));
  for (const lw of weights.layers) {
    be.beginScratch?.();
    const h = be.layerNorm(x, w, lw.ln1Weight, lw.ln1Bias, config.eps);
    const q = be.matmul(lw.q, h, n);
    be.addRowsInPlace(q, lw.qBias);
    const k = be.matmul(lw.k, h, n);
    be.addRowsInPlace(k, lw.kBias);
    const v = be.matmul(lw.v, h, n);
    be.addRowsInPlace(v, lw.vBias);
    be.scaleInPlace(q, scale);
    const attn = be.attention(q, n, positions, new ImageKv(n, w, headDim, k, v, be), { nHead: heads, nHeadKv: heads, headDim, window: 0, blocks });
    const o = be.matmul(lw.out, attn, n);
    be.addRowsInPlace(o, lw.outBias);
    be.addInPlace(x, o);
    const h2 = be.layerNorm(x, w, lw.ln2Weight, lw.ln2Bias, config.eps);
    const up = be.matmul(lw.up, h2, n);
    be.addRowsInPlace(up, lw.upBias);
    be.geluInPlace(up);
    const down = be.matmul(lw.down, up, n);
    be.addRowsInPlace(down, lw.downBias);
    be.addInPlace(x, down);
    be.endScratch?.();
  }
  return be.layerNorm(x, w, weights.postLnWeight, weights.postLnBias, config.eps);
}

/** Average pooling of the patch grid in windows of pool × pool: [g², width] → [(g/pool)², width], row-major. */
export function averagePool(x: Float32Array, config: VisionConfig): Float32Array {
  const { width: w, gridSide: g, poolSize: s } = config;
  const side = g / s;
  const out = new Float32Array(side * side * w);
  for (let r = 0; r < side; r++) {
    for (let c = 0; c < side; c++) {
      const o = (r * side + c) * w;
      for (let i = 0; i < w; i++) {
        let sum = 0;
        for (let dy = 0; dy < s; dy++) for (let dx = 0; dx < s; dx++) sum = Math.fround(sum + x[((r * s + dy) * g + (c * s + dx)) * w + i]!);
        out[o + i] = Math.fround(sum / (s * s));                    // ggml pool_2d: f32 sum, then ÷ window
      }
    }
  }
  return out;
}

/** The whole vision path: pixels → [tokensPerImage, projectionDim] embeddings to place in the text sequence as-is. */
export function encodeImage(pixels: Float32Array, config: VisionConfig, weights: VisionWeights, be: Backend): Float32Array {
  const pooled = averagePool(encodeSiglip(pixels, config, weights, be), config);
  const normed = be.rmsNorm(pooled, config.width, weights.softEmbNorm, config.eps);
  return be.matmul(weights.projection, normed, config.tokensPerImage);
}
