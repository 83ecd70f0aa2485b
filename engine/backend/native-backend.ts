// The native backend: every operation of the forward pass runs in the C++ addon (SIMD, threads); only an
// f32 KV cache view the addon cannot read (q8_0) falls back to the reference attention. Each native kernel is
// tested against its reference twin (tests/unit/native-kernels.test.ts).
import type { AttentionParams, LayerKvView, WeightTensor } from './backend.js';
import { isMapped, native, type NativeAddon } from './native/index.js';
import { ReferenceBackend } from './reference/index.js';
import { ScratchArena } from './scratch-arena.js';

/** From this many tokens the AVX-512 VNNI pair tiles beat the row-interleaved kernel (measured: 7 tokens tie). */
const PROMPT_TILE_MIN = 8;

export interface NativeBackendOptions {
  /** Worker threads (default: the machine's physical cores). */
  threads?: number;
  /** false runs the scalar twins of the SIMD kernels (for tests). */
  simd?: boolean;
}

export class NativeBackend extends ReferenceBackend {
  override readonly name: string = 'native';
  private readonly simd: boolean;
  private readonly addon: NativeAddon;
  private readonly arena = new ScratchArena();
  private readonly repacked = new WeakMap<WeightTensor, Uint8Array>();
  private readonly vnni: boolean;

  constructor(options: NativeBackendOptions = {}) {
    super();
    if (!native) throw new Error('the native engine backend is not built (run `npm run build:native`)');
    this.addon = native;
    native.setThreads(options.threads ?? native.features().physicalCores);
    this.simd = options.simd ?? true;
    this.vnni = native.features().avx512vnni;
  }

  get threads(): number {
    return this.addon.features().threads;
  }

  /**
   * Q4_0 matrices get a row-interleaved copy (q4-rows8.h), used for decode and, on CPUs without AVX-512 VNNI, for
   * prompt batches too. With VNNI, prompt batches run faster on the original layout (the pair tiles), so both are
   * kept; without it the original's pages are released, when it is a view of the mapped file, so the weights are
   * resident once.
   */
  prepareWeight(w: WeightTensor): void {
    if (!this.simd || this.repacked.has(w)) return;
    const copy = new Uint8Array(w.data.length);
    if (!this.addon.repack(w.data, w.type, w.dims[0]!, w.dims[1] ?? 1, copy)) return;
    this.repacked.set(w, copy);
    if (!this.vnni && isMapped(w.data)) this.addon.releasePages(w.data, w.data.length);
  }

  override matmul(w: WeightTensor, x: Float32Array, n: number): Float32Array {
    const rows = w.dims[1] ?? 1;
    const out = this.arena.take(n * rows);
    const repacked = this.repacked.get(w);
    if (repacked && (n < PROMPT_TILE_MIN || !this.vnni)) this.addon.matmulRepacked(repacked, w.type, w.dims[0]!, rows, x, n, out);
    else this.addon.matmul(w.data, w.type, w.dims[0]!, rows, x, n, out, this.simd);
    return out;
  }

  override rmsNorm(x: Float32Array, rowLength: number, weight: Float32Array, eps: number): Float32Array {
    const out = this.arena.take(x.length);
    this.addon.rmsNorm(x, rowLength, weight, eps, out, this.simd);
    return out;
  }

  override rope(x: Float32Array, n: number, nHeads: number, headDim: number, positions: Int32Array, base: number, freqScale: number): void {
    this.addon.rope(x, n, nHeads, headDim, positions, base, freqScale);
  }

  override geglu(gate: Float32Array, up: Float32Array): Float32Array {
    const out = this.arena.take(gate.length);
    this.addon.geglu(gate, up, out, gate.length, this.simd);
    return out;
  }

  override attention(q: Float32Array, n: number, positions: Int32Array, kv: LayerKvView, params: AttentionParams): Float32Array {
    if (!kv.f16) return super.attention(q, n, positions, kv, params);
    const out = this.arena.take(n * params.nHead * params.headDim);
    this.addon.attention(q, n, positions, params.blocks ?? null, kv.f16.k, kv.f16.v, kv.cellPos, kv.cellBlocks,
      params.nHead, params.nHeadKv, params.headDim, params.window, out, this.simd);
    return out;
  }

  override layerNorm(x: Float32Array, rowLength: number, weight: Float32Array, bias: Float32Array, eps: number): Float32Array {
    const out = this.arena.take(x.length);
    this.addon.layerNorm(x, rowLength, weight, bias, eps, out);
    return out;
  }

  override geluInPlace(x: Float32Array): void {
    this.addon.geglu(x, null, x, x.length, this.simd);
  }

  override addRowsInPlace(x: Float32Array, bias: Float32Array): void {
    this.addon.addRows(x, x.length, bias, bias.length);
  }

  override addInPlace(a: Float32Array, b: Float32Array): void {
    this.addon.add(a, b, a.length);
  }

  override scaleInPlace(a: Float32Array, s: number): void {
    this.addon.scale(a, s, a.length);
  }

  beginScratch(): void {
    this.arena.begin();
  }

  endScratch(): void {
    this.arena.end();
  }

  encodeF16(src: Float32Array, dst: Uint16Array): void {
    this.addon.f32ToF16(src, dst, src.length);
  }
}
