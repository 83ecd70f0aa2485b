// The native addon, if it was built. Nothing here throws at import: callers check `native` and fall back.
import { createRequire } from 'node:module';

export interface NativeAddon {
  mmapFile(path: string): ArrayBuffer;
  matmul(w: Uint8Array, type: number, k: number, rows: number, x: Float32Array, n: number, out: Float32Array, allowSimd: boolean): void;
  setThreads(n: number): void;
  features(): { avx2: boolean; hardwareThreads: number };
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

/** The addon, or undefined when it was not built (see `nativeLoadError`). */
export const native: NativeAddon | undefined = loaded.addon;
export const nativeLoadError: string | undefined = loaded.error;
