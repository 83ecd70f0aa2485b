// Synthetic Gemma 3 GGUF files: the real tensor names, shapes and metadata llama.cpp expects, with random weights
// that are deterministic by seed. ref: ENGINE-SPEC §3.2–§3.5
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { type GgufMetadata, type GgufSpec, type GgufTensorSpec, gv, writeGgufFile } from '../gguf/index.js';
import { GgmlType, ggmlTypeInfo, ggmlTypeName } from '../quant/index.js';
import { randomTensor } from './random-tensor.js';
import type { Gemma3Shape } from './shapes.js';
import { type Vocab, realGemma3Vocab, syntheticVocab } from './vocab.js';

export interface Gemma3SynthOptions {
  shape: Gemma3Shape;
  /** 'synthetic' builds a vocabulary of shape.nVocab tokens; 'real' uses the Gemma 3 tokenizer (262144 or 262208). */
  vocab: 'synthetic' | 'real';
  matrixType: GgmlType;
  embeddingType: GgmlType;
  /** Multiplies the standard deviation of every random weight (1 keeps activations near unit scale). */
  weightScale: number;
  /** Spread of the token embeddings (default: weightScale). Larger makes the tied output logits sharper. */
  embeddingScale?: number;
  seed: number;
  name?: string;
}

export interface SynthResult {
  spec: GgufSpec;
  /** Tensors whose rows are not a multiple of 256 and so were written in llama-quantize's fallback type. */
  fallbacks: { name: string; requested: GgmlType; written: GgmlType }[];
}

/** llama-quantize's substitutes when a K-quant does not fit the row length (tensor_type_fallback). */
const K_QUANT_FALLBACK: Partial<Record<GgmlType, GgmlType>> = {
  [GgmlType.Q4_K]: GgmlType.Q5_0,
  [GgmlType.Q5_K]: GgmlType.Q5_1,
  [GgmlType.Q6_K]: GgmlType.Q8_0,
};

/** llama_ftype values for general.file_type. */
const FILE_TYPE: Partial<Record<GgmlType, number>> = {
  [GgmlType.F32]: 0, [GgmlType.F16]: 1, [GgmlType.Q4_0]: 2, [GgmlType.Q8_0]: 7,
  [GgmlType.Q4_K]: 15, [GgmlType.Q6_K]: 18, [GgmlType.BF16]: 32,
};

export const SYNTH_MATRIX_TYPES = [GgmlType.Q4_0, GgmlType.Q8_0, GgmlType.Q4_K, GgmlType.Q6_K, GgmlType.F16, GgmlType.BF16, GgmlType.F32];

function resolveVocab(options: Gemma3SynthOptions): Vocab {
  if (options.vocab === 'synthetic') return syntheticVocab(options.shape.nVocab);
  if (options.shape.nVocab !== 262144 && options.shape.nVocab !== 262208) {
    throw new RangeError(`the real Gemma 3 vocabulary has 262144 or 262208 tokens, the shape asks for ${options.shape.nVocab}`);
  }
  return realGemma3Vocab(options.shape.nVocab);
}

function metadataFor(shape: Gemma3Shape, vocab: Vocab, options: Gemma3SynthOptions): GgufMetadata {
  const md: GgufMetadata = new Map();
  md.set('general.architecture', gv.str('gemma3'));
  md.set('general.name', gv.str(options.name ?? 'quire-synthetic-gemma3'));
  md.set('general.file_type', gv.u32(FILE_TYPE[options.matrixType] ?? 0));
  md.set('general.quantization_version', gv.u32(2));
  md.set('gemma3.context_length', gv.u32(shape.contextLength));
  md.set('gemma3.embedding_length', gv.u32(shape.nEmbd));
  md.set('gemma3.block_count', gv.u32(shape.nLayer));
  md.set('gemma3.feed_forward_length', gv.u32(shape.nFf));
  md.set('gemma3.attention.head_count', gv.u32(shape.nHead));
  md.set('gemma3.attention.head_count_kv', gv.u32(shape.nHeadKv));
  md.set('gemma3.attention.key_length', gv.u32(shape.headDim));
  md.set('gemma3.attention.value_length', gv.u32(shape.headDim));
  md.set('gemma3.attention.layer_norm_rms_epsilon', gv.f32(shape.rmsEps));
  md.set('gemma3.attention.sliding_window', gv.u32(shape.slidingWindow));
  md.set('gemma3.rope.freq_base', gv.f32(shape.ropeFreqBase));
  md.set('gemma3.rope.freq_base_swa', gv.f32(shape.ropeFreqBaseSwa));
  if (shape.ropeScalingFactor !== undefined) {
    md.set('gemma3.rope.scaling.type', gv.str('linear'));
    md.set('gemma3.rope.scaling.factor', gv.f32(shape.ropeScalingFactor));
  }
  md.set('tokenizer.ggml.model', gv.str('llama'));
  md.set('tokenizer.ggml.pre', gv.str('default'));
  md.set('tokenizer.ggml.tokens', gv.strings(vocab.tokens));
  md.set('tokenizer.ggml.scores', gv.f32s(vocab.scores));
  md.set('tokenizer.ggml.token_type', gv.i32s(vocab.types));
  md.set('tokenizer.ggml.bos_token_id', gv.u32(vocab.bosId));
  md.set('tokenizer.ggml.eos_token_id', gv.u32(vocab.eosId));
  md.set('tokenizer.ggml.unknown_token_id', gv.u32(vocab.unkId));
  md.set('tokenizer.ggml.padding_token_id', gv.u32(vocab.padId));
  md.set('tokenizer.ggml.add_bos_token', gv.bool(true));
  md.set('tokenizer.ggml.add_eos_token', gv.bool(false));
  md.set('tokenizer.ggml.add_sep_token', gv.bool(false));
  md.set('tokenizer.ggml.add_space_prefix', gv.bool(false));
  md.set('tokenizer.chat_template', gv.str(vocab.chatTemplate));
  return md;
}

