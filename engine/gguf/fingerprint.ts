// A GGUF file's identity without reading gigabytes: SHA-256 over the whole header (keys, tensor names, types, shapes,
// offsets) and the first and last 4 KiB of every tensor — different for any other model or projector in practice.
// Keys image-token caches (the projector) and saved prompt states (the model).
import { createHash } from 'node:crypto';
import type { ByteSource } from './byte-source.js';
import type { GgufFile } from './reader.js';

const SAMPLE_BYTES = 4096;

export function ggufFingerprint(file: GgufFile, source: ByteSource): string {
  const hash = createHash('sha256');
  hash.update(source.read(0, file.dataOffset));
  for (const t of file.tensors) {
    const head = Math.min(SAMPLE_BYTES, t.nbytes);
    hash.update(source.read(t.fileOffset, head));
    const tail = Math.min(SAMPLE_BYTES, t.nbytes - head);
    if (tail > 0) hash.update(source.read(t.fileOffset + t.nbytes - tail, tail));
  }
  return hash.digest('hex');
}
