// The Gemma 3 vision projector's hyperparameters ("mmproj" GGUF, projector type gemma3), read and checked the way
// llama.cpp's mtmd reads them (ENGINE-SPEC §6.4, §14). Everything the vision path computes comes from here.
import { GgufFormatError } from '../errors.js';
import { type GgufMetadata, getArray, getBool, getFloat, getInteger, getString, requireInteger } from '../gguf/index.js';
import type { Gemma3Config } from '../model/config.js';

export interface VisionConfig {
  /** Square input side in pixels (896). */
  imageSize: number;
  /** Patch side in pixels (14): the encoder sees (imageSize / patchSize)² patches. */
  patchSize: number;
  /** Encoder width W (1152 for SigLIP-So400m). */
  width: number;
  /** MLP width F (4304). */
  ffWidth: number;
  layers: number;
  heads: number;
  /** LayerNorm epsilon of the encoder, also the projector's RMSNorm epsilon. */
  eps: number;
  /** Text width the projection writes (must equal the language model's embedding length). */
  projectionDim: number;
  imageMean: [number, number, number];
  imageStd: [number, number, number];
  /** Average-pooling window per side over the patch grid (4: 64×64 patches → 16×16 = 256 tokens). */
  poolSize: number;
  /** Patches per side and image tokens per image, derived. */
  gridSide: number;
  tokensPerImage: number;
}

function bad(key: string, expected: string, found: string): GgufFormatError {
  return new GgufFormatError('bad-metadata-type', `metadata "${key}"`, expected, found, -1);
}

function triple(md: GgufMetadata, key: string): [number, number, number] {
  const array = getArray(md, key);
  if (!array) throw bad(key, 'an array of three floats', 'nothing');
  const values = Array.from(array.items as ArrayLike<number>, Number);
  if (values.length !== 3 || values.some((v) => !Number.isFinite(v))) throw bad(key, 'three finite numbers', `[${values.join(', ')}]`);
  return [values[0]!, values[1]!, values[2]!];
}

export function readVisionConfig(md: GgufMetadata): VisionConfig {
  const arch = getString(md, 'general.architecture');
  if (arch !== 'clip') throw bad('general.architecture', '"clip" (a vision projector file)', JSON.stringify(arch ?? null));
  const projector = getString(md, 'clip.projector_type');
  if (projector !== 'gemma3') throw bad('clip.projector_type', '"gemma3"', JSON.stringify(projector ?? null));
  if (getBool(md, 'clip.has_vision_encoder') !== true) throw bad('clip.has_vision_encoder', 'true', String(getBool(md, 'clip.has_vision_encoder')));
  // Without use_gelu llama.cpp silently switches the MLP to quick-GELU; Gemma 3 always uses the tanh GELU.
  if (getBool(md, 'clip.use_gelu') !== true) throw bad('clip.use_gelu', 'true (Gemma 3 uses the tanh GELU)', String(getBool(md, 'clip.use_gelu')));
  const imageSize = requireInteger(md, 'clip.vision.image_size');
  const patchSize = requireInteger(md, 'clip.vision.patch_size');
  const width = requireInteger(md, 'clip.vision.embedding_length');
  const ffWidth = requireInteger(md, 'clip.vision.feed_forward_length');
  const layers = requireInteger(md, 'clip.vision.block_count');
  const heads = requireInteger(md, 'clip.vision.attention.head_count');
  const projectionDim = requireInteger(md, 'clip.vision.projection_dim');
  const eps = getFloat(md, 'clip.vision.attention.layer_norm_epsilon') ?? 1e-6;
  const poolSize = getInteger(md, 'clip.vision.projector.scale_factor') ?? 4;
  for (const [key, v] of [['image_size', imageSize], ['patch_size', patchSize], ['embedding_length', width], ['feed_forward_length', ffWidth],
    ['block_count', layers], ['attention.head_count', heads], ['projection_dim', projectionDim], ['projector.scale_factor', poolSize]] as const) {
    if (!(v >= 1 && v <= 1 << 20)) throw bad(`clip.vision.${key}`, 'a positive size', String(v));
  }
  if (imageSize % patchSize !== 0) throw bad('clip.vision.patch_size', `a divisor of the image size ${imageSize}`, String(patchSize));
  const gridSide = imageSize / patchSize;
  if (gridSide % poolSize !== 0) throw bad('clip.vision.projector.scale_factor', `a divisor of the ${gridSide}-patch grid`, String(poolSize));
  if (width % heads !== 0) throw bad('clip.vision.attention.head_count', `a divisor of the width ${width}`, String(heads));
  if (!(eps > 0 && eps < 1)) throw bad('clip.vision.attention.layer_norm_epsilon', 'a small positive number', String(eps));
  return {
    imageSize, patchSize, width, ffWidth, layers, heads, eps, projectionDim,
    imageMean: triple(md, 'clip.vision.image_mean'), imageStd: triple(md, 'clip.vision.image_std'),
    poolSize, gridSide, tokensPerImage: (gridSide / poolSize) ** 2,
  };
}

/** Throws unless the projector writes vectors of the language model's width (a projector from another model size). */
export function checkProjectorFitsModel(vision: VisionConfig, text: Gemma3Config): void {
  if (vision.projectionDim !== text.nEmbd) {
    throw new GgufFormatError('projector-mismatch', 'the vision projector does not belong to this model',
      `a projection to the model's width ${text.nEmbd}`, `a projection to ${vision.projectionDim}`, -1);
  }
}
