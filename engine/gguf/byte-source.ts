// Where GGUF bytes come from: a whole buffer, or a file read piecewise (a model file is never read whole).
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

export interface ByteSource {
  readonly size: number;
  /** Exactly `length` bytes at `offset`; callers check bounds against `size` first. */
  read(offset: number, length: number): Uint8Array;
  close(): void;
}

export class BufferByteSource implements ByteSource {
  readonly size: number;
  constructor(private readonly bytes: Uint8Array) {
    this.size = bytes.length;
  }
  read(offset: number, length: number): Uint8Array {
    return this.bytes.subarray(offset, offset + length);
  }
  close(): void {}
}

export class FileByteSource implements ByteSource {
  readonly size: number;
  private fd: number | undefined;
  constructor(readonly path: string) {
    this.fd = openSync(path, 'r');
    this.size = fstatSync(this.fd).size;
  }
  read(offset: number, length: number): Uint8Array {
    if (this.fd === undefined) throw new Error(`${this.path} is closed`);
    const out = Buffer.allocUnsafe(length);
    let done = 0;
    while (done < length) {
      const n = readSync(this.fd, out, done, length - done, offset + done);
      if (n === 0) throw new Error(`${this.path} shrank while being read (wanted ${length} bytes at ${offset})`);
      done += n;
    }
    return new Uint8Array(out.buffer, out.byteOffset, length);
  }
  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/** A memory-mapped file (from the native addon): reads are views, so weights are never copied into the JS heap. */
export class MappedByteSource implements ByteSource {
  readonly size: number;
  private readonly bytes: Uint8Array;
  constructor(mapped: ArrayBuffer) {
    this.bytes = new Uint8Array(mapped);
    this.size = this.bytes.length;
  }
  read(offset: number, length: number): Uint8Array {
    return this.bytes.subarray(offset, offset + length);
  }
  close(): void {}
}
