// The vision encoder and projector on both backends, on a small synthetic projector (56-pixel images: a 4×4 patch
// grid pooled 2×2 to 4 tokens), plus the pieces with exact expectations: patch order and average pooling.
import { describe, expect, it } from 'vitest';
import { NativeBackend } from '../../engine/backend/native-backend.js';
import { native } from '../../engine/backend/native/index.js';
import { ReferenceBackend } from '../../engine/backend/reference/index.js';
import { BufferByteSource, readGguf, writeGgufToBuffer } from '../../engine/gguf/index.js';
import { GgmlType, ggmlTypeName } from '../../engine/quant/index.js';
import { buildMmprojSpec } from '../../engine/synth/index.js';
import { averagePool, encodeImage, loadVisionWeights, patchRows, readVisionConfig } from '../../engine/vision/index.js';
import { Random } from '../../engine/util/random.js';

function smallProjector(matrixType: GgmlType) {
  const bytes = writeGgufToBuffer(buildMmprojSpec({
    shape: { imageSize: 56, patchSize: 14, width: 64, ffWidth: 96, layers: 2, heads: 2, poolSize: 2 }, textWidth: 48, matrixType, seed: 5,
  }));
  const source = new BufferByteSource(bytes);
  const file = readGguf(source);
  const config = readVisionConfig(file.metadata);
  return { config, weights: loadVisionWeights(file, source, config) };
}

function pixels(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  new Random(seed, 'pixels').fillUniform(out, 1);
  return out;
}

describe('vision encoder pieces', () => {
  it('cuts patches row-major with each patch in the conv kernel order (x, then y, then channel)', () => {
    const { config } = smallProjector(GgmlType.F16);
    const size = 56;
    const img = Float32Array.from({ length: 3 * size * size }, (_, i) => i);
    const rows = patchRows(img, config);
    const k = 14 * 14 * 3;
    // Patch (row 1, col 2), channel 2, y 3, x 5 = pixel (c 2, y 17, x 33).
    expect(rows[(1 * 4 + 2) * k + 2 * 196 + 3 * 14 + 5]).toBe(2 * size * size + 17 * size + 33);
    expect(() => patchRows(new Float32Array(10), config)).toThrow(/planar pixel values/);
  });

  it('average-pools each window of the patch grid into one token, row-major', () => {
    const { config } = smallProjector(GgmlType.F16);
    const x = new Float32Array(16 * 64);
    for (let p = 0; p < 16; p++) x.fill(p, p * 64, (p + 1) * 64);   // patch p holds the value p
    const pooled = averagePool(x, config);
    // Token (0,1) averages patches 2, 3, 6, 7; token (1,0) averages 8, 9, 12, 13.
    expect(pooled[1 * 64]).toBe((2 + 3 + 6 + 7) / 4);
    expect(pooled[2 * 64 + 5]).toBe((8 + 9 + 12 + 13) / 4);
  });
});

describe.runIf(native)('vision encoder on both backends', () => {
  for (const type of [GgmlType.F16, GgmlType.Q8_0]) {
    it(`${type === GgmlType.F16 ? 'F16' : 'Q8_0'} projector: native and reference agree`, () => {
      const { config, weights } = smallProjector(type);
      const img = pixels(3 * 56 * 56, 9);
      const reference = encodeImage(img, config, weights, new ReferenceBackend());
      const fast = encodeImage(img, config, weights, new NativeBackend());
      expect(reference).toHaveLength(config.tokensPerImage * 48);
      let scale = 0;
      let diff = 0;
      for (let i = 0; i < reference.length; i++) {
        scale = Math.max(scale, Math.abs(reference[i]!));
        diff = Math.max(diff, Math.abs(reference[i]! - fast[i]!));
      }
      expect(Number.isFinite(scale) && scale > 0).toBe(true);
      // Summation order and f16 rounding of attention probabilities differ: a few f16 ulps of the output scale.
      console.log(`vision ${ggmlTypeName(type)}: largest |Δ| = ${(diff / scale).toExponential(2)} of the output scale`);
      expect(diff).toBeLessThan(scale * 4e-3);
    });
  }
});
