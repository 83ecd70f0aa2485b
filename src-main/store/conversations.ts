// Conversations about a document: messages in order, each answer with its citations, written atomically.
import type { Db } from './database.js';

export type Role = 'system' | 'user' | 'assistant';

/** Where an answer came from: a page, and a character span of its text or a stored figure. */
export interface Citation {
  documentId: string;
  pageNumber: number;
  span?: [number, number];
  figureId?: number;
  quote?: string;
}

/** A region of a page (points, top-left origin) a question was about. */
export interface MessageRegion {
  pageNumber: number;
  box: [number, number, number, number];
}

export interface Message {
  id: number;
  ordinal: number;
  role: Role;
  content: string;
  createdAt: string;
  citations: Citation[];
  region?: MessageRegion;
}

export function createConversation(db: Db, documentId: string, title: string): number {
  const info = db.prepare('INSERT INTO conversations (document_id, title, created_at) VALUES (?, ?, ?)')
    .run(documentId, title, new Date().toISOString());
  return Number(info.lastInsertRowid);
}

export function listConversations(db: Db, documentId: string): { id: number; title: string; createdAt: string }[] {
  return db.prepare('SELECT id, title, created_at AS createdAt FROM conversations WHERE document_id = ? ORDER BY id')
    .all(documentId) as { id: number; title: string; createdAt: string }[];
}

/** Appends a message and its citations in one transaction; returns the new message's id. */
export function appendMessage(db: Db, conversationId: number, m: { role: Role; content: string; citations?: Citation[]; region?: MessageRegion }): number {
  return db.transaction(() => {
    const ordinal = (db.prepare('SELECT coalesce(max(ordinal), 0) + 1 FROM messages WHERE conversation_id = ?')
      .pluck().get(conversationId) as number);
    const info = db.prepare('INSERT INTO messages (conversation_id, ordinal, role, content, created_at, region_page, region_box) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(conversationId, ordinal, m.role, m.content, new Date().toISOString(), m.region?.pageNumber ?? null, m.region ? JSON.stringify(m.region.box) : null);
    const messageId = Number(info.lastInsertRowid);
    const insert = db.prepare(`
      INSERT INTO citations (message_id, ordinal, document_id, page_number, span_start, span_end, figure_id, quote)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)
    `);
    (m.citations ?? []).forEach((c, i) => {
      insert.run(messageId, i + 1, c.documentId, c.pageNumber, c.span?.[0] ?? null, c.span?.[1] ?? null, c.figureId ?? null, c.quote ?? null);
    });
    return messageId;
  })();
}

export function listMessages(db: Db, conversationId: number): Message[] {
  const rows = db.prepare(`
    SELECT id, ordinal, role, content, created_at AS createdAt, region_page AS regionPage, region_box AS regionBox
    FROM messages WHERE conversation_id = ? ORDER BY ordinal
  `).all(conversationId) as (Omit<Message, 'citations' | 'region'> & { regionPage: number | null; regionBox: string | null })[];
  const cites = db.prepare('SELECT * FROM citations WHERE message_id = ? ORDER BY ordinal');
  return rows.map(({ regionPage, regionBox, ...m }) => ({
    ...m,
    ...(regionPage !== null && regionBox !== null ? { region: { pageNumber: regionPage, box: JSON.parse(regionBox) as MessageRegion['box'] } } : {}),
    citations: (cites.all(m.id) as {
      document_id: string; page_number: number; span_start: number | null; span_end: number | null; figure_id: number | null; quote: string | null;
    }[]).map((c) => ({
      documentId: c.document_id, pageNumber: c.page_number,
      ...(c.span_start !== null && c.span_end !== null ? { span: [c.span_start, c.span_end] as [number, number] } : {}),
      ...(c.figure_id !== null ? { figureId: c.figure_id } : {}),
      ...(c.quote !== null ? { quote: c.quote } : {}),
    })),
  }));
}
