// The vision projector file: what `quire synth --mmproj` writes is read back with every key and tensor where llama.cpp
// expects it, and a projector that is malformed or belongs to another model is refused with the reason.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileByteSource, type GgufMetadata, type GgufTensorSpec, gv, readGguf, writeGgufToBuffer, BufferByteSource } from '../../engine/gguf/index.js';
import { readGemma3Config } from '../../engine/model/config.js';
import { GgmlType, dequantizeToFloats } from '../../engine/quant/index.js';
import { GEMMA3_PRESETS, VISION_PRESETS, buildGemma3Spec, buildMmprojSpec, synthesizeMmproj } from '../../engine/synth/index.js';
import { checkProjectorFitsModel, loadVisionWeights, readVisionConfig } from '../../engine/vision/index.js';

const dir = mkdtempSync(join(tmpdir(), 'quire-mmproj-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const tinyText = readGemma3Config(buildGemma3Spec({ shape: GEMMA3_PRESETS.tiny, vocab: 'synthetic', matrixType: GgmlType.Q8_0, embeddingType: GgmlType.Q8_0, weightScale: 1, seed: 1 }).spec.metadata);

function specBytes(mutate: (md: GgufMetadata, tensors: GgufTensorSpec[]) => GgufTensorSpec[] | void): Uint8Array {
  const spec = buildMmprojSpec({ shape: VISION_PRESETS.tiny, textWidth: 256, matrixType: GgmlType.F16, seed: 2 });
  const tensors = mutate(spec.metadata, spec.tensors) ?? spec.tensors;
  return writeGgufToBuffer({ metadata: spec.metadata, tensors });
}

function load(bytes: Uint8Array) {
  const source = new BufferByteSource(bytes);
  const file = readGguf(source);
  const config = readVisionConfig(file.metadata);
  return { config, weights: loadVisionWeights(file, source, config), file, source };
}

describe('synthetic projector', () => {
  it('reads back with the configuration and every tensor of the tiny shape', () => {
    const path = join(dir, 'tiny-mmproj.gguf');
    synthesizeMmproj(path, { shape: VISION_PRESETS.tiny, textWidth: 256, matrixType: GgmlType.Q8_0, seed: 3 });
    const source = new FileByteSource(path);
    const file = readGguf(source);
    const config = readVisionConfig(file.metadata);
    expect(config).toMatchObject({ imageSize: 896, patchSize: 14, width: 128, ffWidth: 320, layers: 2, heads: 2, projectionDim: 256,
      poolSize: 4, gridSide: 64, tokensPerImage: 256, imageMean: [0.5, 0.5, 0.5], imageStd: [0.5, 0.5, 0.5] });
    expect(config.eps).toBeCloseTo(1e-6, 12);
    const weights = loadVisionWeights(file, source, config);
    expect(weights.layers).toHaveLength(2);
    expect(weights.layers[0]!.q.type).toBe(GgmlType.Q8_0);
    expect(weights.layers[0]!.down.type).toBe(GgmlType.Q8_0);             // 320 is a multiple of 32
    expect(weights.positionEmbd).toHaveLength(4096 * 128);
    expect(weights.patchEmbd.dims).toEqual([14 * 14 * 3, 128]);
    expect(weights.projection.dims).toEqual([128, 256]);
    // The projection is the transpose of what is stored (ne = [text width, encoder width]).
    const t = file.tensors.find((x) => x.name === 'mm.input_projection.weight')!;
    const stored = dequantizeToFloats(GgmlType.F16, source.read(t.fileOffset, t.nbytes), 256 * 128);
    const transposed = dequantizeToFloats(GgmlType.F16, weights.projection.data, 256 * 128);
    for (const [i, j] of [[0, 0], [5, 17], [127, 255], [64, 3]] as const) expect(transposed[j * 128 + i]).toBe(stored[i * 256 + j]);
    checkProjectorFitsModel(config, tinyText);
    source.close();
  });

  it('keeps F16 for matrices whose rows do not fit the requested block type, as real files keep ffn_down', () => {
    const { weights } = load(writeGgufToBuffer(buildMmprojSpec({ shape: { ...VISION_PRESETS.tiny, ffWidth: 300 }, textWidth: 64, matrixType: GgmlType.Q4_0, seed: 1 })));
    expect(weights.layers[0]!.up.type).toBe(GgmlType.Q4_0);
    expect(weights.layers[0]!.down.type).toBe(GgmlType.F16);
  });

  it('refuses a width equal to the MLP width (llama.cpp would swap fc1 and fc2)', () => {
    expect(() => buildMmprojSpec({ shape: { ...VISION_PRESETS.tiny, ffWidth: 128 }, textWidth: 64, matrixType: GgmlType.F16, seed: 1 })).toThrow(/swap/);
  });
});

describe('malformed or mismatched projectors', () => {
  it('names the key or tensor that is wrong', () => {
    expect(() => load(specBytes((md) => void md.set('general.architecture', gv.str('gemma3'))))).toThrow(/general\.architecture.*"clip"/);
    expect(() => load(specBytes((md) => void md.set('clip.projector_type', gv.str('idefics3'))))).toThrow(/projector_type.*"gemma3"/);
    expect(() => load(specBytes((md) => void md.delete('clip.use_gelu')))).toThrow(/use_gelu/);
    expect(() => load(specBytes((md) => void md.set('clip.vision.patch_size', gv.u32(15))))).toThrow(/patch_size.*divisor of the image size 896/);
    expect(() => load(specBytes((md) => void md.set('clip.vision.attention.head_count', gv.u32(3))))).toThrow(/head_count.*divisor of the width 128/);
    expect(() => load(specBytes((md) => void md.delete('clip.vision.image_mean')))).toThrow(/image_mean/);
    expect(() => load(specBytes((_, ts) => ts.filter((t) => t.name !== 'v.blk.1.attn_k.bias')))).toThrow(/"v\.blk\.1\.attn_k\.bias" is missing/);
    expect(() => load(specBytes((_, ts) => ts.map((t) => (t.name === 'v.post_ln.weight' ? { ...t, dims: [64], data: new Uint8Array(256) } : t)))))
      .toThrow(/"v\.post_ln\.weight" has the wrong shape/);
  });

  it('refuses a quantized projection (llama.cpp computes garbage from one)', () => {
    const bytes = specBytes((_, ts) => ts.map((t) => (t.name === 'mm.input_projection.weight'
      ? { name: t.name, type: GgmlType.Q8_0, dims: [256, 128], data: new Uint8Array((256 * 128 / 32) * 34) } : t)));
    expect(() => load(bytes)).toThrow(/mm\.input_projection\.weight" is Q8_0/);
  });

  it('reads first-converter files whose fc1/fc2 carry each other’s names', () => {
    const bytes = specBytes((_, ts) => ts.map((t) => {
      const swap = (from: string, to: string): string => t.name.replace(from, to);
      return t.name.includes('ffn_up') ? { ...t, name: swap('ffn_up', 'ffn_down') } : t.name.includes('ffn_down') ? { ...t, name: swap('ffn_down', 'ffn_up') } : t;
    }));
    const { weights } = load(bytes);
    expect(weights.layers[0]!.up.name).toBe('v.blk.0.ffn_down.weight');
    expect(weights.layers[0]!.up.dims).toEqual([128, 320]);
  });

  it('refuses a projector made for a model of another width', () => {
    const { config } = load(specBytes(() => undefined));
    expect(() => checkProjectorFitsModel(config, { ...tinyText, nEmbd: 640 })).toThrow(/does not belong to this model.*width 640.*projection to 256/);
  });
});
