// Each way a hostile or broken file can be wrong ends in a typed error naming what, expected, found and where.
import { describe, expect, it } from 'vitest';
import { BufferByteSource, GgufType, readGguf } from '../../engine/gguf/index.js';
import { GgufFormatError, UnsupportedTensorTypeError } from '../../engine/errors.js';
import { RawGguf } from '../helpers/raw-gguf.js';
import { sampleGguf } from '../helpers/sample-gguf.js';

function readError(bytes: Uint8Array): GgufFormatError {
  try {
    readGguf(new BufferByteSource(bytes));
  } catch (error) {
    if (error instanceof GgufFormatError) return error;
    throw error;
  }
  throw new Error('the file was accepted');
}

const F32 = 0;
const Q4_0 = 2;

describe('hostile GGUF headers', () => {
  it('bad magic, with what was found', () => {
    const e = readError(new RawGguf().raw([0x47, 0x47, 0x4d, 0x4c]).u32(3).i64(0).i64(0).bytes());
    expect(e.code).toBe('bad-magic');
    expect(e.offset).toBe(0);
    expect(e.message).toContain('"GGML"');
  });

  it('unknown, old and big-endian versions', () => {
    expect(readError(new RawGguf().header(0, 0, 1).bytes())).toMatchObject({ code: 'unsupported-version', offset: 4, found: 'version 1' });
    expect(readError(new RawGguf().header(0, 0, 4).bytes())).toMatchObject({ code: 'unsupported-version', found: 'version 4' });
    expect(readError(new RawGguf().header(0, 0, 0x03000000).bytes())).toMatchObject({ found: 'big-endian version 3' });
  });

  it('truncation anywhere is refused, at or before the cut', () => {
    const bytes = sampleGguf();
    const parsed = readGguf(new BufferByteSource(bytes));
    const header = parsed.dataOffset;
    const last = parsed.tensors.at(-1)!;
    expect(readError(bytes.subarray(0, 3))).toMatchObject({ code: 'truncated', offset: 0, found: '3 bytes before the end of the file' });
    expect(readError(bytes.subarray(0, 12))).toMatchObject({ code: 'truncated', offset: 8 });
    // Once the counts are read, a short file makes them impossible: "cannot fit in the file" is the first symptom.
    expect(readError(bytes.subarray(0, 40))).toMatchObject({ code: 'absurd-count', offset: 8 });
    for (let cut = 0; cut < header; cut += 7) {
      const e = readError(bytes.subarray(0, cut));
      expect(['truncated', 'absurd-count', 'tensor-out-of-bounds']).toContain(e.code);
      expect(e.offset).toBeLessThanOrEqual(cut);
    }
    expect(readError(bytes.subarray(0, last.fileOffset + last.nbytes - 1)).code).toBe('tensor-out-of-bounds');
    // Only trailing padding missing: every tensor is still whole, so the file is readable.
    expect(readGguf(new BufferByteSource(bytes.subarray(0, last.fileOffset + last.nbytes))).tensors).toHaveLength(4);
  });

  it('counts the file cannot hold are refused before allocating', () => {
    expect(readError(new RawGguf().header(1n << 40n, 0).bytes())).toMatchObject({ code: 'absurd-count', offset: 8 });
    expect(readError(new RawGguf().header(0, 1n << 50n).bytes())).toMatchObject({ code: 'absurd-count', offset: 16 });
    expect(readError(new RawGguf().header(-1, 0).bytes())).toMatchObject({ code: 'absurd-count' });
    const hugeArray = new RawGguf().header(0, 1).str('k').i32(GgufType.ARRAY).i32(GgufType.UINT32).u64(1n << 60n).zeros(64).bytes();
    expect(readError(hugeArray)).toMatchObject({ code: 'absurd-count', offset: 8 + 16 + 9 + 4 + 4 });
  });

  it('string lengths: beyond the cap, or beyond the file', () => {
    expect(readError(new RawGguf().header(0, 1).u64(1n << 40n).zeros(32).bytes())).toMatchObject({ code: 'string-too-long', offset: 24 });
    expect(readError(new RawGguf().header(0, 1).u64(100).raw([0x61, 0x62]).zeros(16).bytes())).toMatchObject({ code: 'truncated', offset: 32 });
  });

  it('unknown value types, too-deep nesting and duplicate keys', () => {
    expect(readError(new RawGguf().header(0, 1).str('k').i32(13).u32(0).bytes())).toMatchObject({ code: 'unknown-value-type', found: '13' });
    const deep = new RawGguf().header(0, 1).str('k').i32(GgufType.ARRAY);
    for (let i = 0; i < 9; i++) deep.i32(GgufType.ARRAY).u64(1);
    deep.i32(GgufType.UINT8).u64(1).u8(7);
    expect(readError(deep.bytes())).toMatchObject({ code: 'nesting-too-deep' });
    const dup = new RawGguf().header(0, 2).str('k').i32(GgufType.UINT8).u8(1).str('k').i32(GgufType.UINT8).u8(2);
    expect(readError(dup.bytes())).toMatchObject({ code: 'duplicate-key', offset: 24 + 8 + 1 + 4 + 1 });
  });

  it('general.alignment must be a u32 power of two', () => {
    expect(readError(new RawGguf().header(0, 1).str('general.alignment').i32(GgufType.INT32).i32(32).bytes())).toMatchObject({ code: 'bad-metadata-type', offset: 24 });
    expect(readError(new RawGguf().header(0, 1).str('general.alignment').i32(GgufType.UINT32).u32(48).bytes())).toMatchObject({ code: 'bad-alignment' });
  });

  it('tensor names, dimensions and shapes', () => {
    const one = (name: string, dims: (number | bigint)[], type = F32): GgufFormatError =>
      readError(new RawGguf().header(1, 0).tensor(name, dims, type, 0).padTo(32).zeros(64).bytes());
    expect(one('x'.repeat(64), [4])).toMatchObject({ code: 'bad-tensor-name' });
    expect(one('t', [1, 1, 1, 1, 1])).toMatchObject({ code: 'bad-tensor-shape', found: '5' });
    expect(one('t', [-4])).toMatchObject({ code: 'bad-tensor-shape' });
    expect(one('t', [33, 1], Q4_0)).toMatchObject({ code: 'bad-tensor-shape', found: '33' });
    expect(one('t', [1n << 40n, 1n << 20n])).toMatchObject({ code: 'bad-tensor-shape' });
    const two = new RawGguf().header(2, 0).tensor('t', [4], F32, 0).tensor('t', [4], F32, 32).padTo(32).zeros(64);
    expect(readError(two.bytes())).toMatchObject({ code: 'duplicate-tensor' });
  });

  it('unknown tensor types are an UnsupportedTensorTypeError at the type field', () => {
    const e = readError(new RawGguf().header(1, 0).tensor('t', [4], 99, 0).padTo(32).zeros(64).bytes());
    expect(e).toBeInstanceOf(UnsupportedTensorTypeError);
    expect(e.offset).toBe(24 + 9 + 4 + 8);
    expect(readError(new RawGguf().header(1, 0).tensor('t', [4], 4, 0).padTo(32).zeros(64).bytes())).toBeInstanceOf(UnsupportedTensorTypeError);
  });

  it('tensor data: misaligned, out of bounds, overlapping', () => {
    expect(readError(new RawGguf().header(1, 0).tensor('t', [4], F32, 8).padTo(32).zeros(64).bytes())).toMatchObject({ code: 'misaligned-tensor', found: '8' });
    expect(readError(new RawGguf().header(1, 0).tensor('t', [64], F32, 0).padTo(32).zeros(64).bytes())).toMatchObject({ code: 'tensor-out-of-bounds' });
    expect(readError(new RawGguf().header(1, 0).tensor('t', [4], F32, 1n << 62n).padTo(32).zeros(64).bytes())).toMatchObject({ code: 'tensor-out-of-bounds' });
    const overlap = new RawGguf().header(2, 0).tensor('a', [16], F32, 0).tensor('b', [16], F32, 32).padTo(32).zeros(128);
    expect(readError(overlap.bytes())).toMatchObject({ code: 'tensor-overlap' });
  });

  it('messages say what, expected, found and where', () => {
    const e = readError(new RawGguf().header(1, 0).tensor('blk.0.attn_q.weight', [33, 1], Q4_0, 0).padTo(32).zeros(64).bytes());
    expect(e.message).toBe('tensor "blk.0.attn_q.weight" row length: expected a multiple of the block size 32, found 33 (at byte 24)');
  });
});
