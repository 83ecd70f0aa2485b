// A tensor of deterministic random values (by seed and name), quantized to its type and streamed to the GGUF
// writer a chunk of rows at a time, so multi-gigabyte models never sit in memory whole.
import type { GgufTensorSpec } from '../gguf/index.js';
import { type GgmlType, ggmlTypeInfo, quantize } from '../quant/index.js';
import { Random } from '../util/random.js';

/** Random rows, quantized to `type` and emitted a chunk of rows at a time (≈1M values per chunk). */
export function randomTensor(name: string, type: GgmlType, dims: number[], seed: number, amplitude: number, center = 0): GgufTensorSpec {
  const [rowLength, ...rest] = dims;
  const rows = rest.reduce((a, b) => a * b, 1);
  const info = ggmlTypeInfo(type)!;
  return {
    name,
    type,
    dims,
    data: (emit) => {
      const random = new Random(seed, name);
      const rowsPerChunk = Math.max(1, Math.floor((1 << 20) / rowLength!));
      const values = new Float32Array(rowsPerChunk * rowLength!);
      const bytes = new Uint8Array((values.length / info.blockSize) * info.typeSize);
      for (let row = 0; row < rows; row += rowsPerChunk) {
        const n = Math.min(rowsPerChunk, rows - row) * rowLength!;
        const chunk = values.subarray(0, n);
        random.fillUniform(chunk, amplitude, center);
        const size = (n / info.blockSize) * info.typeSize;
        quantize(type, chunk, 0, bytes, 0, n);
        emit(bytes.subarray(0, size));
      }
    },
  };
}
