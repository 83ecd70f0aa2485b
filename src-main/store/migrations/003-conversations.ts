// Conversations per document, their messages, and each answer's citations (page + text span or figure box).
import type { Migration } from './migration.js';

export const migration003Conversations: Migration = {
  version: 3,
  name: 'conversations, messages, citations',
  sql: `
    CREATE TABLE conversations (
      id           INTEGER PRIMARY KEY,
      document_id  TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
      title        TEXT NOT NULL,
      created_at   TEXT NOT NULL
    );
    CREATE INDEX conversations_by_document ON conversations(document_id);

    CREATE TABLE messages (
      id               INTEGER PRIMARY KEY,
      conversation_id  INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
      ordinal          INTEGER NOT NULL CHECK (ordinal >= 1),
      role             TEXT NOT NULL CHECK (role IN ('system', 'user', 'assistant')),
      content          TEXT NOT NULL,
      created_at       TEXT NOT NULL,
      UNIQUE (conversation_id, ordinal)
    );

    -- A citation points at a page and either a character span of the page text or a figure box.
    CREATE TABLE citations (
      id           INTEGER PRIMARY KEY,
      message_id   INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
      ordinal      INTEGER NOT NULL CHECK (ordinal >= 1),
      document_id  TEXT NOT NULL,
      page_number  INTEGER NOT NULL,
      span_start   INTEGER,
      span_end     INTEGER,
      figure_id    INTEGER REFERENCES figures(id) ON DELETE SET NULL,
      quote        TEXT,
      UNIQUE (message_id, ordinal),
      CHECK ((span_start IS NULL) = (span_end IS NULL) AND (span_start IS NULL OR span_end >= span_start)),
      FOREIGN KEY (document_id, page_number) REFERENCES pages(document_id, page_number) ON DELETE CASCADE
    );
  `,
};
