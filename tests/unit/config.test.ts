// Gemma 3 hyperparameters come from GGUF metadata; the released sizes are presets the config is checked against.
import { describe, expect, it } from 'vitest';
import { gv } from '../../engine/gguf/index.js';
import { matchPreset, readGemma3Config } from '../../engine/model/config.js';
import { GgmlType } from '../../engine/quant/index.js';
import { GEMMA3_PRESETS, buildGemma3Spec } from '../../engine/synth/index.js';

function metadataFor(preset: keyof typeof GEMMA3_PRESETS, overrides: Partial<(typeof GEMMA3_PRESETS)[typeof preset]> = {}) {
  const shape = { ...GEMMA3_PRESETS[preset], ...overrides, nVocab: 300 };
  return buildGemma3Spec({ shape, vocab: 'synthetic', matrixType: GgmlType.Q8_0, embeddingType: GgmlType.Q8_0, weightScale: 1, seed: 0 }).spec.metadata;
}

describe('Gemma 3 config', () => {
  it.each(['gemma-3-270m', 'gemma-3-1b', 'gemma-3-4b'] as const)('%s: read from metadata, matches its preset', (preset) => {
    const config = readGemma3Config(metadataFor(preset));
    expect(matchPreset(config)).toEqual({ preset, differences: [] });
    const shape = GEMMA3_PRESETS[preset];
    // Layer i is global iff (i + 1) % 6 == 0 (ENGINE-SPEC §1.1).
    expect(config.isLocal.map((l, i) => (l ? -1 : i)).filter((i) => i >= 0)).toEqual(
      Array.from({ length: Math.floor(shape.nLayer / 6) }, (_, k) => 6 * k + 5));
    expect(config.attentionScale).toBe(Math.fround(1 / 16));
    expect(config.ropeFreqBase).toBe(1_000_000);
    expect(config.ropeFreqBaseSwa).toBe(10_000);
    expect(config.ropeFreqScaleGlobal).toBe(preset === 'gemma-3-4b' ? 0.125 : 1);
    expect(config.slidingWindow).toBe(shape.slidingWindow);
    expect(config.rmsEps).toBe(Math.fround(1e-6));
  });

  it('reports how a file differs from the released size it claims by layer count', () => {
    const config = readGemma3Config(metadataFor('gemma-3-1b', { slidingWindow: 1024 }));
    expect(matchPreset(config)).toEqual({ preset: 'gemma-3-1b', differences: ['slidingWindow: 1024 (the released gemma-3-1b has 512)'] });
  });

  it('uses 1/√(n_embd/n_head) for the 62-layer 27B as llama.cpp does, and honours a sliding-window pattern key', () => {
    const md = metadataFor('gemma-3-1b');
    md.set('gemma3.block_count', gv.u32(62));
    md.set('gemma3.embedding_length', gv.u32(5376));
    md.set('gemma3.attention.head_count', gv.u32(32));
    expect(readGemma3Config(md).attentionScale).toBe(Math.fround(1 / Math.sqrt(168)));
    const patterned = metadataFor('gemma-3-270m');
    patterned.set('gemma3.attention.sliding_window_pattern', gv.u32(3));
    expect(readGemma3Config(patterned).isLocal.slice(0, 6)).toEqual([true, true, false, true, true, false]);
  });

  it('refuses files that are not Gemma 3 or lack required keys, naming the key', () => {
    const md = metadataFor('gemma-3-270m');
    md.set('general.architecture', gv.str('llama'));
    expect(() => readGemma3Config(md)).toThrow(/general.architecture: expected "gemma3", found "llama"/);
    const missing = metadataFor('gemma-3-270m');
    missing.delete('gemma3.attention.layer_norm_rms_epsilon');
    expect(() => readGemma3Config(missing)).toThrow(/layer_norm_rms_epsilon/);
  });
});
