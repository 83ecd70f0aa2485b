// Gemma 3 hyperparameters, read from GGUF metadata exactly as llama.cpp reads them (ENGINE-SPEC §3.2), and the
// named presets they are checked against. Nothing in the forward pass is hard-coded: it all comes from here.
import { GgufFormatError } from '../errors.js';
import { type GgufMetadata, GgufType, getArray, getFloat, getInteger, getString, requireInteger } from '../gguf/index.js';

export interface Gemma3Config {
  nLayer: number;
  nEmbd: number;
  nFf: number;
  nHead: number;
  nHeadKv: number;
  headDim: number;
  nVocab: number;
  contextLength: number;
  rmsEps: number;
  /** Sliding window W of local layers: a query at p sees keys p−W+1 … p. */
  slidingWindow: number;
  /** Per layer: true for sliding-window (local) layers, false for global layers. */
  isLocal: boolean[];
  ropeFreqBase: number;
  ropeFreqBaseSwa: number;
  /** 1/factor for linear scaling on global layers; 1 when unscaled. Local layers always use 1. */
  ropeFreqScaleGlobal: number;
  /** Multiplies Q before QKᵀ. */
  attentionScale: number;
  /** Final logit soft-capping (0 = off; Gemma 3 files have none). */
  finalLogitSoftcap: number;
}

function perLayer(md: GgufMetadata, key: string, nLayer: number): number {
  if (md.get(key)?.type !== GgufType.ARRAY) return requireInteger(md, key);
  const array = getArray(md, key)!;
  const values = Array.from(array.items as ArrayLike<number>, Number);
  if (values.length !== nLayer || values.some((v) => v !== values[0])) {
    throw new GgufFormatError('bad-metadata-type', `${key} varies per layer`, 'the same value for every layer', `[${values.join(', ')}]`, -1);
  }
  return values[0]!;
}

/** Layer i is local iff i % period < period − 1 (llama.cpp set_swa_pattern); period 6 gives 5 local : 1 global. */
function swaPattern(md: GgufMetadata, nLayer: number, window: number): boolean[] {
  if (window === 0) return new Array<boolean>(nLayer).fill(false);
  const pattern = md.get('gemma3.attention.sliding_window_pattern');
  if (pattern?.type === GgufType.ARRAY && pattern.value.itemType === GgufType.BOOL) {
    return Array.from(pattern.value.items, (b) => b !== 0);
  }
  const period = getInteger(md, 'gemma3.attention.sliding_window_pattern') ?? 6;
  return Array.from({ length: nLayer }, (_, i) => i % period < period - 1);
}

export function readGemma3Config(md: GgufMetadata): Gemma3Config {
  const arch = getString(md, 'general.architecture');
  if (arch !== 'gemma3') {
    throw new GgufFormatError('bad-metadata-type', 'general.architecture', '"gemma3"', JSON.stringify(arch ?? null), -1);
  }
  const nLayer = requireInteger(md, 'gemma3.block_count');
  const nEmbd = requireInteger(md, 'gemma3.embedding_length');
  const nHead = perLayer(md, 'gemma3.attention.head_count', nLayer);
  const nHeadKv = md.has('gemma3.attention.head_count_kv') ? perLayer(md, 'gemma3.attention.head_count_kv', nLayer) : nHead;
  const headDim = getInteger(md, 'gemma3.attention.key_length') ?? nEmbd / nHead;
  const tokens = getArray(md, 'tokenizer.ggml.tokens');
  const slidingWindow = getInteger(md, 'gemma3.attention.sliding_window') ?? 0;
  const rmsEps = getFloat(md, 'gemma3.attention.layer_norm_rms_epsilon');
  if (rmsEps === undefined) {
    throw new GgufFormatError('bad-metadata-type', 'metadata "gemma3.attention.layer_norm_rms_epsilon" is missing', 'a float', 'nothing', -1);
  }
  const scaleFactor = getFloat(md, 'gemma3.rope.scaling.factor') ?? getFloat(md, 'gemma3.rope.scale_linear');
  const scalingType = getString(md, 'gemma3.rope.scaling.type') ?? 'linear';
  if (scaleFactor !== undefined && scalingType !== 'linear' && scalingType !== 'none') {
    throw new GgufFormatError('bad-metadata-type', 'gemma3.rope.scaling.type', '"linear" (the only scaling Gemma 3 uses)', JSON.stringify(scalingType), -1);
  }
  if (nHead % nHeadKv !== 0) {
    throw new GgufFormatError('bad-metadata-type', 'gemma3.attention.head_count_kv', `a divisor of head_count ${nHead}`, String(nHeadKv), -1);
  }
  return {
    nLayer,
    nEmbd,
    nFf: perLayer(md, 'gemma3.feed_forward_length', nLayer),
    nHead,
    nHeadKv,
    headDim,
    nVocab: getInteger(md, 'gemma3.vocab_size') ?? tokens?.items.length ?? 0,
    contextLength: requireInteger(md, 'gemma3.context_length'),
    rmsEps: Math.fround(rmsEps),
    slidingWindow,
    isLocal: swaPattern(md, nLayer, slidingWindow),
    ropeFreqBase: Math.fround(getFloat(md, 'gemma3.rope.freq_base') ?? 10000),
    ropeFreqBaseSwa: Math.fround(getFloat(md, 'gemma3.rope.freq_base_swa') ?? 10000),
    ropeFreqScaleGlobal: scaleFactor && scalingType !== 'none' ? Math.fround(1 / scaleFactor) : 1,
    // llama.cpp: 1/√(n_embd/n_head) for the 62-layer 27B, else 1/√head_dim (ENGINE-SPEC §1.1, §12.5).
    attentionScale: Math.fround(nLayer === 62 ? 1 / Math.sqrt(nEmbd / nHead) : 1 / Math.sqrt(headDim)),
    finalLogitSoftcap: getFloat(md, 'gemma3.final_logit_softcapping') ?? 0,
  };
}

