// Tensors of a GGUF by name, checked for presence, shape and (for matrices) a type the backends compute with.
// Shared by the text model and the vision projector loaders.
import { GgufFormatError } from '../errors.js';
import { type ByteSource, type GgufFile, type GgufTensorInfo } from '../gguf/index.js';
import { GgmlType, dequantize } from '../quant/index.js';
import type { WeightTensor } from '../backend/backend.js';
import { assertComputable } from '../backend/compute-types.js';

export class TensorTable {
  private readonly byName: Map<string, GgufTensorInfo>;

  constructor(file: GgufFile, private readonly source: ByteSource) {
    this.byName = new Map(file.tensors.map((t) => [t.name, t]));
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** The tensor's info; trailing 1-dims in the file are ignored when comparing with `dims`. */
  info(name: string, dims: number[]): GgufTensorInfo {
    const t = this.byName.get(name);
    if (!t) throw new GgufFormatError('bad-tensor-name', `tensor "${name}" is missing`, 'a tensor of that name', 'nothing', -1);
    const actual = [...t.dims];
    while (actual.length > dims.length && actual.at(-1) === 1) actual.pop();
    if (actual.join(',') !== dims.join(',')) {
      throw new GgufFormatError('bad-tensor-shape', `tensor "${name}" has the wrong shape`, `[${dims.join(', ')}]`, `[${t.dims.join(', ')}]`, -1);
    }
    return t;
  }

  /** The dims of a tensor as stored (trailing 1-dims dropped), or undefined when absent. */
  dims(name: string): number[] | undefined {
    const t = this.byName.get(name);
    if (!t) return undefined;
    const d = [...t.dims];
    while (d.length > 1 && d.at(-1) === 1) d.pop();
    return d;
  }

  /** A weight matrix of `n` rows of length `k`, left in its stored type (a view of the source, not a copy). */
  matrix(name: string, k: number, n: number): WeightTensor {
    const t = this.info(name, [k, n]);
    assertComputable(name, t.type as GgmlType);
    return { name, type: t.type, dims: [k, n], data: this.source.read(t.fileOffset, t.nbytes) };
  }

  /** A tensor of any shape, dequantized to f32 (norms, biases, embeddings the forward pass reads directly). */
  floats(name: string, dims: number[]): Float32Array {
    const t = this.info(name, dims);
    const n = dims.reduce((a, b) => a * b, 1);
    const out = new Float32Array(n);
    dequantize(t.type as GgmlType, this.source.read(t.fileOffset, t.nbytes), 0, out, 0, n);
    return out;
  }
}
