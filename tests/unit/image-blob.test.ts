// Image tokens as a cacheable blob: the values come back as their f16 rounding, tied to the projector that made them,
// and anything malformed or from another projector is refused with a reason.
import { describe, expect, it } from 'vitest';
import { BufferByteSource, readGguf, writeGgufToBuffer } from '../../engine/gguf/index.js';
import { GgmlType, roundToF16 } from '../../engine/quant/index.js';
import { VISION_PRESETS, buildMmprojSpec } from '../../engine/synth/index.js';
import { Random } from '../../engine/util/random.js';
import { ImageBlobError, decodeImageBlob, encodeImageBlob, projectorFingerprint } from '../../engine/vision/index.js';

function fingerprintOf(seed: number): string {
  const bytes = writeGgufToBuffer(buildMmprojSpec({ shape: { ...VISION_PRESETS.tiny, layers: 1 }, textWidth: 64, matrixType: GgmlType.F16, seed }));
  const source = new BufferByteSource(bytes);
  return projectorFingerprint(readGguf(source), source);
}

const fingerprint = fingerprintOf(1);
const embeddings = new Float32Array(256 * 64);
new Random(3, 'blob').fillUniform(embeddings, 4);

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof ImageBlobError ? e.code : `other: ${String(e)}`;
  }
  return undefined;
}

describe('image-token blobs', () => {
  it('round-trip the shape, the fingerprint and the f16-rounded values in 48 + 2·rows·width bytes', () => {
    const blob = encodeImageBlob({ rows: 256, width: 64, fingerprint, embeddings });
    expect(blob.length).toBe(48 + 256 * 64 * 2);
    const back = decodeImageBlob(blob, fingerprint);
    expect(back.rows).toBe(256);
    expect(back.width).toBe(64);
    expect(back.fingerprint).toBe(fingerprint);
    expect(Array.from(back.embeddings)).toEqual(Array.from(embeddings, roundToF16));
  });

  it('fingerprints a projector stably, and differently for other weights of the same shape', () => {
    expect(fingerprintOf(1)).toBe(fingerprint);
    expect(fingerprintOf(2)).not.toBe(fingerprint);
  });

  it('refuses tokens from another projector and malformed blobs', () => {
    const blob = encodeImageBlob({ rows: 256, width: 64, fingerprint, embeddings });
    expect(codeOf(() => decodeImageBlob(blob, fingerprintOf(2)))).toBe('wrong-projector');
    expect(() => decodeImageBlob(blob, fingerprintOf(2))).toThrow(/another vision projector.*encode the image again/);
    expect(codeOf(() => decodeImageBlob(blob.subarray(0, 40)))).toBe('truncated');
    expect(codeOf(() => decodeImageBlob(blob.subarray(0, blob.length - 2)))).toBe('truncated');
    const longer = new Uint8Array(blob.length + 2);
    longer.set(blob);
    expect(codeOf(() => decodeImageBlob(longer))).toBe('bad-size');
    const magic = blob.slice();
    magic[0] = 0x58;
    expect(codeOf(() => decodeImageBlob(magic))).toBe('bad-magic');
    const version = blob.slice();
    version[4] = 9;
    expect(codeOf(() => decodeImageBlob(version))).toBe('unsupported-version');
    expect(() => encodeImageBlob({ rows: 256, width: 64, fingerprint, embeddings: new Float32Array(10) })).toThrow(RangeError);
    expect(() => encodeImageBlob({ rows: 1, width: 1, fingerprint: 'xyz', embeddings: new Float32Array(1) })).toThrow(/64 hex digits/);
  });
});
