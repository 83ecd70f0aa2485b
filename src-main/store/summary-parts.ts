// Cached partial summaries (see migration 006): keyed by document, template, model and page range.
import type { Db } from './database.js';

export interface SummaryPartKey {
  documentId: string;
  templateSha256: string;
  modelFingerprint: string;
  firstPage: number;
  lastPage: number;
  part: number;
}

export function findSummaryPart(db: Db, k: SummaryPartKey): string | undefined {
  return db.prepare(`
    SELECT text FROM summary_parts WHERE document_id = ? AND template_sha256 = ? AND model_fingerprint = ? AND first_page = ? AND last_page = ? AND part = ?
  `).pluck().get(k.documentId, k.templateSha256, k.modelFingerprint, k.firstPage, k.lastPage, k.part) as string | undefined;
}

export function saveSummaryPart(db: Db, k: SummaryPartKey, text: string): void {
  db.prepare(`
    INSERT OR REPLACE INTO summary_parts (document_id, template_sha256, model_fingerprint, first_page, last_page, part, text, created_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
  `).run(k.documentId, k.templateSha256, k.modelFingerprint, k.firstPage, k.lastPage, k.part, text, new Date().toISOString());
}