export function buildGemma3Spec(options: Gemma3SynthOptions): SynthResult {
  const { shape, seed, weightScale } = options;
  const vocab = resolveVocab(options);
  const fallbacks: SynthResult['fallbacks'] = [];
  const pick = (name: string, requested: GgmlType, rowLength: number): GgmlType => {
    const info = ggmlTypeInfo(requested)!;
    if (rowLength % info.blockSize === 0) return requested;
    const written = K_QUANT_FALLBACK[requested];
    if (written === undefined || rowLength % ggmlTypeInfo(written)!.blockSize !== 0) {
      throw new RangeError(`${ggmlTypeName(requested)} cannot hold ${name}: its rows have ${rowLength} elements`);
    }
    fallbacks.push({ name, requested, written });
    return written;
  };
  // Uniform(−a, a) has standard deviation a/√3: choose a so each matrix keeps unit-scale activations.
  const amplitudeFor = (fanIn: number): number => weightScale * Math.sqrt(3 / fanIn);
  const matrix = (name: string, rowLength: number, rows: number): GgufTensorSpec =>
    randomTensor(name, pick(name, options.matrixType, rowLength), [rowLength, rows], seed, amplitudeFor(rowLength));
  // Stored norm weights already include Gemma's +1 (ENGINE-SPEC §3.5): values near 1.
  const norm = (name: string, length: number): GgufTensorSpec => randomTensor(name, GgmlType.F32, [length], seed, 0.1 * weightScale, 1);

  const d = shape.nEmbd;
  const qWidth = shape.nHead * shape.headDim;
  const kvWidth = shape.nHeadKv * shape.headDim;
  const tensors: GgufTensorSpec[] = [
    randomTensor('token_embd.weight', pick('token_embd.weight', options.embeddingType, d), [d, vocab.tokens.length], seed,
      (options.embeddingScale ?? weightScale) * Math.sqrt(3 / d)),
    norm('output_norm.weight', d),
  ];
  for (let i = 0; i < shape.nLayer; i++) {
    const p = `blk.${i}`;
    tensors.push(
      norm(`${p}.attn_norm.weight`, d),
      matrix(`${p}.attn_q.weight`, d, qWidth),
      matrix(`${p}.attn_k.weight`, d, kvWidth),
      matrix(`${p}.attn_v.weight`, d, kvWidth),
      norm(`${p}.attn_q_norm.weight`, shape.headDim),
      norm(`${p}.attn_k_norm.weight`, shape.headDim),
      matrix(`${p}.attn_output.weight`, qWidth, d),
      norm(`${p}.post_attention_norm.weight`, d),
      norm(`${p}.ffn_norm.weight`, d),
      matrix(`${p}.ffn_gate.weight`, d, shape.nFf),
      matrix(`${p}.ffn_up.weight`, d, shape.nFf),
      matrix(`${p}.ffn_down.weight`, shape.nFf, d),
      norm(`${p}.post_ffw_norm.weight`, d),
    );
  }
  return { spec: { metadata: metadataFor(shape, vocab, options), tensors }, fallbacks };
}

export interface WrittenModel extends SynthResult {
  path: string;
  bytes: number;
  /** SHA-256 of each tensor's bytes as written, so a reader can be checked against the writer. */
  tensorDigests: Map<string, string>;
}

/** Writes a synthetic model to `path` and returns what was written; `onTensor` reports progress. */
export function synthesizeGemma3(
  path: string, options: Gemma3SynthOptions, onTensor?: (index: number, total: number, name: string) => void,
): WrittenModel {
  const result = buildGemma3Spec(options);
  const tensorDigests = new Map<string, string>();
  const hashed: GgufSpec = {
    metadata: result.spec.metadata,
    tensors: result.spec.tensors.map((t, index, all) => ({
      ...t,
      data: (emit: (chunk: Uint8Array) => void) => {
        onTensor?.(index, all.length, t.name);
        const hash = createHash('sha256');
        const forward = (chunk: Uint8Array): void => {
          hash.update(chunk);
          emit(chunk);
        };
        if (t.data instanceof Uint8Array) forward(t.data);
        else t.data(forward);
        tensorDigests.set(t.name, hash.digest('hex'));
      },
    })),
  };
  writeGgufFile(path, hashed);
  return { ...result, path, bytes: statSync(path).size, tensorDigests };
}
