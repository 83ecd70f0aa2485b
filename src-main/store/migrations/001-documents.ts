// Documents by content hash, their pages (text and positioned runs), figures with rendered crops, and FTS5 over page text.
import type { Migration } from './migration.js';

export const migration001Documents: Migration = {
  version: 1,
  name: 'documents, pages, figures, page text search',
  sql: `
    CREATE TABLE documents (
      id           TEXT PRIMARY KEY,               -- first 12 hex digits of sha256: short, stable across databases
      sha256       TEXT NOT NULL UNIQUE,
      path         TEXT NOT NULL,                  -- where it was last ingested from
      byte_size    INTEGER NOT NULL,
      page_count   INTEGER NOT NULL CHECK (page_count >= 0),
      title        TEXT,
      status       TEXT NOT NULL CHECK (status IN ('ingesting', 'ready')),
      added_at     TEXT NOT NULL,
      ingested_at  TEXT
    );

    -- An INTEGER PRIMARY KEY so the FTS index's rowids survive VACUUM.
    CREATE TABLE pages (
      id              INTEGER PRIMARY KEY,
      document_id     TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
      page_number     INTEGER NOT NULL CHECK (page_number >= 1),
      width           REAL NOT NULL,                -- points, as displayed (rotation applied)
      height          REAL NOT NULL,
      rotation        INTEGER NOT NULL CHECK (rotation IN (0, 90, 180, 270)),
      text            TEXT NOT NULL,                -- reading order
      runs_json       TEXT NOT NULL CHECK (json_valid(runs_json)),
      has_text_layer  INTEGER NOT NULL CHECK (has_text_layer IN (0, 1)),
      scanned         INTEGER NOT NULL CHECK (scanned IN (0, 1)),
      error           TEXT,                         -- why this page could not be read, if it could not
      UNIQUE (document_id, page_number)
    );

    CREATE TABLE figures (
      id           INTEGER PRIMARY KEY,
      document_id  TEXT NOT NULL,
      page_number  INTEGER NOT NULL,
      ordinal      INTEGER NOT NULL CHECK (ordinal >= 1),
      kind         TEXT NOT NULL CHECK (kind IN ('raster', 'vector')),
      x0 REAL NOT NULL, y0 REAL NOT NULL, x1 REAL NOT NULL, y1 REAL NOT NULL,  -- points, top-left origin
      crop_png     BLOB,
      crop_scale   REAL,
      crop_sha256  TEXT,
      UNIQUE (document_id, page_number, ordinal),
      FOREIGN KEY (document_id, page_number) REFERENCES pages(document_id, page_number) ON DELETE CASCADE
    );

    CREATE VIRTUAL TABLE page_fts USING fts5(
      text, content = 'pages', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2'
    );
    -- Keep the external-content index in step with pages (the pattern from the SQLite FTS5 documentation).
    CREATE TRIGGER pages_fts_insert AFTER INSERT ON pages BEGIN
      INSERT INTO page_fts(rowid, text) VALUES (new.id, new.text);
    END;
    CREATE TRIGGER pages_fts_delete AFTER DELETE ON pages BEGIN
      INSERT INTO page_fts(page_fts, rowid, text) VALUES ('delete', old.id, old.text);
    END;
    CREATE TRIGGER pages_fts_update AFTER UPDATE OF text ON pages BEGIN
      INSERT INTO page_fts(page_fts, rowid, text) VALUES ('delete', old.id, old.text);
      INSERT INTO page_fts(rowid, text) VALUES (new.id, new.text);
    END;
  `,
};
