// GGUF reader that treats every file as hostile. ref: ENGINE-SPEC §3.1
// Nothing is allocated because a header says so: every count and length is checked against the bytes that are
// actually left in the file (and against hard caps) before anything is read or allocated.
import { GgufFormatError, UnsupportedTensorTypeError } from '../errors.js';
import { type GgmlType, ggmlTypeInfo } from '../quant/ggml-types.js';
import { type ByteSource, FileByteSource } from './byte-source.js';
import { Cursor } from './cursor.js';
import {
  FIXED_SIZE, type GgufArray, type GgufMetadata, GgufType, type GgufValue, type NumericArray, ggufTypeName, minEncodedSize,
} from './value.js';

export interface GgufTensorInfo {
  name: string;
  type: GgmlType;
  /** ggml `ne`: dims[0] is the contiguous (row) dimension. */
  dims: number[];
  nElements: number;
  nbytes: number;
  /** Offset relative to the start of the data section, as stored. */
  offset: number;
  /** Absolute offset of the first byte in the file. */
  fileOffset: number;
}

export interface GgufFile {
  version: number;
  metadata: GgufMetadata;
  tensors: GgufTensorInfo[];
  alignment: number;
  /** Absolute offset of the data section. */
  dataOffset: number;
  fileSize: number;
}

export interface GgufReadOptions {
  /** Longest string accepted (keys and values); a chat template is kilobytes, so 16 MiB is generous. */
  maxStringBytes?: number;
  /** Deepest nesting of arrays accepted. */
  maxArrayDepth?: number;
}

export const GGUF_MAGIC = 0x46554747; // "GGUF" read as a little-endian u32
export const DEFAULT_ALIGNMENT = 32;
const MAX_DIMS = 4;
const MAX_TENSOR_NAME = 63; // GGML_MAX_NAME − 1 for the terminating NUL
const MIN_TENSOR_INFO_BYTES = 8 + 4 + 4 + 8; // empty name, n_dims, type, offset
const MIN_KV_BYTES = 8 + 4 + 1; // empty key, value type, one-byte value

// ignoreBOM: a token may begin with U+FEFF (Gemma's vocabulary has several); the default decoder would drop it.
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