type PresetShape = Pick<Gemma3Config, 'nLayer' | 'nEmbd' | 'nFf' | 'nHead' | 'nHeadKv' | 'headDim' | 'slidingWindow' | 'ropeFreqScaleGlobal'>;

// Config as code, as gemma.cpp does it: the released sizes (ENGINE-SPEC §1.1).
export const gemma3_270m = (): PresetShape => ({ nLayer: 18, nEmbd: 640, nFf: 2048, nHead: 4, nHeadKv: 1, headDim: 256, slidingWindow: 512, ropeFreqScaleGlobal: 1 });
export const gemma3_1b = (): PresetShape => ({ nLayer: 26, nEmbd: 1152, nFf: 6912, nHead: 4, nHeadKv: 1, headDim: 256, slidingWindow: 512, ropeFreqScaleGlobal: 1 });
export const gemma3_4b = (): PresetShape => ({ nLayer: 34, nEmbd: 2560, nFf: 10240, nHead: 8, nHeadKv: 4, headDim: 256, slidingWindow: 1024, ropeFreqScaleGlobal: 0.125 });
export const gemma3_12b = (): PresetShape => ({ nLayer: 48, nEmbd: 3840, nFf: 15360, nHead: 16, nHeadKv: 8, headDim: 256, slidingWindow: 1024, ropeFreqScaleGlobal: 0.125 });
export const gemma3_27b = (): PresetShape => ({ nLayer: 62, nEmbd: 5376, nFf: 21504, nHead: 32, nHeadKv: 16, headDim: 128, slidingWindow: 1024, ropeFreqScaleGlobal: 0.125 });

const PRESETS: Record<string, () => PresetShape> = {
  'gemma-3-270m': gemma3_270m, 'gemma-3-1b': gemma3_1b, 'gemma-3-4b': gemma3_4b, 'gemma-3-12b': gemma3_12b, 'gemma-3-27b': gemma3_27b,
};

/** The released size this config matches (by layer count, as llama.cpp names model types), and any field that differs. */
export function matchPreset(config: Gemma3Config): { preset: string | undefined; differences: string[] } {
  const byLayers = Object.entries(PRESETS).find(([, p]) => p().nLayer === config.nLayer);
  if (!byLayers) return { preset: undefined, differences: [] };
  const [name, make] = byLayers;
  const expected = make();
  const differences = (Object.keys(expected) as (keyof PresetShape)[])
    .filter((k) => Math.abs(expected[k] - config[k]) > 1e-6)
    .map((k) => `${k}: ${config[k]} (the released ${name} has ${expected[k]})`);
  return { preset: name, differences };
}
