import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  BufferByteSource, FileByteSource, GgufType, readGguf, readGgufFile, readTensorBytes, writeGgufFile,
} from '../../engine/gguf/index.js';
import { GgmlType } from '../../engine/quant/index.js';
import { sampleGguf, sampleSpec } from '../helpers/sample-gguf.js';

const dir = mkdtempSync(join(tmpdir(), 'quire-gguf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('GGUF write → read', () => {
  it('reads back every value type, nested arrays and tensors exactly', () => {
    const spec = sampleSpec();
    const bytes = sampleGguf();
    const source = new BufferByteSource(bytes);
    const file = readGguf(source);
    expect(file.version).toBe(3);
    expect(file.alignment).toBe(64);
    expect(file.dataOffset % 64).toBe(0);
    expect(file.metadata).toEqual(spec.metadata);
    expect(file.tensors.map((t) => [t.name, t.type, t.dims])).toEqual(spec.tensors.map((t) => [t.name, t.type, t.dims]));
    for (const [i, t] of file.tensors.entries()) {
      expect(t.offset % 64).toBe(0);
      expect(readTensorBytes(source, t)).toEqual(spec.tensors[i]!.data);
    }
    expect(file.metadata.get('test.u64')).toEqual({ type: GgufType.UINT64, value: 18_000_000_000_000_000_000n });
  });

  it('reads the same from a file as from a buffer, and writes files identical to buffers', () => {
    const path = join(dir, 'sample.gguf');
    writeGgufFile(path, sampleSpec());
    const fromFile = readGgufFile(path);
    expect(fromFile).toEqual(readGguf(new BufferByteSource(sampleGguf())));
    const source = new FileByteSource(path);
    expect(readTensorBytes(source, fromFile.tensors[1]!)).toEqual(sampleSpec().tensors[1]!.data);
    source.close();
  });

  it('accepts version 2 and a file with no tensors', () => {
    const bytes = sampleGguf();
    bytes[4] = 2;
    expect(readGguf(new BufferByteSource(bytes)).version).toBe(2);
    const path = join(dir, 'empty.gguf');
    writeGgufFile(path, { metadata: new Map(), tensors: [] });
    expect(readGgufFile(path).tensors).toEqual([]);
  });

  it('refuses to write a tensor whose data does not match its shape', () => {
    expect(() => writeGgufFile(join(dir, 'bad.gguf'), {
      metadata: new Map(),
      tensors: [{ name: 'x', type: GgmlType.F32, dims: [4], data: new Uint8Array(12) }],
    })).toThrow(/produced 12 bytes, its shape needs 16/);
  });
});
