// GGUF writer: header, metadata, tensor infos, then each tensor's bytes padded to the alignment.
// Tensor data can be streamed chunk by chunk, so writing a multi-gigabyte synthetic model needs little memory.
import { closeSync, openSync, writeSync } from 'node:fs';
import { type GgmlType, ggmlTypeInfo, ggmlTypeName } from '../quant/ggml-types.js';
import { DEFAULT_ALIGNMENT, GGUF_MAGIC, alignUp } from './reader.js';
import { FIXED_SIZE, type GgufArray, type GgufMetadata, GgufType, type GgufValue } from './value.js';

export type TensorDataWriter = (emit: (chunk: Uint8Array) => void) => void;

export interface GgufTensorSpec {
  name: string;
  type: GgmlType;
  dims: number[];
  /** All bytes at once, or a function that emits them in order. */
  data: Uint8Array | TensorDataWriter;
}

export interface GgufSpec {
  metadata: GgufMetadata;
  tensors: GgufTensorSpec[];
}

const encoder = new TextEncoder();

/** A growable little-endian byte buffer for the header. */
class ByteBuilder {
  private buf = new Uint8Array(1 << 16);
  private view = new DataView(this.buf.buffer);
  length = 0;

  private reserve(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }
  u8(v: number): void { this.reserve(1); this.view.setUint8(this.length, v); this.length += 1; }
  i32(v: number): void { this.reserve(4); this.view.setInt32(this.length, v, true); this.length += 4; }
  u32(v: number): void { this.reserve(4); this.view.setUint32(this.length, v, true); this.length += 4; }
  u64(v: bigint | number): void { this.reserve(8); this.view.setBigUint64(this.length, BigInt(v), true); this.length += 8; }
  i64(v: bigint | number): void { this.reserve(8); this.view.setBigInt64(this.length, BigInt(v), true); this.length += 8; }
  bytes(b: Uint8Array): void { this.reserve(b.length); this.buf.set(b, this.length); this.length += b.length; }
  string(s: string): void { const b = encoder.encode(s); this.u64(b.length); this.bytes(b); }
  padTo(alignment: number): void { const target = alignUp(this.length, alignment); this.reserve(target - this.length); this.length = target; }
  result(): Uint8Array { return this.buf.slice(0, this.length); }
}

function scalar(out: ByteBuilder, type: GgufType, value: number | bigint | boolean): void {
  const size = FIXED_SIZE[type]!;
  const tmp = new DataView(new ArrayBuffer(size));
  switch (type) {
    case GgufType.UINT8: tmp.setUint8(0, value as number); break;
    case GgufType.INT8: tmp.setInt8(0, value as number); break;
    case GgufType.BOOL: tmp.setUint8(0, value ? 1 : 0); break;
    case GgufType.UINT16: tmp.setUint16(0, value as number, true); break;
    case GgufType.INT16: tmp.setInt16(0, value as number, true); break;
    case GgufType.UINT32: tmp.setUint32(0, value as number, true); break;
    case GgufType.INT32: tmp.setInt32(0, value as number, true); break;
    case GgufType.FLOAT32: tmp.setFloat32(0, value as number, true); break;
    case GgufType.FLOAT64: tmp.setFloat64(0, value as number, true); break;
    case GgufType.UINT64: tmp.setBigUint64(0, value as bigint, true); break;
    case GgufType.INT64: tmp.setBigInt64(0, value as bigint, true); break;
    default: throw new Error(`not a scalar type: ${type}`);
  }
  out.bytes(new Uint8Array(tmp.buffer));
}

function arrayBody(out: ByteBuilder, array: GgufArray): void {
  out.i32(array.itemType);
  out.u64(array.items.length);
  if (array.itemType === GgufType.STRING) {
    for (const s of array.items) out.string(s);
  } else if (array.itemType === GgufType.ARRAY) {
    for (const nested of array.items) arrayBody(out, nested);
  } else {
    const items = array.items;
    out.bytes(new Uint8Array(items.buffer, items.byteOffset, items.byteLength));
  }
}

function value(out: ByteBuilder, v: GgufValue): void {
  if (v.type === GgufType.STRING) out.string(v.value);
  else if (v.type === GgufType.ARRAY) arrayBody(out, v.value);
  else scalar(out, v.type, v.value);
}

