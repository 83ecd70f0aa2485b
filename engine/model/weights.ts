// The tensors of a Gemma 3 GGUF, by their GGUF names (ENGINE-SPEC §3.4), checked for presence and shape.
import { type ByteSource, type GgufFile } from '../gguf/index.js';
import type { WeightTensor } from '../backend/backend.js';
import type { Gemma3Config } from './config.js';
import { TensorTable } from './tensor-table.js';

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
  const table = new TensorTable(file, source);
  const matrix = (name: string, k: number, n: number): WeightTensor => table.matrix(name, k, n);
  const vector = (name: string, n: number): Float32Array => table.floats(name, [n]);
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
  const output = table.has('output.weight') ? matrix('output.weight', d, config.nVocab) : tokenEmbd;
  return { tokenEmbd, output, outputNorm: vector('output_norm.weight', d), layers };
}
