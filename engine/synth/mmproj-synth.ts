// Synthetic Gemma 3 vision projector ("mmproj") GGUFs: the keys, value types, tensor names and shapes llama.cpp's
// mtmd accepts for projector type gemma3 (ENGINE-SPEC §6.4, §14), with random weights deterministic by seed.
import { type GgufMetadata, type GgufSpec, type GgufTensorSpec, gv, writeGgufFile } from '../gguf/index.js';
import { GgmlType, ggmlTypeInfo, ggmlTypeName } from '../quant/index.js';
import type { VisionConfig } from '../vision/config.js';
import { randomTensor } from './random-tensor.js';

/** The dimensions of a projector, as its config names them (pool size is written only when ≠ 4, as the converter does). */
export type VisionShape = Pick<VisionConfig, 'imageSize' | 'patchSize' | 'width' | 'ffWidth' | 'layers' | 'heads' | 'poolSize'>;

export const VISION_PRESETS = {
  /** Small widths, few layers: what golden tests run through llama.cpp in seconds. */
  tiny: { imageSize: 896, patchSize: 14, width: 128, ffWidth: 320, layers: 2, heads: 2, poolSize: 4 },
  /** SigLIP-So400m as Gemma 3 4B/12B/27B ship it. */
  so400m: { imageSize: 896, patchSize: 14, width: 1152, ffWidth: 4304, layers: 27, heads: 16, poolSize: 4 },
} as const satisfies Record<string, VisionShape>;

export interface MmprojSynthOptions {
  shape: VisionShape;
  /** The language model's embedding width the projection writes. */
  textWidth: number;
  /** Type of the encoder's block matrices (F16, F32, Q8_0, Q4_0); rows that do not fit a block stay F16. */
  matrixType: GgmlType;
  /** Spread of every random weight relative to unit-scale activations (default 1). */
  weightScale?: number;
  seed: number;
}

export const MMPROJ_MATRIX_TYPES = [GgmlType.F16, GgmlType.F32, GgmlType.Q8_0, GgmlType.Q4_0];

function metadata(shape: VisionShape, textWidth: number): GgufMetadata {
  const md: GgufMetadata = new Map();
  // Exact value types matter: llama.cpp aborts on an INT32 where it reads a UINT32.
  md.set('general.architecture', gv.str('clip'));
  md.set('general.type', gv.str('mmproj'));
  md.set('general.name', gv.str('quire-synthetic-gemma3-mmproj'));
  md.set('clip.projector_type', gv.str('gemma3'));
  md.set('clip.has_vision_encoder', gv.bool(true));
  md.set('clip.use_gelu', gv.bool(true));
  md.set('clip.vision.image_size', gv.u32(shape.imageSize));
  md.set('clip.vision.patch_size', gv.u32(shape.patchSize));
  md.set('clip.vision.embedding_length', gv.u32(shape.width));
  md.set('clip.vision.feed_forward_length', gv.u32(shape.ffWidth));
  md.set('clip.vision.block_count', gv.u32(shape.layers));
  md.set('clip.vision.attention.head_count', gv.u32(shape.heads));
  md.set('clip.vision.attention.layer_norm_epsilon', gv.f32(1e-6));
  md.set('clip.vision.projection_dim', gv.u32(textWidth));
  md.set('clip.vision.image_mean', gv.f32s(Float32Array.of(0.5, 0.5, 0.5)));
  md.set('clip.vision.image_std', gv.f32s(Float32Array.of(0.5, 0.5, 0.5)));
  if (shape.poolSize !== 4) md.set('clip.vision.projector.scale_factor', gv.u32(shape.poolSize));
  return md;
}

export function buildMmprojSpec(options: MmprojSynthOptions): GgufSpec {
  const { shape, textWidth, seed } = options;
  const { width: w, ffWidth: f, patchSize: p } = shape;
  if (w === f) throw new RangeError('the MLP width must differ from the encoder width (llama.cpp would swap fc1 and fc2)');
  if (w % shape.heads !== 0) throw new RangeError(`width ${w} is not a multiple of ${shape.heads} heads`);
  const scale = options.weightScale ?? 1;
  const patches = (shape.imageSize / p) ** 2;
  const amplitude = (fanIn: number): number => scale * Math.sqrt(3 / fanIn);
  const fits = (type: GgmlType, rowLength: number): boolean => rowLength % ggmlTypeInfo(type)!.blockSize === 0;
  const matrix = (name: string, rowLength: number, rows: number): GgufTensorSpec =>
    randomTensor(name, fits(options.matrixType, rowLength) ? options.matrixType : GgmlType.F16, [rowLength, rows], seed, amplitude(rowLength));
  const f32 = (name: string, dims: number[], spread: number, center = 0): GgufTensorSpec => randomTensor(name, GgmlType.F32, dims, seed, spread, center);
  const tensors: GgufTensorSpec[] = [
    // Patch kernel and position embedding in f32 (llama.cpp aborts on an f16 position embedding).
    f32('v.patch_embd.weight', [p, p, 3, w], amplitude(p * p * 3)),
    f32('v.patch_embd.bias', [w], 0.02 * scale),
    f32('v.position_embd.weight', [w, patches], 0.5 * scale),
  ];
  for (let i = 0; i < shape.layers; i++) {
    const b = `v.blk.${i}`;
    tensors.push(
      f32(`${b}.ln1.weight`, [w], 0.1 * scale, 1), f32(`${b}.ln1.bias`, [w], 0.02 * scale),
      matrix(`${b}.attn_q.weight`, w, w), f32(`${b}.attn_q.bias`, [w], 0.02 * scale),
      matrix(`${b}.attn_k.weight`, w, w), f32(`${b}.attn_k.bias`, [w], 0.02 * scale),
      matrix(`${b}.attn_v.weight`, w, w), f32(`${b}.attn_v.bias`, [w], 0.02 * scale),
      matrix(`${b}.attn_out.weight`, w, w), f32(`${b}.attn_out.bias`, [w], 0.02 * scale),
      f32(`${b}.ln2.weight`, [w], 0.1 * scale, 1), f32(`${b}.ln2.bias`, [w], 0.02 * scale),
      matrix(`${b}.ffn_up.weight`, w, f), f32(`${b}.ffn_up.bias`, [f], 0.02 * scale),
      matrix(`${b}.ffn_down.weight`, f, w), f32(`${b}.ffn_down.bias`, [w], 0.02 * scale),
    );
  }
  tensors.push(
    f32('v.post_ln.weight', [w], 0.1 * scale, 1), f32('v.post_ln.bias', [w], 0.02 * scale),
    f32('mm.soft_emb_norm.weight', [w], 0.1 * scale, 1),                       // stored with Gemma's +1
    randomTensor('mm.input_projection.weight', GgmlType.F16, [textWidth, w], seed, amplitude(w)),  // ne = [T, W], f16
  );
  return { metadata: metadata(shape, textWidth), tensors };
}

export function synthesizeMmproj(path: string, options: MmprojSynthOptions): { path: string; tensors: number } {
  if (!MMPROJ_MATRIX_TYPES.includes(options.matrixType)) {
    throw new RangeError(`matrix type ${ggmlTypeName(options.matrixType)} is not one of ${MMPROJ_MATRIX_TYPES.map(ggmlTypeName).join(', ')}`);
  }
  const spec = buildMmprojSpec(options);
  writeGgufFile(path, spec);
  return { path, tensors: spec.tensors.length };
}
