// The native backend: matrix products of the types the addon implements run in C++ (SIMD, threads); everything
// else is the reference backend's. Each native kernel is tested against its reference twin.
import { GgmlType } from '../quant/index.js';
import type { WeightTensor } from './backend.js';
import { native } from './native/index.js';
import { ReferenceBackend } from './reference/index.js';

const NATIVE_TYPES = new Set([GgmlType.Q4_0, GgmlType.Q8_0]);

export interface NativeBackendOptions {
  /** Worker threads (default: all hardware threads, at most 8). */
  threads?: number;
  /** false runs the scalar twins of the SIMD kernels (for tests). */
  simd?: boolean;
}

export class NativeBackend extends ReferenceBackend {
  override readonly name: string = 'native';
  private readonly simd: boolean;

  constructor(options: NativeBackendOptions = {}) {
    super();
    if (!native) throw new Error('the native engine backend is not built (run `npm run build:native`)');
    native.setThreads(options.threads ?? Math.max(1, Math.min(8, native.features().hardwareThreads)));
    this.simd = options.simd ?? true;
  }

  override matmul(w: WeightTensor, x: Float32Array, n: number): Float32Array {
    if (!NATIVE_TYPES.has(w.type)) return super.matmul(w, x, n);
    const rows = w.dims[1] ?? 1;
    const out = new Float32Array(n * rows);
    native!.matmul(w.data, w.type, w.dims[0]!, rows, x, n, out, this.simd);
    return out;
  }
}
