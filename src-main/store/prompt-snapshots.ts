// Saved prompt states: the engine's state after a token prefix, keyed by model and the prefix's hash.
import type { Db } from './database.js';

export interface PromptSnapshot {
  modelFingerprint: string;
  prefixSha256: string;
  nTokens: number;
  documentId: string | null;
  conversationId: number | null;
  data: Buffer;
}

/** Stores a snapshot, replacing one for the same model and prefix. */
export function saveSnapshot(db: Db, s: PromptSnapshot): void {
  db.prepare(`
    INSERT INTO prompt_snapshots (model_fingerprint, prefix_sha256, n_tokens, document_id, conversation_id, data, created_at)
    VALUES (?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (model_fingerprint, prefix_sha256) DO UPDATE SET
      n_tokens = excluded.n_tokens, document_id = excluded.document_id, conversation_id = excluded.conversation_id,
      data = excluded.data, created_at = excluded.created_at
  `).run(s.modelFingerprint, s.prefixSha256, s.nTokens, s.documentId, s.conversationId, s.data, new Date().toISOString());
}

export function findSnapshot(db: Db, modelFingerprint: string, prefixSha256: string): PromptSnapshot | undefined {
  const row = db.prepare('SELECT * FROM prompt_snapshots WHERE model_fingerprint = ? AND prefix_sha256 = ?').get(modelFingerprint, prefixSha256) as
    { model_fingerprint: string; prefix_sha256: string; n_tokens: number; document_id: string | null; conversation_id: number | null; data: Buffer } | undefined;
  return row && {
    modelFingerprint: row.model_fingerprint, prefixSha256: row.prefix_sha256, nTokens: row.n_tokens,
    documentId: row.document_id, conversationId: row.conversation_id, data: row.data,
  };
}
