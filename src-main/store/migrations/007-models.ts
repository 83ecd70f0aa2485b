// The model registry: a Gemma 3 model file and its vision projector, registered as one unit with their checksums.
import type { Migration } from './migration.js';

export const migration007Models: Migration = {
  version: 7,
  name: 'model registry',
  sql: `
    CREATE TABLE models (
      name           TEXT PRIMARY KEY,
      model_path     TEXT NOT NULL,
      model_sha256   TEXT NOT NULL,
      model_bytes    INTEGER NOT NULL,
      mmproj_path    TEXT,
      mmproj_sha256  TEXT,
      mmproj_bytes   INTEGER,
      source_url     TEXT,
      added_at       TEXT NOT NULL
    );
  `,
};
