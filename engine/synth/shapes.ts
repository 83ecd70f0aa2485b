// Gemma 3 shapes for synthetic models. The real sizes follow ENGINE-SPEC §1.1; `tiny` is for fast exact tests
// (multiples of 256 everywhere so every K-quant applies, and six layers so one of them is global).

export interface Gemma3Shape {
  nLayer: number;
  nEmbd: number;
  nFf: number;
  nHead: number;
  nHeadKv: number;
  headDim: number;
  slidingWindow: number;
  contextLength: number;
  ropeFreqBase: number;
  ropeFreqBaseSwa: number;
  /** Linear RoPE scaling on global layers (4B and up), or none. */
  ropeScalingFactor: number | undefined;
  rmsEps: number;
  /** Rows of the embedding table: the vocabulary size. */
  nVocab: number;
}

const common = { ropeFreqBase: 1_000_000, ropeFreqBaseSwa: 10_000, rmsEps: 1e-6 };

export const GEMMA3_PRESETS = {
  tiny: { ...common, nLayer: 6, nEmbd: 256, nFf: 512, nHead: 2, nHeadKv: 1, headDim: 128, slidingWindow: 32, contextLength: 2048, ropeScalingFactor: undefined, nVocab: 512 },
  'gemma-3-270m': { ...common, nLayer: 18, nEmbd: 640, nFf: 2048, nHead: 4, nHeadKv: 1, headDim: 256, slidingWindow: 512, contextLength: 32768, ropeScalingFactor: undefined, nVocab: 262144 },
  'gemma-3-1b': { ...common, nLayer: 26, nEmbd: 1152, nFf: 6912, nHead: 4, nHeadKv: 1, headDim: 256, slidingWindow: 512, contextLength: 32768, ropeScalingFactor: undefined, nVocab: 262144 },
  'gemma-3-4b': { ...common, nLayer: 34, nEmbd: 2560, nFf: 10240, nHead: 8, nHeadKv: 4, headDim: 256, slidingWindow: 1024, contextLength: 131072, ropeScalingFactor: 8, nVocab: 262208 },
} satisfies Record<string, Gemma3Shape>;

export type Gemma3PresetName = keyof typeof GEMMA3_PRESETS;

export function isPresetName(name: string): name is Gemma3PresetName {
  return Object.hasOwn(GEMMA3_PRESETS, name);
}
