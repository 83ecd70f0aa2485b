// Full-text search over page text (FTS5, BM25 ranking) with highlighted snippets.
import type { Db } from './database.js';

export interface SearchHit {
  documentId: string;
  path: string;
  pageNumber: number;
  snippet: string;
  rank: number;
}

/**
 * Turns what a person types into an FTS5 query: every word must occur, as a word prefix is not implied, and FTS5
 * operators or quotes typed by the user are taken literally instead of failing as syntax errors. With anyWord, any
 * of the words will do (BM25 then ranks pages by how much of the question they share): how a question picks pages.
 */
export function toFtsQuery(text: string, anyWord = false): string {
  const words = text.match(/[\p{L}\p{N}_]+/gu) ?? [];
  return words.map((w) => `"${w}"`).join(anyWord ? ' OR ' : ' ');
}

export function searchPages(
  db: Db,
  query: string,
  options: { documentId?: string; limit?: number; open?: string; close?: string; anyWord?: boolean } = {},
): SearchHit[] {
  const fts = toFtsQuery(query, options.anyWord);
  if (fts === '') return [];
  const rows = db.prepare(`
    SELECT p.document_id AS documentId, d.path AS path, p.page_number AS pageNumber,
           snippet(page_fts, 0, @open, @close, '…', 12) AS snippet, bm25(page_fts) AS rank
    FROM page_fts JOIN pages p ON p.id = page_fts.rowid JOIN documents d ON d.id = p.document_id
    WHERE page_fts MATCH @fts AND (@doc IS NULL OR p.document_id = @doc)
    ORDER BY rank LIMIT @limit
  `).all({
    fts, doc: options.documentId ?? null, limit: options.limit ?? 20, open: options.open ?? '[', close: options.close ?? ']',
  }) as SearchHit[];
  return rows;
}
