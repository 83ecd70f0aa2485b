// The seam between the model graph and the arithmetic. The TypeScript reference backend is the oracle; the native
// backend (engine III) implements the same operations fast. Every buffer is f32, row-major, shapes in comments.
import type { GgmlType } from '../quant/index.js';

/** A weight as stored in the GGUF: ggml `ne` dims (dims[0] = row length K, dims[1] = rows N) and raw bytes. */
export interface WeightTensor {
  name: string;
  type: GgmlType;
  dims: number[];
  data: Uint8Array;
}

/** One layer's K and V cache cells, written by the model and read by attention. */
export interface LayerKvView {
  /** Absolute position held by each cell, or −1 when empty. */
  cellPos: Int32Array;
  /** Image block id per cell (0 = text). */
  cellBlocks: Int32Array;
  nCells: number;
  /** The stored key of one KV head in a cell, decoded to f32: out[headDim]. */
  readKey(cell: number, kvHead: number, out: Float32Array): void;
  /** The stored value of one KV head in a cell, decoded to f32: out[headDim]. */
  readValue(cell: number, kvHead: number, out: Float32Array): void;
  /** The raw binary16 storage [nCells, nHeadKv, headDim] when the cache is f16 (fast backends read it directly). */
  readonly f16?: { k: Uint16Array; v: Uint16Array };
}

export interface AttentionParams {
  nHead: number;
  nHeadKv: number;
  headDim: number;
  /** Sliding window W (keys p−W+1 … p) or 0 for a global layer. */
  window: number;
  /** Optional block id per query token: tokens of the same non-zero block also see each other (images). */
  blocks?: Int32Array;
}

export interface Backend {
  readonly name: string;
  /** out[n, N] = x[n, K] · Wᵀ, with x first converted to the weight's activation format as llama.cpp's CPU does. */
  matmul(w: WeightTensor, x: Float32Array, n: number): Float32Array;
  /** Dequantized rows of an embedding table: out[ids.length, K]. */
  getRows(w: WeightTensor, ids: ArrayLike<number>): Float32Array;
  /** Row-wise RMSNorm over `rowLength`, multiplied by the stored weight (which already holds Gemma's +1). */
  rmsNorm(x: Float32Array, rowLength: number, weight: Float32Array, eps: number): Float32Array;
  /** Row-wise LayerNorm with weight and bias (the vision encoder's; no Gemma +1). */
  layerNorm(x: Float32Array, rowLength: number, weight: Float32Array, bias: Float32Array, eps: number): Float32Array;
  /** x = gelu_tanh(x), through the same f16 table as geglu. */
  geluInPlace(x: Float32Array): void;
  /** Adds a bias row to every row of x. */
  addRowsInPlace(x: Float32Array, bias: Float32Array): void;
  /** NeoX RoPE in place on x[n, nHeads, headDim]. */
  rope(x: Float32Array, n: number, nHeads: number, headDim: number, positions: Int32Array, base: number, freqScale: number): void;
  /** out = gelu_tanh(gate) ⊙ up, elementwise. */
  geglu(gate: Float32Array, up: Float32Array): Float32Array;
  /** out[n, nHead·headDim] = softmax(q·kᵀ + mask)·v over the cache cells visible to each query. */
  attention(q: Float32Array, n: number, positions: Int32Array, kv: LayerKvView, params: AttentionParams): Float32Array;
  addInPlace(a: Float32Array, b: Float32Array): void;
  scaleInPlace(a: Float32Array, s: number): void;
  /**
   * Optional: converts a weight once, when the model loads, into a layout this backend computes with faster (the
   * native backend interleaves Q4_0 rows). Later matmuls with the same WeightTensor use it.
   */
  prepareWeight?(w: WeightTensor): void;
  /**
   * Optional scratch scope: between begin and end, buffers the backend returns may be reused after end, so the
   * caller must not keep them (the model brackets each layer, whose outputs all land in the residual stream).
   */
  beginScratch?(): void;
  endScratch?(): void;
  /** Optional fast f32 → binary16 (round to nearest even) for the KV cache: dst[i] = bits of src[i]. */
  encodeF16?(src: Float32Array, dst: Uint16Array): void;
}
