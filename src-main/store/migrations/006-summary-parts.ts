// Partial summaries of a document's sections (the map step of a long document's summary), so a resumed or repeated
// batch does not summarize the same pages with the same model and template twice.
import type { Migration } from './migration.js';

export const migration006SummaryParts: Migration = {
  version: 6,
  name: 'cached partial summaries',
  sql: `
    CREATE TABLE summary_parts (
      id                 INTEGER PRIMARY KEY,
      document_id        TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
      template_sha256    TEXT NOT NULL,
      model_fingerprint  TEXT NOT NULL,
      first_page         INTEGER NOT NULL,
      last_page          INTEGER NOT NULL,
      part               INTEGER NOT NULL DEFAULT 0,  -- a page too long for one section is cut into parts
      text               TEXT NOT NULL,
      created_at         TEXT NOT NULL,
      UNIQUE (document_id, template_sha256, model_fingerprint, first_page, last_page, part)
    );
  `,
};
