// Gemma 3's hybrid KV cache (ENGINE-SPEC §8): global layers keep every position of the context; sliding-window
// layers keep a ring of window + batch cells, enough for any query in a batch to see its W most recent keys.
// K and V are stored as f16 (llama.cpp's default) or, optionally, q8_0 (34 bytes per 32 values, 0.53× the
// memory). Global storage grows on demand; memory() reports what the full context reserves.
import { F16_TO_F32, GgmlType, dequantize, f32ToF16Bits, quantize } from '../quant/index.js';
import type { LayerKvView } from '../backend/backend.js';
import type { Gemma3Config } from './config.js';

export type KvCacheType = 'f16' | 'q8_0';

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
  /** K and V of one cell in one layer. */
  bytesPerCell: number;
  kvType: KvCacheType;
}

/** Bytes of one row of `width` values (K or V of one cell). */
function rowBytes(type: KvCacheType, width: number): number {
  return type === 'f16' ? width * 2 : (width / 32) * 34;
}

/** f32 → binary16 bits for a whole row (a backend's fast version, else the table-free reference). */
export type F16Encoder = (src: Float32Array, dst: Uint16Array) => void;

class LayerCache implements LayerKvView {
  private k: Uint8Array;
  private v: Uint8Array;
  f16?: { k: Uint16Array; v: Uint16Array };
  cellPos: Int32Array;
  cellBlocks: Int32Array;
  nCells: number;
  private readonly rowBytes: number;
  private readonly headBytes: number;

  constructor(readonly capacity: number, readonly ring: boolean, readonly kvWidth: number, readonly headDim: number, readonly type: KvCacheType,
    private readonly encodeF16?: F16Encoder) {
    this.rowBytes = rowBytes(type, kvWidth);
    this.headBytes = rowBytes(type, headDim);
    // Rings are small (window + batch): allocate them whole. Global layers start small and double as needed.
    this.nCells = ring ? capacity : Math.min(capacity, 256);
    this.k = new Uint8Array(this.nCells * this.rowBytes);
    this.v = new Uint8Array(this.nCells * this.rowBytes);
    this.cellPos = new Int32Array(this.nCells).fill(-1);
    this.cellBlocks = new Int32Array(this.nCells);
    this.viewF16();
  }

  private viewF16(): void {
    if (this.type === 'f16') this.f16 = { k: new Uint16Array(this.k.buffer), v: new Uint16Array(this.v.buffer) };
  }

  private grow(cells: number): void {
    let size = this.nCells;
    while (size < cells) size = Math.min(this.capacity, size * 2);
    const resize = <T extends Uint8Array | Int32Array>(old: T, make: (n: number) => T, n: number): T => {
      const next = make(n);
      next.set(old);
      return next;
    };
    this.k = resize(this.k, (n) => new Uint8Array(n), size * this.rowBytes);
    this.v = resize(this.v, (n) => new Uint8Array(n), size * this.rowBytes);
    this.cellPos = resize(this.cellPos, (n) => new Int32Array(n).fill(-1), size);
    this.cellBlocks = resize(this.cellBlocks, (n) => new Int32Array(n), size);
    this.nCells = size;
    this.viewF16();
  }

  private write(dst: Uint8Array, cell: number, src: Float32Array, t: number): void {
    const o = cell * this.rowBytes;
    if (this.type === 'f16' && this.encodeF16) {
      const w = this.kvWidth;
      this.encodeF16(src.subarray(t * w, (t + 1) * w), new Uint16Array(dst.buffer, dst.byteOffset + o, w));
      return;
    }
    if (this.type === 'q8_0') {
      quantize(GgmlType.Q8_0, src, t * this.kvWidth, dst, o, this.kvWidth);
      return;
    }
    for (let i = 0; i < this.kvWidth; i++) {
      const bits = f32ToF16Bits(src[t * this.kvWidth + i]!);
      dst[o + 2 * i] = bits & 0xff;
      dst[o + 2 * i + 1] = bits >> 8;
    }
  }

  private read(src: Uint8Array, cell: number, kvHead: number, out: Float32Array): void {
    const o = cell * this.rowBytes + kvHead * this.headBytes;
    if (this.type === 'q8_0') {
      dequantize(GgmlType.Q8_0, src, o, out, 0, this.headDim);
      return;
    }
    for (let i = 0; i < this.headDim; i++) out[i] = F16_TO_F32[src[o + 2 * i]! | (src[o + 2 * i + 1]! << 8)]!;
  }

