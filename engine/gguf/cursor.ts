// A bounds-checked little-endian reader over a ByteSource. Every read names what it is reading, so a short
// file fails with "truncated: <what>" at the exact byte offset instead of a RangeError deep in a DataView.
import { GgufFormatError } from '../errors.js';
import type { ByteSource } from './byte-source.js';

const WINDOW_BYTES = 1 << 20;

export class Cursor {
  pos = 0;
  private window: Uint8Array = new Uint8Array(0);
  private windowStart = 0;
  private view: DataView = new DataView(new ArrayBuffer(0));

  constructor(private readonly source: ByteSource) {}

  get size(): number {
    return this.source.size;
  }

  get remaining(): number {
    return this.source.size - this.pos;
  }

  /** Makes `n` bytes at `pos` available and returns their index in the window. */
  private ensure(n: number, what: string): number {
    if (n > this.remaining) {
      throw new GgufFormatError('truncated', `truncated ${what}`, `${n} bytes`, `${this.remaining} bytes before the end of the file`, this.pos);
    }
    const rel = this.pos - this.windowStart;
    if (rel >= 0 && rel + n <= this.window.length) return rel;
    const length = Math.min(Math.max(n, WINDOW_BYTES), this.remaining);
    this.window = this.source.read(this.pos, length);
    this.windowStart = this.pos;
    this.view = new DataView(this.window.buffer, this.window.byteOffset, this.window.byteLength);
    return 0;
  }

  u8(what: string): number {
    const i = this.ensure(1, what);
    this.pos += 1;
    return this.window[i]!;
  }

  i32(what: string): number {
    const i = this.ensure(4, what);
    this.pos += 4;
    return this.view.getInt32(i, true);
  }

  u32(what: string): number {
    const i = this.ensure(4, what);
    this.pos += 4;
    return this.view.getUint32(i, true);
  }

  u64(what: string): bigint {
    const i = this.ensure(8, what);
    this.pos += 8;
    return this.view.getBigUint64(i, true);
  }

  i64(what: string): bigint {
    const i = this.ensure(8, what);
    this.pos += 8;
    return this.view.getBigInt64(i, true);
  }

  /** A view of the next `n` bytes, valid until the next read. */
  bytes(n: number, what: string): Uint8Array {
    const i = this.ensure(n, what);
    this.pos += n;
    return this.window.subarray(i, i + n);
  }

  /** A DataView over the next `n` bytes, valid until the next read. */
  dataView(n: number, what: string): DataView {
    const i = this.ensure(n, what);
    this.pos += n;
    return new DataView(this.window.buffer, this.window.byteOffset + i, n);
  }
}