export interface EncodedHeader {
  header: Uint8Array;
  alignment: number;
  /** Offsets relative to the data section, one per tensor. */
  offsets: number[];
  sizes: number[];
}

export function tensorByteSize(type: GgmlType, dims: number[]): number {
  const info = ggmlTypeInfo(type);
  if (!info) throw new RangeError(`unknown GGML type ${type}`);
  const ne0 = dims[0] ?? 1;
  if (ne0 % info.blockSize !== 0) throw new RangeError(`${ggmlTypeName(type)} rows must be a multiple of ${info.blockSize}, got ${ne0}`);
  return (dims.reduce((a, b) => a * b, 1) / info.blockSize) * info.typeSize;
}

export function encodeGgufHeader(spec: GgufSpec, version = 3): EncodedHeader {
  const alignmentValue = spec.metadata.get('general.alignment');
  const alignment = alignmentValue?.type === GgufType.UINT32 ? alignmentValue.value : DEFAULT_ALIGNMENT;
  const out = new ByteBuilder();
  out.u32(GGUF_MAGIC);
  out.u32(version);
  out.i64(spec.tensors.length);
  out.i64(spec.metadata.size);
  for (const [key, v] of spec.metadata) {
    out.string(key);
    out.i32(v.type);
    value(out, v);
  }
  const offsets: number[] = [];
  const sizes: number[] = [];
  let offset = 0;
  for (const t of spec.tensors) {
    const size = tensorByteSize(t.type, t.dims);
    out.string(t.name);
    out.u32(t.dims.length);
    for (const d of t.dims) out.i64(d);
    out.i32(t.type);
    out.u64(offset);
    offsets.push(offset);
    sizes.push(size);
    offset = alignUp(offset + size, alignment);
  }
  out.padTo(alignment);
  return { header: out.result(), alignment, offsets, sizes };
}

/** Streams every tensor's bytes to `sink`, padding between tensors; checks each tensor's size. */
function emitTensors(spec: GgufSpec, encoded: EncodedHeader, sink: (chunk: Uint8Array) => void): void {
  const zeros = new Uint8Array(encoded.alignment);
  spec.tensors.forEach((t, i) => {
    let written = 0;
    const emit = (chunk: Uint8Array): void => {
      written += chunk.length;
      if (written > encoded.sizes[i]!) throw new RangeError(`tensor "${t.name}" produced more than its ${encoded.sizes[i]} bytes`);
      sink(chunk);
    };
    if (t.data instanceof Uint8Array) emit(t.data);
    else t.data(emit);
    if (written !== encoded.sizes[i]) {
      throw new RangeError(`tensor "${t.name}" produced ${written} bytes, its shape needs ${encoded.sizes[i]}`);
    }
    const pad = alignUp(written, encoded.alignment) - written;
    if (pad > 0) sink(zeros.subarray(0, pad));
  });
}

/** Writes a GGUF file. The file is written in large sequential chunks. */
export function writeGgufFile(path: string, spec: GgufSpec): EncodedHeader {
  const encoded = encodeGgufHeader(spec);
  const fd = openSync(path, 'w');
  try {
    const pending: Uint8Array[] = [];
    let pendingBytes = 0;
    const flush = (): void => {
      for (const chunk of pending) {
        let done = 0;
        while (done < chunk.length) done += writeSync(fd, chunk, done, chunk.length - done);
      }
      pending.length = 0;
      pendingBytes = 0;
    };
    const sink = (chunk: Uint8Array): void => {
      pending.push(chunk.slice());
      pendingBytes += chunk.length;
      if (pendingBytes >= 8 << 20) flush();
    };
    sink(encoded.header);
    emitTensors(spec, encoded, sink);
    flush();
  } finally {
    closeSync(fd);
  }
  return encoded;
}

/** Builds a whole GGUF in memory (tests and small files). */
export function writeGgufToBuffer(spec: GgufSpec): Uint8Array {
  const encoded = encodeGgufHeader(spec);
  const chunks: Uint8Array[] = [encoded.header];
  emitTensors(spec, encoded, (chunk) => chunks.push(chunk.slice()));
  const total = chunks.reduce((n, c) => n + c.length, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}
