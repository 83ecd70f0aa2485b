// The tensors of a Gemma 3 GGUF, by their GGUF names (ENGINE-SPEC §3.4), checked for presence and shape.
import { GgufFormatError } from '../errors.js';
import { type ByteSource, type GgufFile, type GgufTensorInfo } from '../gguf/index.js';
import { GgmlType, dequantize } from '../quant/index.js';
import type { WeightTensor } from '../backend/backend.js';
import { assertComputable } from '../backend/compute-types.js';
import type { Gemma3Config } from './config.js';

export interface LayerWeights {
  attnNorm: Float32Array;
  attnQ: WeightTensor;
  attnK: WeightTensor;
  attnV: WeightTensor;
  attnQNorm: Float32Array;
  attnKNorm: Float32Array;
  attnOutput: WeightTensor;
  postAttentionNorm: Float32Array;
  ffnNorm: Float32Array;
  ffnGate: WeightTensor;
  ffnUp: WeightTensor;
  ffnDown: WeightTensor;
  postFfwNorm: Float32Array;
}

export interface Gemma3Weights {
  tokenEmbd: WeightTensor;
  /** The output projection: `output.weight` when present, else the tied token embedding. */
  output: WeightTensor;
  outputNorm: Float32Array;
  layers: LayerWeights[];
}

export function loadGemma3Weights(file: GgufFile, source: ByteSource, config: Gemma3Config): Gemma3Weights {
  const byName = new Map(file.tensors.map((t) => [t.name, t]));
  const info = (name: string, dims: number[]): GgufTensorInfo => {
    const t = byName.get(name);
    if (!t) throw new GgufFormatError('bad-tensor-name', `tensor "${name}" is missing`, 'a Gemma 3 tensor of that name', 'nothing', -1);
    const actual = [...t.dims];
    while (actual.length > dims.length && actual.at(-1) === 1) actual.pop();
    if (actual.join(',') !== dims.join(',')) {
      throw new GgufFormatError('bad-tensor-shape', `tensor "${name}" has the wrong shape`, `[${dims.join(', ')}]`, `[${t.dims.join(', ')}]`, -1);
    }
    return t;
  };
  const matrix = (name: string, k: number, n: number): WeightTensor => {
    const t = info(name, [k, n]);
    assertComputable(name, t.type as GgmlType);
    return { name, type: t.type, dims: [k, n], data: source.read(t.fileOffset, t.nbytes) };
  };
  const vector = (name: string, n: number): Float32Array => {
    const t = info(name, [n]);
    const out = new Float32Array(n);
    dequantize(t.type as GgmlType, source.read(t.fileOffset, t.nbytes), 0, out, 0, n);
    return out;
  };
  const { nEmbd: d, headDim: hd, nFf: ff } = config;
  const qWidth = config.nHead * hd;
  const kvWidth = config.nHeadKv * hd;
  const tokenEmbd = matrix('token_embd.weight', d, config.nVocab);
  const layers: LayerWeights[] = [];
  for (let i = 0; i < config.nLayer; i++) {
    const p = `blk.${i}`;
    layers.push({
      attnNorm: vector(`${p}.attn_norm.weight`, d),
      attnQ: matrix(`${p}.attn_q.weight`, d, qWidth),
      attnK: matrix(`${p}.attn_k.weight`, d, kvWidth),
      attnV: matrix(`${p}.attn_v.weight`, d, kvWidth),
      attnQNorm: vector(`${p}.attn_q_norm.weight`, hd),
      attnKNorm: vector(`${p}.attn_k_norm.weight`, hd),
      attnOutput: matrix(`${p}.attn_output.weight`, qWidth, d),
      postAttentionNorm: vector(`${p}.post_attention_norm.weight`, d),
      ffnNorm: vector(`${p}.ffn_norm.weight`, d),
      ffnGate: matrix(`${p}.ffn_gate.weight`, d, ff),
      ffnUp: matrix(`${p}.ffn_up.weight`, d, ff),
      ffnDown: matrix(`${p}.ffn_down.weight`, ff, d),
      postFfwNorm: vector(`${p}.post_ffw_norm.weight`, d),
    });
  }
  const output = byName.has('output.weight') ? matrix('output.weight', d, config.nVocab) : tokenEmbd;
  return { tokenEmbd, output, outputNorm: vector('output_norm.weight', d), layers };
}
