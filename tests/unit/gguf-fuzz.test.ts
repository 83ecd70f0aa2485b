// 12,000 seeded mutations and truncations of valid files: the reader either accepts the file or throws a
// GgufFormatError (UnsupportedTensorTypeError included). Any other exception, a hang or a crash fails the test.
import { describe, expect, it } from 'vitest';
import { BufferByteSource, readGguf, writeGgufToBuffer } from '../../engine/gguf/index.js';
import { GgufFormatError } from '../../engine/errors.js';
import { GgmlType } from '../../engine/quant/index.js';
import { GEMMA3_PRESETS, buildGemma3Spec } from '../../engine/synth/index.js';
import { Random } from '../../engine/util/random.js';
import { sampleGguf } from '../helpers/sample-gguf.js';

function smallGemma(): Uint8Array {
  const shape = { ...GEMMA3_PRESETS.tiny, nLayer: 1, nEmbd: 32, nFf: 64, nHead: 1, headDim: 32, nVocab: 300 };
  return writeGgufToBuffer(buildGemma3Spec({ shape, vocab: 'synthetic', matrixType: GgmlType.Q8_0, embeddingType: GgmlType.Q8_0, weightScale: 1, seed: 3 }).spec);
}

/** One random corruption of `original` within its first `span` bytes (the header region). */
function mutate(original: Uint8Array, span: number, random: Random): Uint8Array {
  const pick = (n: number): number => random.nextUint32() % n;
  const bytes = original.slice();
  switch (pick(6)) {
    case 0: { // flip a few bytes
      for (let k = 1 + pick(8); k > 0; k--) bytes[pick(span)] = pick(256);
      return bytes;
    }
    case 1: // truncate
      return bytes.subarray(0, pick(original.length));
    case 2: { // write a large or negative 64-bit integer where a count or length may be
      const at = pick(span - 8);
      const big = [0xffffffffffffffffn, 1n << 62n, 1n << 40n, 0x8000000000000000n, BigInt(pick(1 << 30))][pick(5)]!;
      new DataView(bytes.buffer).setBigUint64(at, big, true);
      return bytes;
    }
    case 3: { // write a small 32-bit integer where a type id may be
      new DataView(bytes.buffer).setInt32(pick(span - 4), pick(64) - 8, true);
      return bytes;
    }
    case 4: { // delete a run of bytes
      const at = pick(span);
      const n = 1 + pick(16);
      const out = new Uint8Array(Math.max(0, bytes.length - n));
      out.set(bytes.subarray(0, at));
      out.set(bytes.subarray(at + n), at);
      return out;
    }
    default: { // insert a run of random bytes
      const at = pick(span);
      const n = 1 + pick(16);
      const out = new Uint8Array(bytes.length + n);
      out.set(bytes.subarray(0, at));
      for (let i = 0; i < n; i++) out[at + i] = pick(256);
      out.set(bytes.subarray(at), at + n);
      return out;
    }
  }
}

describe('GGUF reader fuzz', () => {
  it('only ever throws typed GGUF errors on 12,000 corrupted files', () => {
    const seeds = [sampleGguf(), smallGemma()];
    const random = new Random(20261201, 'fuzz');
    const outcomes = new Map<string, number>();
    const started = performance.now();
    let slowest = 0;
    for (let i = 0; i < 12_000; i++) {
      const original = seeds[i % seeds.length]!;
      const span = readGguf(new BufferByteSource(original)).dataOffset;
      const input = mutate(original, span, random);
      const t0 = performance.now();
      let outcome = 'accepted';
      try {
        readGguf(new BufferByteSource(input));
      } catch (error) {
        if (!(error instanceof GgufFormatError)) {
          throw new Error(`mutation ${i} threw ${String(error)}`, { cause: error });
        }
        expect(error.message).toMatch(/expected .*, found .* \(at byte -?\d+\)$/s);
        outcome = error.code;
      }
      slowest = Math.max(slowest, performance.now() - t0);
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    }
    // Many different defences must actually have been exercised, and no single parse may take long.
    expect(outcomes.size).toBeGreaterThanOrEqual(10);
    expect(slowest).toBeLessThan(1000);
    expect(performance.now() - started).toBeLessThan(60_000);
  });
});
