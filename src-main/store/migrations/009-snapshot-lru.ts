// Prompt snapshots are large (a document prefix's KV cache: ~100 MB for a 1B model at 4K tokens), so the store keeps
// them within a size the user sets, dropping the least recently used first: each row records its size and when it
// was last restored.
import type { Migration } from './migration.js';

export const migration009SnapshotLru: Migration = {
  version: 9,
  name: 'prompt snapshots: size and last use',
  sql: `
    ALTER TABLE prompt_snapshots ADD COLUMN bytes INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE prompt_snapshots ADD COLUMN last_used_at TEXT;
    UPDATE prompt_snapshots SET bytes = length(data), last_used_at = created_at;
    CREATE INDEX prompt_snapshots_last_used ON prompt_snapshots (last_used_at);
  `,
};