export function readGguf(source: ByteSource, options: GgufReadOptions = {}): GgufFile {
  const maxStringBytes = options.maxStringBytes ?? 16 << 20;
  const maxArrayDepth = options.maxArrayDepth ?? 8;
  const c = new Cursor(source);

  const magic = c.u32('magic');
  if (magic !== GGUF_MAGIC) {
    throw new GgufFormatError('bad-magic', 'not a GGUF file', '"GGUF" (47 47 55 46)', describeMagic(magic), 0);
  }
  const version = c.u32('version');
  if (version !== 2 && version !== 3) {
    const swapped = ((version & 0xff) << 24 | (version & 0xff00) << 8 | (version >>> 8) & 0xff00 | version >>> 24) >>> 0;
    const found = swapped === 2 || swapped === 3 ? `big-endian version ${swapped}` : `version ${version}`;
    throw new GgufFormatError('unsupported-version', 'unsupported GGUF version', 'version 2 or 3 (little-endian)', found, 4);
  }

  const tensorCount = readCount(c, 'tensor count', MIN_TENSOR_INFO_BYTES);
  const kvCount = readCount(c, 'metadata count', MIN_KV_BYTES);

  const readString = (what: string): string => {
    const at = c.pos;
    const length = c.u64(`${what} length`);
    if (length > BigInt(maxStringBytes)) {
      throw new GgufFormatError('string-too-long', `${what} is too long`, `at most ${maxStringBytes} bytes`, `${length} bytes`, at);
    }
    return decoder.decode(c.bytes(Number(length), what));
  };

  const readArray = (what: string, depth: number): GgufArray => {
    const at = c.pos;
    if (depth > maxArrayDepth) {
      throw new GgufFormatError('nesting-too-deep', `${what} nests arrays too deeply`, `at most ${maxArrayDepth} levels`, `level ${depth}`, at);
    }
    const itemType = readValueType(c, `${what} element type`);
    const count = readCount(c, `${what} element count`, minEncodedSize(itemType));
    const fixed = FIXED_SIZE[itemType];
    if (fixed !== undefined) {
      const bytes = c.bytes(count * fixed, `${what} elements`);
      const items = newNumericArray(itemType, count);
      new Uint8Array(items.buffer).set(bytes);
      return { itemType, items } as GgufArray;
    }
    if (itemType === GgufType.STRING) {
      const items: string[] = new Array<string>(count);
      for (let i = 0; i < count; i++) items[i] = readString(`${what}[${i}]`);
      return { itemType, items };
    }
    const items: GgufArray[] = new Array<GgufArray>(count);
    // Each nested element is an array body (element type, count, elements) with no type tag of its own.
    for (let i = 0; i < count; i++) items[i] = readArray(`${what}[${i}]`, depth + 1);
    return { itemType: GgufType.ARRAY, items };
  };

  const readValue = (type: GgufType, what: string): GgufValue => {
    switch (type) {
      case GgufType.STRING: return { type, value: readString(what) };
      case GgufType.ARRAY: return { type, value: readArray(what, 1) };
      case GgufType.BOOL: return { type, value: c.u8(what) !== 0 };
      case GgufType.UINT64: return { type, value: c.u64(what) };
      case GgufType.INT64: return { type, value: c.i64(what) };
      default: {
        const size = FIXED_SIZE[type]!;
        const view = c.dataView(size, what);
        return { type, value: readScalar(view, type) };
      }
    }
  };

  const metadata: GgufMetadata = new Map();
  const keyOffsets = new Map<string, number>();
  for (let i = 0; i < kvCount; i++) {
    const keyAt = c.pos;
    const key = readString(`metadata key #${i}`);
    const type = readValueType(c, `type of metadata "${key}"`);
    const value = readValue(type, `metadata "${key}"`);
    if (metadata.has(key)) {
      throw new GgufFormatError('duplicate-key', 'duplicate metadata key', 'each key once', `"${key}" again`, keyAt);
    }
    metadata.set(key, value);
    keyOffsets.set(key, keyAt);
  }

  const alignment = readAlignment(metadata, keyOffsets.get('general.alignment') ?? -1);

  const tensors: GgufTensorInfo[] = [];
  const names = new Set<string>();
  const infoStarts: number[] = [];
  for (let i = 0; i < tensorCount; i++) {
    const at = c.pos;
    infoStarts.push(at);
    const name = readString(`tensor #${i} name`);
    if (Buffer.byteLength(name) > MAX_TENSOR_NAME) {
      throw new GgufFormatError('bad-tensor-name', `tensor #${i} name is too long`, `at most ${MAX_TENSOR_NAME} bytes`, `${Buffer.byteLength(name)} bytes`, at);
    }
    if (names.has(name)) throw new GgufFormatError('duplicate-tensor', 'duplicate tensor name', 'each tensor once', `"${name}" again`, at);
    names.add(name);
    const nDims = c.u32(`tensor "${name}" dimension count`);
    if (nDims > MAX_DIMS) {
      throw new GgufFormatError('bad-tensor-shape', `tensor "${name}" has too many dimensions`, `at most ${MAX_DIMS}`, String(nDims), c.pos - 4);
    }
    const dims: number[] = [];
    for (let d = 0; d < nDims; d++) {
      const dimAt = c.pos;
      const ne = c.i64(`tensor "${name}" dimension ${d}`);
      if (ne < 0n || ne > BigInt(Number.MAX_SAFE_INTEGER)) {
        throw new GgufFormatError('bad-tensor-shape', `tensor "${name}" dimension ${d}`, 'a size from 0 to 2^53', String(ne), dimAt);
      }
      dims.push(Number(ne));
    }
    const typeAt = c.pos;
    const typeId = c.i32(`tensor "${name}" type`);
    const typeInfo = ggmlTypeInfo(typeId);
    if (!typeInfo) {
      throw new UnsupportedTensorTypeError(typeId, `tensor "${name}" has an unknown GGML type`, 'a known GGML type id', typeAt);
    }
    const offsetAt = c.pos;
    const offset = c.u64(`tensor "${name}" offset`);
    if (offset > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new GgufFormatError('tensor-out-of-bounds', `tensor "${name}" offset`, 'an offset inside the file', String(offset), offsetAt);
    }
    const shape = checkShape(name, dims, typeInfo.blockSize, typeInfo.typeSize, at);
    if (Number(offset) % alignment !== 0) {
      throw new GgufFormatError('misaligned-tensor', `tensor "${name}" offset`, `a multiple of ${alignment}`, String(offset), offsetAt);
    }
    tensors.push({ name, type: typeId as GgmlType, dims, ...shape, offset: Number(offset), fileOffset: 0 });
  }

  const dataOffset = alignUp(c.pos, alignment);
  checkTensorPlacement(tensors, infoStarts, dataOffset, source.size);
  return { version, metadata, tensors, alignment, dataOffset, fileSize: source.size };
}

/** Opens, reads the header of, and closes a GGUF file. */
export function readGgufFile(path: string, options?: GgufReadOptions): GgufFile {
  const source = new FileByteSource(path);
  try {
    return readGguf(source, options);
  } finally {
    source.close();
  }
}

/** The raw bytes of one tensor, read from the source. */
export function readTensorBytes(source: ByteSource, tensor: GgufTensorInfo): Uint8Array {
  return source.read(tensor.fileOffset, tensor.nbytes).slice();
}

export function alignUp(n: number, alignment: number): number {
  return Math.ceil(n / alignment) * alignment;
}

function describeMagic(magic: number): string {
  const bytes = [magic & 0xff, (magic >>> 8) & 0xff, (magic >>> 16) & 0xff, magic >>> 24];
  const hex = bytes.map((b) => b.toString(16).padStart(2, '0')).join(' ');
  const text = bytes.every((b) => b >= 0x20 && b < 0x7f) ? `"${String.fromCharCode(...bytes)}" ` : '';
  return `${text}(${hex})`;
}

