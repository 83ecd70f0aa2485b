// The native addon, if it was built. Nothing here throws at import: callers check `native` and fall back.
import { createRequire } from 'node:module';

export interface NativeFeatures {
  avx2: boolean;
  /** AVX-512 F/VL in use (detected and allowed). */
  avx512: boolean;
  avx512vnni: boolean;
  neonDot: boolean;
  hardwareThreads: number;
  physicalCores: number;
  /** Threads of the pool now (physical cores until setThreads). */
  threads: number;
}

/** The addon's kernels (engine/backend/native/src/addon.cc); each writes into `out`, which the caller owns. */
export interface NativeAddon {
  mmapFile(path: string): ArrayBuffer;
  matmul(w: Uint8Array, type: number, k: number, rows: number, x: Float32Array, n: number, out: Float32Array, allowSimd: boolean): void;
  /** Fills `out` (w's size) with the row-interleaved copy and returns true, or false if there is none on this CPU. */
  repack(w: Uint8Array, type: number, k: number, rows: number, out: Uint8Array): boolean;
  matmulRepacked(repacked: Uint8Array, type: number, k: number, rows: number, x: Float32Array, n: number, out: Float32Array): void;
  /** Drops the whole pages of a view of a mapped file from resident memory (see isMapped). */
  releasePages(view: Uint8Array, length: number): void;
  rmsNorm(x: Float32Array, rowLength: number, weight: Float32Array, eps: number, out: Float32Array, allowSimd: boolean): void;
  rope(x: Float32Array, n: number, heads: number, headDim: number, positions: Int32Array, base: number, freqScale: number): void;
  /** up = null gives plain GELU. */
  geglu(gate: Float32Array, up: Float32Array | null, out: Float32Array, count: number, allowSimd: boolean): void;
  layerNorm(x: Float32Array, rowLength: number, weight: Float32Array, bias: Float32Array, eps: number, out: Float32Array): void;
  addRows(x: Float32Array, count: number, bias: Float32Array, biasLength: number): void;
  add(a: Float32Array, b: Float32Array, count: number): void;
  scale(a: Float32Array, s: number, count: number): void;
  f32ToF16(x: Float32Array, out: Uint16Array, count: number): void;
  attention(q: Float32Array, n: number, positions: Int32Array, blocks: Int32Array | null, k: Uint16Array, v: Uint16Array,
    cellPos: Int32Array, cellBlocks: Int32Array, heads: number, kvHeads: number, headDim: number, window: number,
    out: Float32Array, allowSimd: boolean): void;
  setThreads(n: number): void;
  features(): NativeFeatures;
  /** Lets the AVX-512 kernels run (default where the CPU has them) or not: the AVX2 ones on the same machine. */
  allowAvx512(allowed: boolean): void;
}

const require = createRequire(import.meta.url);

function load(): { addon?: NativeAddon; error?: string } {
  try {
    return { addon: require('./build/Release/quire_native.node') as NativeAddon };
  } catch (error) {
    return { error: error instanceof Error ? error.message.split('\n')[0] : String(error) };
  }
}

const loaded = load();
const mapped = new WeakSet<ArrayBufferLike>();

/** The addon, or undefined when it was not built (see `nativeLoadError`). mmapFile remembers what it mapped. */
// (The addon's functions are read-only and non-enumerable: the wrapper inherits them and defines its own mmapFile.)
export const native: NativeAddon | undefined = loaded.addon && Object.create(loaded.addon, {
  mmapFile: {
    value(path: string): ArrayBuffer {
      const buffer = loaded.addon!.mmapFile(path);
      mapped.add(buffer);
      return buffer;
    },
  },
}) as NativeAddon;

/** Whether a view lies in a file mapped by native.mmapFile (so releasePages only drops cached file pages). */
export function isMapped(view: Uint8Array): boolean {
  return mapped.has(view.buffer);
}
export const nativeLoadError: string | undefined = loaded.error;
