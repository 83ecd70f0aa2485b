// A session's prompt state as bytes — the tokens it holds and every layer's KV cells — so a document's prefix is
// prefilled once and a follow-up question (even in another process, from the store) starts from it. Layout:
// "QSNP", u32 version, u32 header length, a JSON header, then per part the raw little-endian arrays it describes.
import type { KvCacheType, LayerKvState } from '../model/kv-cache.js';

const MAGIC = 0x504e5351; // "QSNP" read as a little-endian u32
const VERSION = 1;

/** What must match for a snapshot to be taken back: the cache's shape (the caller also keys it by model file). */
export interface SnapshotShape {
  contextSize: number;
  batchSize: number;
  kvType: KvCacheType;
  nLayer: number;
  nEmbd: number;
}

export interface SessionState {
  shape: SnapshotShape;
  history: Int32Array;
  nextImageBlock: number;
  layers: LayerKvState[];
}

export class SnapshotError extends Error {
  override readonly name = 'SnapshotError';
}

interface Header {
  shape: SnapshotShape;
  historyLength: number;
  nextImageBlock: number;
  layers: { nCells: number; kvBytes: number }[];
}

export function encodeSessionState(state: SessionState): Uint8Array {
  const header: Header = {
    shape: state.shape, historyLength: state.history.length, nextImageBlock: state.nextImageBlock,
    layers: state.layers.map((l) => ({ nCells: l.nCells, kvBytes: l.k.length })),
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const parts: Uint8Array[] = [asBytes(state.history)];
  for (const l of state.layers) parts.push(asBytes(l.cellPos), asBytes(l.cellBlocks), l.k, l.v);
  const out = new Uint8Array(12 + json.length + parts.reduce((n, p) => n + p.length, 0));
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, VERSION, true);
  view.setUint32(8, json.length, true);
  out.set(json, 12);
  let o = 12 + json.length;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function decodeSessionState(data: Uint8Array): SessionState {
  if (data.length < 12) throw new SnapshotError('not a Quire prompt snapshot (too short)');
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  if (view.getUint32(0, true) !== MAGIC) throw new SnapshotError('not a Quire prompt snapshot');
  if (view.getUint32(4, true) !== VERSION) throw new SnapshotError(`prompt snapshot version ${view.getUint32(4, true)} is not supported`);
  const jsonLength = view.getUint32(8, true);
  if (12 + jsonLength > data.length) throw new SnapshotError('prompt snapshot truncated (header)');
  let header: Header;
  try {
    header = JSON.parse(new TextDecoder().decode(data.subarray(12, 12 + jsonLength))) as Header;
  } catch {
    throw new SnapshotError('prompt snapshot header is not valid JSON');
  }
  let o = 12 + jsonLength;
  const take = (bytes: number): Uint8Array => {
    if (!Number.isSafeInteger(bytes) || bytes < 0 || o + bytes > data.length) throw new SnapshotError('prompt snapshot truncated');
    // A copy (aligned, independent of the caller's buffer): Uint8Array's slice, since a Node Buffer's slice is a view.
    const part = Uint8Array.prototype.slice.call(data, o, o + bytes);
    o += bytes;
    return part;
  };
  const ints = (count: number): Int32Array => new Int32Array(take(count * 4).buffer);
  const history = ints(header.historyLength);
  const layers = header.layers.map((l) => ({ nCells: l.nCells, cellPos: ints(l.nCells), cellBlocks: ints(l.nCells), k: take(l.kvBytes), v: take(l.kvBytes) }));
  if (o !== data.length) throw new SnapshotError('prompt snapshot has trailing bytes');
  return { shape: header.shape, history, nextImageBlock: header.nextImageBlock, layers };
}

function asBytes(a: Int32Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}