function readCount(c: Cursor, what: string, minBytesEach: number): number {
  const at = c.pos;
  const count = c.i64(what);
  const limit = Math.floor(c.remaining / minBytesEach);
  if (count < 0n || count > BigInt(limit)) {
    throw new GgufFormatError('absurd-count', `${what} cannot fit in the file`, `0 to ${limit} (the bytes left allow no more)`, String(count), at);
  }
  return Number(count);
}

function readValueType(c: Cursor, what: string): GgufType {
  const at = c.pos;
  const type = c.i32(what);
  if (!(type in GgufType) || type < 0 || type > GgufType.FLOAT64) {
    throw new GgufFormatError('unknown-value-type', `unknown ${what}`, 'a GGUF value type 0–12', String(type), at);
  }
  return type as GgufType;
}

function readScalar(view: DataView, type: GgufType): number {
  switch (type) {
    case GgufType.UINT8: return view.getUint8(0);
    case GgufType.INT8: return view.getInt8(0);
    case GgufType.UINT16: return view.getUint16(0, true);
    case GgufType.INT16: return view.getInt16(0, true);
    case GgufType.UINT32: return view.getUint32(0, true);
    case GgufType.INT32: return view.getInt32(0, true);
    case GgufType.FLOAT32: return view.getFloat32(0, true);
    case GgufType.FLOAT64: return view.getFloat64(0, true);
    default: throw new Error(`not a scalar number type: ${ggufTypeName(type)}`);
  }
}

function newNumericArray(type: GgufType, count: number): NumericArray {
  switch (type) {
    case GgufType.UINT8: case GgufType.BOOL: return new Uint8Array(count);
    case GgufType.INT8: return new Int8Array(count);
    case GgufType.UINT16: return new Uint16Array(count);
    case GgufType.INT16: return new Int16Array(count);
    case GgufType.UINT32: return new Uint32Array(count);
    case GgufType.INT32: return new Int32Array(count);
    case GgufType.FLOAT32: return new Float32Array(count);
    case GgufType.FLOAT64: return new Float64Array(count);
    case GgufType.UINT64: return new BigUint64Array(count);
    case GgufType.INT64: return new BigInt64Array(count);
    default: throw new Error(`not a fixed-size type: ${ggufTypeName(type)}`);
  }
}

function readAlignment(metadata: GgufMetadata, at: number): number {
  const value = metadata.get('general.alignment');
  if (!value) return DEFAULT_ALIGNMENT;
  if (value.type !== GgufType.UINT32) {
    throw new GgufFormatError('bad-metadata-type', 'general.alignment has the wrong type', 'uint32', ggufTypeName(value.type), at);
  }
  const a = value.value;
  if (a === 0 || (a & (a - 1)) !== 0) {
    throw new GgufFormatError('bad-alignment', 'general.alignment', 'a power of two', String(a), at);
  }
  return a;
}

function checkShape(name: string, dims: number[], blockSize: number, typeSize: number, at: number): { nElements: number; nbytes: number } {
  const ne0 = dims[0] ?? 1;
  if (ne0 % blockSize !== 0) {
    throw new GgufFormatError('bad-tensor-shape', `tensor "${name}" row length`, `a multiple of the block size ${blockSize}`, String(ne0), at);
  }
  let nElements = 1n;
  for (const d of dims) nElements *= BigInt(d);
  const nbytes = (nElements / BigInt(blockSize)) * BigInt(typeSize);
  if (nbytes > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new GgufFormatError('bad-tensor-shape', `tensor "${name}" is too large`, 'fewer than 2^53 bytes', `${nbytes} bytes`, at);
  }
  return { nElements: Number(nElements), nbytes: Number(nbytes) };
}

function checkTensorPlacement(tensors: GgufTensorInfo[], infoStarts: number[], dataOffset: number, fileSize: number): void {
  tensors.forEach((t, i) => {
    t.fileOffset = dataOffset + t.offset;
    if (t.fileOffset + t.nbytes > fileSize) {
      throw new GgufFormatError('tensor-out-of-bounds', `tensor "${t.name}" data runs past the end of the file`,
        `bytes ${t.fileOffset}–${t.fileOffset + t.nbytes} within ${fileSize}`, `${t.fileOffset + t.nbytes - fileSize} bytes missing`, infoStarts[i]!);
    }
  });
  const order = tensors.map((_, i) => i).filter((i) => tensors[i]!.nbytes > 0).sort((a, b) => tensors[a]!.offset - tensors[b]!.offset);
  for (let k = 1; k < order.length; k++) {
    const prev = tensors[order[k - 1]!]!;
    const cur = tensors[order[k]!]!;
    if (cur.offset < prev.offset + prev.nbytes) {
      throw new GgufFormatError('tensor-overlap', `tensor "${cur.name}" overlaps "${prev.name}"`,
        `an offset at or after ${prev.offset + prev.nbytes}`, String(cur.offset), infoStarts[order[k]!]!);
    }
  }
}
