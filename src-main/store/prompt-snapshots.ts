// Saved prompt states: the engine's state after a token prefix, keyed by model and the prefix's hash. They are kept
// within a byte budget (Settings), the least recently used dropped first, so the database does not grow by a KV cache
// per question for ever.
import type { Db } from './database.js';

export interface PromptSnapshot {
  modelFingerprint: string;
  prefixSha256: string;
  nTokens: number;
  documentId: string | null;
  conversationId: number | null;
  data: Buffer;
}

export interface SnapshotUsage {
  count: number;
  bytes: number;
}

// Timestamps with a counter behind the milliseconds, so two uses in the same millisecond still order.
let tick = 0;
const stamp = (): string => `${new Date().toISOString()}#${String(tick++ % 1e6).padStart(6, '0')}`;

/**
 * Stores a snapshot (replacing one for the same model and prefix), then drops the least recently used others until
 * all fit in `maxBytes`. A snapshot larger than the whole budget is not kept (0 keeps none).
 */
export function saveSnapshot(db: Db, s: PromptSnapshot, maxBytes = Infinity): void {
  db.transaction(() => {
    if (s.data.length > maxBytes) {
      db.prepare('DELETE FROM prompt_snapshots WHERE model_fingerprint = ? AND prefix_sha256 = ?').run(s.modelFingerprint, s.prefixSha256);
      return;
    }
    const now = stamp();
    db.prepare(`
      INSERT INTO prompt_snapshots (model_fingerprint, prefix_sha256, n_tokens, document_id, conversation_id, data, bytes, created_at, last_used_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (model_fingerprint, prefix_sha256) DO UPDATE SET
        n_tokens = excluded.n_tokens, document_id = excluded.document_id, conversation_id = excluded.conversation_id,
        data = excluded.data, bytes = excluded.bytes, created_at = excluded.created_at, last_used_at = excluded.last_used_at
    `).run(s.modelFingerprint, s.prefixSha256, s.nTokens, s.documentId, s.conversationId, s.data, s.data.length, now, now);
    evictSnapshots(db, maxBytes);
  })();
}

/** Drops the least recently used snapshots until the rest fit in `maxBytes`; returns how many were dropped. */
export function evictSnapshots(db: Db, maxBytes: number): number {
  let { bytes } = snapshotUsage(db);
  if (bytes <= maxBytes) return 0;
  const drop = db.prepare('DELETE FROM prompt_snapshots WHERE id = ?');
  let dropped = 0;
  // Ids and sizes only (the blobs stay on disk); listed first, as SQLite cannot delete under a running query.
  for (const row of db.prepare('SELECT id, bytes FROM prompt_snapshots ORDER BY last_used_at, id').all() as { id: number; bytes: number }[]) {
    if (bytes <= maxBytes) break;
    drop.run(row.id);
    bytes -= row.bytes;
    dropped++;
  }
  return dropped;
}

/** The snapshot for this model and prefix, if kept; finding it counts as a use. */
export function findSnapshot(db: Db, modelFingerprint: string, prefixSha256: string): PromptSnapshot | undefined {
  const row = db.prepare('SELECT * FROM prompt_snapshots WHERE model_fingerprint = ? AND prefix_sha256 = ?').get(modelFingerprint, prefixSha256) as
    { id: number; model_fingerprint: string; prefix_sha256: string; n_tokens: number; document_id: string | null; conversation_id: number | null; data: Buffer } | undefined;
  if (!row) return undefined;
  db.prepare('UPDATE prompt_snapshots SET last_used_at = ? WHERE id = ?').run(stamp(), row.id);
  return {
    modelFingerprint: row.model_fingerprint, prefixSha256: row.prefix_sha256, nTokens: row.n_tokens,
    documentId: row.document_id, conversationId: row.conversation_id, data: row.data,
  };
}

export function snapshotUsage(db: Db): SnapshotUsage {
  return db.prepare('SELECT count(*) AS count, coalesce(sum(bytes), 0) AS bytes FROM prompt_snapshots').get() as SnapshotUsage;
}

/** Deletes every snapshot (answers stay; the next question about each document prefills it again). */
export function clearSnapshots(db: Db): number {
  return db.prepare('DELETE FROM prompt_snapshots').run().changes;
}
