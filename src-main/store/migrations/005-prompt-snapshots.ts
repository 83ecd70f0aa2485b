// Saved prompt states (KV cache snapshots) so a long document prefix is not prefilled twice.
import type { Migration } from './migration.js';

export const migration005PromptSnapshots: Migration = {
  version: 5,
  name: 'prompt-state snapshots',
  sql: `
    CREATE TABLE prompt_snapshots (
      id                 INTEGER PRIMARY KEY,
      model_fingerprint  TEXT NOT NULL,
      prefix_sha256      TEXT NOT NULL,        -- hash of the token ids the state was computed from
      n_tokens           INTEGER NOT NULL CHECK (n_tokens > 0),
      document_id        TEXT REFERENCES documents(id) ON DELETE CASCADE,
      conversation_id    INTEGER REFERENCES conversations(id) ON DELETE CASCADE,
      data               BLOB NOT NULL,
      created_at         TEXT NOT NULL,
      UNIQUE (model_fingerprint, prefix_sha256)
    );
  `,
};
