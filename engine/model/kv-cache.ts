// Gemma 3's hybrid KV cache (ENGINE-SPEC §8): global layers keep every position of the context; sliding-window
// layers keep a ring of window + batch cells, enough for any query in a batch to see its W most recent keys.
// K and V are stored as f16 (llama.cpp's default). Storage grows on demand; memory() reports what the full
// context reserves.
import { f32ToF16Bits } from '../quant/index.js';
import type { LayerKvView } from '../backend/backend.js';
import type { Gemma3Config } from './config.js';

export interface KvMemoryReport {
  /** Bytes reserved by global (full-context) layers. */
  globalBytes: number;
  /** Bytes reserved by sliding-window layers. */
  localBytes: number;
  totalBytes: number;
  globalLayers: number;
  localLayers: number;
  /** Cells per global layer (the context size) and per local layer (window + batch). */
  globalCells: number;
  localCells: number;
  bytesPerCell: number;
}

class LayerCache implements LayerKvView {
  k: Uint16Array;
  v: Uint16Array;
  cellPos: Int32Array;
  cellBlocks: Int32Array;
  nCells = 0;

  constructor(readonly capacity: number, readonly ring: boolean, readonly kvWidth: number) {
    // Rings are small (window + batch): allocate them whole. Global layers start small and double as needed.
    const initial = ring ? capacity : Math.min(capacity, 256);
    this.k = new Uint16Array(initial * kvWidth);
    this.v = new Uint16Array(initial * kvWidth);
    this.cellPos = new Int32Array(initial).fill(-1);
    this.cellBlocks = new Int32Array(initial);
    this.nCells = initial;
  }

  private grow(cells: number): void {
    let size = this.nCells;
    while (size < cells) size = Math.min(this.capacity, size * 2);
    const k = new Uint16Array(size * this.kvWidth);
    const v = new Uint16Array(size * this.kvWidth);
    const pos = new Int32Array(size).fill(-1);
    const blocks = new Int32Array(size);
    k.set(this.k);
    v.set(this.v);
    pos.set(this.cellPos);
    blocks.set(this.cellBlocks);
    Object.assign(this, { k, v, cellPos: pos, cellBlocks: blocks, nCells: size });
  }

  store(k: Float32Array, v: Float32Array, positions: Int32Array, blocks: Int32Array | undefined): void {
    for (let t = 0; t < positions.length; t++) {
      const pos = positions[t]!;
      const cell = this.ring ? pos % this.capacity : pos;
      if (cell >= this.nCells) this.grow(cell + 1);
      for (let i = 0; i < this.kvWidth; i++) {
        this.k[cell * this.kvWidth + i] = f32ToF16Bits(k[t * this.kvWidth + i]!);
        this.v[cell * this.kvWidth + i] = f32ToF16Bits(v[t * this.kvWidth + i]!);
      }
      this.cellPos[cell] = pos;
      this.cellBlocks[cell] = blocks?.[t] ?? 0;
    }
  }

  /** Forgets every position ≥ `from` (used to roll a session back). */
  truncate(from: number): void {
    for (let c = 0; c < this.nCells; c++) if (this.cellPos[c]! >= from) this.cellPos[c] = -1;
  }
}

export class HybridKvCache {
  private readonly layers: LayerCache[];
  readonly kvWidth: number;
  readonly localCells: number;

  constructor(readonly config: Gemma3Config, readonly contextSize: number, readonly batchSize: number) {
    this.kvWidth = config.nHeadKv * config.headDim;
    this.localCells = Math.min(contextSize, config.slidingWindow + batchSize);
    this.layers = config.isLocal.map((local) => new LayerCache(local ? this.localCells : contextSize, local, this.kvWidth));
  }

  layer(index: number): LayerCache {
    return this.layers[index]!;
  }

  store(layer: number, k: Float32Array, v: Float32Array, positions: Int32Array, blocks?: Int32Array): void {
    this.layers[layer]!.store(k, v, positions, blocks);
  }

  truncate(from: number): void {
    for (const l of this.layers) l.truncate(from);
  }

  memory(): KvMemoryReport {
    return kvMemory(this.config, this.contextSize, this.batchSize);
  }
}

/** The hybrid-cache arithmetic: per layer and cell, K and V of nHeadKv·headDim f16 values. */
export function kvMemory(config: Gemma3Config, contextSize: number, batchSize: number): KvMemoryReport {
  const bytesPerCell = 2 * config.nHeadKv * config.headDim * 2;
  const localLayers = config.isLocal.filter(Boolean).length;
  const globalLayers = config.nLayer - localLayers;
  const localCells = Math.min(contextSize, config.slidingWindow + batchSize);
  const globalBytes = globalLayers * contextSize * bytesPerCell;
  const localBytes = localLayers * localCells * bytesPerCell;
  return { globalBytes, localBytes, totalBytes: globalBytes + localBytes, globalLayers, localLayers, globalCells: contextSize, localCells, bytesPerCell };
}
