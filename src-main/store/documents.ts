// Typed queries for documents, pages and figures. Each page is written with its figures in one transaction, so a
// killed ingestion leaves whole pages only and resumes at the first missing one.
import type { Db } from './database.js';
import { DocumentNotFoundError } from './errors.js';
import type { Box, DocumentRecord, FigureRecord, PageRecord, TextRun } from './records.js';

interface DocumentRow {
  id: string; sha256: string; path: string; byte_size: number; page_count: number; title: string | null;
  status: 'ingesting' | 'ready'; added_at: string; ingested_at: string | null;
}

function toDocument(row: DocumentRow): DocumentRecord {
  return {
    id: row.id, sha256: row.sha256, path: row.path, byteSize: row.byte_size, pageCount: row.page_count,
    title: row.title, status: row.status, addedAt: row.added_at, ingestedAt: row.ingested_at,
  };
}

export function documentIdFor(sha256: string): string {
  return sha256.slice(0, 12);
}

export function findDocumentBySha(db: Db, sha256: string): DocumentRecord | undefined {
  const row = db.prepare('SELECT * FROM documents WHERE sha256 = ?').get(sha256) as DocumentRow | undefined;
  return row && toDocument(row);
}

/** Finds a document by its id or an unambiguous prefix of its id or SHA-256 (at least 4 hex digits). */
export function resolveDocument(db: Db, idOrPrefix: string): DocumentRecord {
  const key = idOrPrefix.toLowerCase();
  if (!/^[0-9a-f]{4,64}$/.test(key)) {
    throw new DocumentNotFoundError(`"${idOrPrefix}" is not a document id: expected 4 to 64 hex digits (see \`quire ingest --json\`)`);
  }
  const rows = db.prepare('SELECT * FROM documents WHERE sha256 LIKE ? ORDER BY id LIMIT 3').all(`${key}%`) as DocumentRow[];
  if (rows.length === 0) throw new DocumentNotFoundError(`no document with id ${idOrPrefix} in this database`);
  if (rows.length > 1) {
    throw new DocumentNotFoundError(`id ${idOrPrefix} matches several documents (${rows.map((r) => r.id).join(', ')}): give more digits`);
  }
  return toDocument(rows[0]!);
}

export function listDocuments(db: Db): DocumentRecord[] {
  return (db.prepare('SELECT * FROM documents ORDER BY added_at, id').all() as DocumentRow[]).map(toDocument);
}

/** Creates the document row in state 'ingesting', or refreshes the path of one already there. */
export function beginDocument(db: Db, doc: { sha256: string; path: string; byteSize: number; pageCount: number; title: string | null }): DocumentRecord {
  db.prepare(`
    INSERT INTO documents (id, sha256, path, byte_size, page_count, title, status, added_at)
    VALUES (@id, @sha256, @path, @byteSize, @pageCount, @title, 'ingesting', @now)
    ON CONFLICT (sha256) DO UPDATE SET path = excluded.path
  `).run({ ...doc, id: documentIdFor(doc.sha256), now: new Date().toISOString() });
  return findDocumentBySha(db, doc.sha256)!;
}

export function markDocumentReady(db: Db, documentId: string): void {
  db.prepare("UPDATE documents SET status = 'ready', ingested_at = ? WHERE id = ?").run(new Date().toISOString(), documentId);
}

export function deleteDocument(db: Db, documentId: string): void {
  db.prepare('DELETE FROM documents WHERE id = ?').run(documentId);
}

export function storedPageNumbers(db: Db, documentId: string): Set<number> {
  const rows = db.prepare('SELECT page_number FROM pages WHERE document_id = ?').pluck().all(documentId) as number[];
  return new Set(rows);
}

/**
 * Writes one page and its figures atomically. A page already stored (another process ingesting the same file at the
 * same time) is left as it is: both computed it from the same bytes.
 */
export function savePage(db: Db, documentId: string, page: PageRecord, figures: FigureRecord[]): void {
  const insertPage = db.prepare(`
    INSERT INTO pages (document_id, page_number, width, height, rotation, text, runs_json, has_text_layer, scanned, error)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (document_id, page_number) DO NOTHING
  `);
  const insertFigure = db.prepare(`
    INSERT INTO figures (document_id, page_number, ordinal, kind, x0, y0, x1, y1, crop_png, crop_scale, crop_sha256)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  `);
  db.transaction(() => {
    const inserted = insertPage.run(documentId, page.pageNumber, page.width, page.height, page.rotation, page.text, JSON.stringify(page.runs),
      page.hasTextLayer ? 1 : 0, page.scanned ? 1 : 0, page.error).changes;
    if (inserted === 0) return;
    for (const f of figures) {
      insertFigure.run(documentId, f.pageNumber, f.ordinal, f.kind, ...f.box, f.cropPng, f.cropScale, f.cropSha256);
    }
  })();
}

interface PageRow {
  page_number: number; width: number; height: number; rotation: 0 | 90 | 180 | 270; text: string; runs_json: string;
  has_text_layer: number; scanned: number; error: string | null;
}

export function listPages(db: Db, documentId: string): PageRecord[] {
  const rows = db.prepare('SELECT * FROM pages WHERE document_id = ? ORDER BY page_number').all(documentId) as PageRow[];
  return rows.map((r) => ({
    pageNumber: r.page_number, width: r.width, height: r.height, rotation: r.rotation, text: r.text,
    runs: JSON.parse(r.runs_json) as TextRun[], hasTextLayer: r.has_text_layer === 1, scanned: r.scanned === 1, error: r.error,
  }));
}

interface FigureRow {
  id: number; page_number: number; ordinal: number; kind: 'raster' | 'vector'; x0: number; y0: number; x1: number; y1: number;
  crop_png: Buffer | null; crop_scale: number | null; crop_sha256: string | null;
}

/**
 * The document's figures in reading order, each with its `number`: its 1-based place in that order — what "figure N"
 * means to the person asking, to the context planner and to the gallery alike.
 */
export function listFigures(db: Db, documentId: string): (FigureRecord & { id: number; number: number })[] {
  const rows = db.prepare('SELECT * FROM figures WHERE document_id = ? ORDER BY page_number, ordinal').all(documentId) as FigureRow[];
  return rows.map((r, i) => ({
    id: r.id, number: i + 1, pageNumber: r.page_number, ordinal: r.ordinal, kind: r.kind, box: [r.x0, r.y0, r.x1, r.y1] as Box,
    cropPng: r.crop_png, cropScale: r.crop_scale, cropSha256: r.crop_sha256,
  }));
}

export interface DocumentSummary {
  pages: number;
  figures: number;
  scannedPages: number[];
  errors: { page: number; message: string }[];
}

export function summarizeDocument(db: Db, documentId: string): DocumentSummary {
  const pages = db.prepare('SELECT count(*) FROM pages WHERE document_id = ?').pluck().get(documentId) as number;
  const figures = db.prepare('SELECT count(*) FROM figures WHERE document_id = ?').pluck().get(documentId) as number;
  const scannedPages = db.prepare('SELECT page_number FROM pages WHERE document_id = ? AND scanned = 1 ORDER BY page_number')
    .pluck().all(documentId) as number[];
  const errors = db.prepare('SELECT page_number AS page, error AS message FROM pages WHERE document_id = ? AND error IS NOT NULL ORDER BY page_number')
    .all(documentId) as { page: number; message: string }[];
  return { pages, figures, scannedPages, errors };
}
