// The projected soft tokens of an image, cached so asking about the same chart again never re-runs the vision encoder.
import type { Migration } from './migration.js';

export const migration002ImageTokens: Migration = {
  version: 2,
  name: 'cached image tokens',
  sql: `
    CREATE TABLE image_tokens (
      image_sha256          TEXT NOT NULL,      -- hash of the exact pixels given to the encoder
      projector_fingerprint TEXT NOT NULL,      -- which model + mmproj produced them
      n_tokens              INTEGER NOT NULL CHECK (n_tokens > 0),
      dim                   INTEGER NOT NULL CHECK (dim > 0),
      dtype                 TEXT NOT NULL CHECK (dtype IN ('f32', 'f16', 'bf16')),
      data                  BLOB NOT NULL,
      created_at            TEXT NOT NULL,
      PRIMARY KEY (image_sha256, projector_fingerprint)
    );
  `,
};