  readKey(cell: number, kvHead: number, out: Float32Array): void {
    this.read(this.k, cell, kvHead, out);
  }

  readValue(cell: number, kvHead: number, out: Float32Array): void {
    this.read(this.v, cell, kvHead, out);
  }

  store(k: Float32Array, v: Float32Array, positions: Int32Array, blocks: Int32Array | undefined): void {
    for (let t = 0; t < positions.length; t++) {
      const pos = positions[t]!;
      const cell = this.ring ? pos % this.capacity : pos;
      if (cell >= this.nCells) this.grow(cell + 1);
      this.write(this.k, cell, k, t);
      this.write(this.v, cell, v, t);
      this.cellPos[cell] = pos;
      this.cellBlocks[cell] = blocks?.[t] ?? 0;
    }
  }

  /** Forgets every position ≥ `from` (used to roll a session back). */
  truncate(from: number): void {
    for (let c = 0; c < this.nCells; c++) if (this.cellPos[c]! >= from) this.cellPos[c] = -1;
  }

  /** The cells as they are (views, not copies): what a snapshot saves. */
  state(): LayerKvState {
    return { nCells: this.nCells, cellPos: this.cellPos, cellBlocks: this.cellBlocks, k: this.k, v: this.v };
  }

  /** Takes back a state() of a layer of the same shape (copied, so the source can be dropped). */
  load(state: LayerKvState): void {
    if (state.nCells > this.capacity || state.k.length !== state.nCells * this.rowBytes || state.v.length !== state.k.length ||
      state.cellPos.length !== state.nCells || state.cellBlocks.length !== state.nCells || (this.ring && state.nCells !== this.capacity)) {
      throw new RangeError('the saved KV cells do not fit this cache');
    }
    this.nCells = state.nCells;
    this.k = Uint8Array.from(state.k);
    this.v = Uint8Array.from(state.v);
    this.cellPos = Int32Array.from(state.cellPos);
    this.cellBlocks = Int32Array.from(state.cellBlocks);
    this.viewF16();
  }
}

/** One layer's cells: positions, image blocks, and the raw K and V rows (f16 or q8_0 bytes). */
export interface LayerKvState {
  nCells: number;
  cellPos: Int32Array;
  cellBlocks: Int32Array;
  k: Uint8Array;
  v: Uint8Array;
}

export class HybridKvCache {
  private readonly layers: LayerCache[];
  readonly localCells: number;

  constructor(readonly config: Gemma3Config, readonly contextSize: number, readonly batchSize: number, readonly type: KvCacheType = 'f16',
    encodeF16?: F16Encoder) {
    const kvWidth = config.nHeadKv * config.headDim;
    if (type === 'q8_0' && config.headDim % 32 !== 0) {
      throw new RangeError(`a q8_0 KV cache needs a head size that is a multiple of 32, this model has ${config.headDim}`);
    }
    this.localCells = Math.min(contextSize, config.slidingWindow + batchSize);
    this.layers = config.isLocal.map((local) => new LayerCache(local ? this.localCells : contextSize, local, kvWidth, config.headDim, type, encodeF16));
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

  get layerCount(): number {
    return this.layers.length;
  }

  memory(): KvMemoryReport {
    return kvMemory(this.config, this.contextSize, this.batchSize, this.type);
  }
}

/** The hybrid-cache arithmetic: per layer and cell, K and V rows of nHeadKv·headDim values. */
export function kvMemory(config: Gemma3Config, contextSize: number, batchSize: number, kvType: KvCacheType = 'f16'): KvMemoryReport {
  const bytesPerCell = 2 * rowBytes(kvType, config.nHeadKv * config.headDim);
  const localLayers = config.isLocal.filter(Boolean).length;
  const globalLayers = config.nLayer - localLayers;
  const localCells = Math.min(contextSize, config.slidingWindow + batchSize);
  const globalBytes = globalLayers * contextSize * bytesPerCell;
  const localBytes = localLayers * localCells * bytesPerCell;
  return { globalBytes, localBytes, totalBytes: globalBytes + localBytes, globalLayers, localLayers, globalCells: contextSize, localCells, bytesPerCell, kvType };
}
