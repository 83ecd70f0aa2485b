// An encoded image as a compact, self-describing blob, so the document store can cache a figure's image tokens and
// the engine can take them back without running the vision encoder again. Layout (little-endian):
//   "QIMG" · u16 version (1) · u16 reserved (0) · u32 rows · u32 width · 32-byte projector fingerprint · rows×width f16
// The fingerprint ties the blob to the projector that made it: tokens from another projector (another model size,
// or the same size with other weights) are refused instead of silently feeding the model garbage.
import { ggufFingerprint } from '../gguf/index.js';
import { F16_TO_F32, f32ToF16Bits } from '../quant/index.js';

const MAGIC = 0x474d4951; // "QIMG" read as a little-endian u32
const VERSION = 1;
const HEADER_BYTES = 48;

export type ImageBlobErrorCode = 'truncated' | 'bad-magic' | 'unsupported-version' | 'bad-size' | 'wrong-projector';

export class ImageBlobError extends Error {
  override readonly name = 'ImageBlobError';
  constructor(readonly code: ImageBlobErrorCode, message: string) {
    super(message);
  }
}

export interface ImageTokens {
  rows: number;
  width: number;
  /** Hex SHA-256 fingerprint of the projector that produced the rows. */
  fingerprint: string;
  embeddings: Float32Array;
}

/** The projector's fingerprint: ggufFingerprint of its file. */
export const projectorFingerprint = ggufFingerprint;

export function encodeImageBlob(tokens: ImageTokens): Uint8Array {
  const { rows, width, fingerprint, embeddings } = tokens;
  if (!Number.isInteger(rows) || !Number.isInteger(width) || rows < 1 || width < 1 || embeddings.length !== rows * width) {
    throw new RangeError(`embeddings must be ${rows} × ${width} values, got ${embeddings.length}`);
  }
  if (!/^[0-9a-f]{64}$/.test(fingerprint)) throw new RangeError('the fingerprint must be 64 hex digits (SHA-256)');
  const bytes = new Uint8Array(HEADER_BYTES + rows * width * 2);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint16(4, VERSION, true);
  view.setUint32(8, rows, true);
  view.setUint32(12, width, true);
  bytes.set(Buffer.from(fingerprint, 'hex'), 16);
  for (let i = 0; i < embeddings.length; i++) view.setUint16(HEADER_BYTES + 2 * i, f32ToF16Bits(embeddings[i]!), true);
  return bytes;
}

/** Reads a blob back; with `expectFingerprint`, refuses tokens made by another projector. */
export function decodeImageBlob(bytes: Uint8Array, expectFingerprint?: string): ImageTokens {
  if (bytes.length < HEADER_BYTES) throw new ImageBlobError('truncated', `an image-token blob has a ${HEADER_BYTES}-byte header; this one has ${bytes.length} bytes`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== MAGIC) throw new ImageBlobError('bad-magic', 'not an image-token blob (no "QIMG" at the start)');
  const version = view.getUint16(4, true);
  if (version !== VERSION) throw new ImageBlobError('unsupported-version', `image-token blob version ${version}; this Quire reads version ${VERSION}`);
  const rows = view.getUint32(8, true);
  const width = view.getUint32(12, true);
  const expected = HEADER_BYTES + rows * width * 2;
  if (rows < 1 || width < 1 || bytes.length !== expected) {
    throw new ImageBlobError(bytes.length < expected ? 'truncated' : 'bad-size', `a blob of ${rows} × ${width} tokens is ${expected} bytes; this one has ${bytes.length}`);
  }
  const fingerprint = Buffer.from(bytes.subarray(16, 48)).toString('hex');
  if (expectFingerprint !== undefined && fingerprint !== expectFingerprint) {
    throw new ImageBlobError('wrong-projector', `these image tokens were made by another vision projector (${fingerprint.slice(0, 12)}…, this model's is ${expectFingerprint.slice(0, 12)}…): encode the image again`);
  }
  const embeddings = new Float32Array(rows * width);
  for (let i = 0; i < embeddings.length; i++) embeddings[i] = F16_TO_F32[view.getUint16(HEADER_BYTES + 2 * i, true)]!;
  return { rows, width, fingerprint, embeddings };
}
