// The tensors of a Gemma 3 vision projector GGUF by their names (ENGINE-SPEC §6.4, §14), checked for presence and
// shape. Matrices stay in their stored type (views of the file); norms, biases and embeddings are read as f32.
import { UnsupportedTensorTypeError } from '../errors.js';
import { type ByteSource, type GgufFile } from '../gguf/index.js';
import { GgmlType, f32ToF16Bits, ggmlTypeName } from '../quant/index.js';
import type { WeightTensor } from '../backend/backend.js';
import { assertComputable } from '../backend/compute-types.js';
import { TensorTable } from '../model/tensor-table.js';
import type { VisionConfig } from './config.js';

export interface VisionLayerWeights {
  ln1Weight: Float32Array;
  ln1Bias: Float32Array;
  q: WeightTensor; qBias: Float32Array;
  k: WeightTensor; kBias: Float32Array;
  v: WeightTensor; vBias: Float32Array;
  out: WeightTensor; outBias: Float32Array;
  ln2Weight: Float32Array;
  ln2Bias: Float32Array;
  /** fc1: width → ffWidth. */
  up: WeightTensor; upBias: Float32Array;
  /** fc2: ffWidth → width. */
  down: WeightTensor; downBias: Float32Array;
}

export interface VisionWeights {
  /** Conv2d kernel as a matrix: [patch·patch·3] → width, rows in ggml order (x fastest, then y, then channel). */
  patchEmbd: WeightTensor;
  patchBias: Float32Array;
  /** [patches, width] learned position embedding, added by patch index. */
  positionEmbd: Float32Array;
  layers: VisionLayerWeights[];
  postLnWeight: Float32Array;
  postLnBias: Float32Array;
  /** Gemma-style RMSNorm weight, stored with its +1. */
  softEmbNorm: Float32Array;
  /** width → text width (no bias). */
  projection: WeightTensor;
}

export function loadVisionWeights(file: GgufFile, source: ByteSource, config: VisionConfig): VisionWeights {
  const table = new TensorTable(file, source);
  const { width: w, ffWidth: f, patchSize: p } = config;
  const patches = config.gridSide ** 2;
  const vec = (name: string, n: number): Float32Array => table.floats(name, [n]);
  const layers: VisionLayerWeights[] = [];
  for (let i = 0; i < config.layers; i++) {
    const b = `v.blk.${i}`;
    // Files from the first Gemma 3 converter have fc1/fc2 under each other's names; as llama.cpp does, tell them
    // apart by shape: fc1 is the one whose rows have the encoder width.
    const swapped = table.dims(`${b}.ffn_down.weight`)?.[0] === w && w !== f;
    const [upName, downName] = swapped ? ['ffn_down', 'ffn_up'] : ['ffn_up', 'ffn_down'];
    layers.push({
      ln1Weight: vec(`${b}.ln1.weight`, w), ln1Bias: vec(`${b}.ln1.bias`, w),
      q: table.matrix(`${b}.attn_q.weight`, w, w), qBias: vec(`${b}.attn_q.bias`, w),
      k: table.matrix(`${b}.attn_k.weight`, w, w), kBias: vec(`${b}.attn_k.bias`, w),
      v: table.matrix(`${b}.attn_v.weight`, w, w), vBias: vec(`${b}.attn_v.bias`, w),
      out: table.matrix(`${b}.attn_out.weight`, w, w), outBias: vec(`${b}.attn_out.bias`, w),
      ln2Weight: vec(`${b}.ln2.weight`, w), ln2Bias: vec(`${b}.ln2.bias`, w),
      up: table.matrix(`${b}.${upName}.weight`, w, f), upBias: vec(`${b}.${upName}.bias`, f),
      down: table.matrix(`${b}.${downName}.weight`, f, w), downBias: vec(`${b}.${downName}.bias`, w),
    });
  }
  const patchInfo = table.info('v.patch_embd.weight', [p, p, 3, w]);
  assertComputable('v.patch_embd.weight', patchInfo.type);
  return {
    // The 4-D kernel [p, p, 3, w] is, row by row, a [p·p·3, w] matrix: each output channel's weights contiguous.
    patchEmbd: { name: 'v.patch_embd.weight', type: patchInfo.type, dims: [p * p * 3, w], data: source.read(patchInfo.fileOffset, patchInfo.nbytes) },
    patchBias: vec('v.patch_embd.bias', w),
    positionEmbd: table.floats('v.position_embd.weight', [w, patches]),
    layers,
    postLnWeight: vec('v.post_ln.weight', w),
    postLnBias: vec('v.post_ln.bias', w),
    softEmbNorm: vec('mm.soft_emb_norm.weight', w),
    projection: transposedProjection(table, w, config.projectionDim),
  };
}

/**
 * The projection is stored as ne = [text width, encoder width] — the transpose of a matmul weight, which llama.cpp
 * transposes before multiplying. Quire does the same once at load, keeping the stored f16 (or f32) values exactly.
 * llama.cpp produces garbage from a quantized projection, so one is refused.
 */
function transposedProjection(table: TensorTable, width: number, textWidth: number): WeightTensor {
  const name = 'mm.input_projection.weight';
  const type = table.info(name, [textWidth, width]).type;
  if (type !== GgmlType.F16 && type !== GgmlType.F32) {
    throw new UnsupportedTensorTypeError(type, `tensor "${name}" is ${ggmlTypeName(type)}`, 'F16 or F32 (the converter writes F16)');
  }
  const stored = table.floats(name, [textWidth, width]);          // stored[i·textWidth + j] = P[i][j]
  const bytes = new Uint8Array(width * textWidth * (type === GgmlType.F16 ? 2 : 4));
  const f16 = new Uint16Array(bytes.buffer);
  const f32 = new Float32Array(type === GgmlType.F32 ? bytes.buffer : new ArrayBuffer(0));
  for (let j = 0; j < textWidth; j++) {
    for (let i = 0; i < width; i++) {
      const v = stored[i * textWidth + j]!;
      if (type === GgmlType.F16) f16[j * width + i] = f32ToF16Bits(v);
      else f32[j * width + i] = v;
    }
  }
  return { name, type, dims: [width, textWidth], data: bytes };
}
