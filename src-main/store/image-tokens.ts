// Cached vision-encoder output: the projected soft tokens of one image for one model + projector.
import type { Db } from './database.js';

export type TokenDtype = 'f32' | 'f16' | 'bf16';

export interface ImageTokens {
  imageSha256: string;
  projectorFingerprint: string;
  nTokens: number;
  dim: number;
  dtype: TokenDtype;
  data: Buffer;
}

const BYTES: Record<TokenDtype, number> = { f32: 4, f16: 2, bf16: 2 };

/** Stores (or replaces) the tokens; the blob must hold exactly nTokens × dim values of dtype. */
export function saveImageTokens(db: Db, t: ImageTokens): void {
  const expected = t.nTokens * t.dim * BYTES[t.dtype];
  if (t.data.length !== expected) {
    throw new RangeError(`image tokens: ${t.nTokens} × ${t.dim} ${t.dtype} needs ${expected} bytes, got ${t.data.length}`);
  }
  db.prepare(`
    INSERT OR REPLACE INTO image_tokens (image_sha256, projector_fingerprint, n_tokens, dim, dtype, data, created_at)
    VALUES (?, ?, ?, ?, ?, ?, ?)
  `).run(t.imageSha256, t.projectorFingerprint, t.nTokens, t.dim, t.dtype, t.data, new Date().toISOString());
}

export function findImageTokens(db: Db, imageSha256: string, projectorFingerprint: string): ImageTokens | undefined {
  const row = db.prepare('SELECT * FROM image_tokens WHERE image_sha256 = ? AND projector_fingerprint = ?')
    .get(imageSha256, projectorFingerprint) as
    { image_sha256: string; projector_fingerprint: string; n_tokens: number; dim: number; dtype: TokenDtype; data: Buffer } | undefined;
  return row && {
    imageSha256: row.image_sha256, projectorFingerprint: row.projector_fingerprint, nTokens: row.n_tokens, dim: row.dim,
    dtype: row.dtype, data: row.data,
  };
}
