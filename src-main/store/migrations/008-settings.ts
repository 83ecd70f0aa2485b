// The user's settings (context size, threads, sampling, the offline switch): one row per key, the value as JSON, so
// a new setting needs no migration and an unknown old one is simply ignored.
import type { Migration } from './migration.js';

export const migration008Settings: Migration = {
  version: 8,
  name: 'settings',
  sql: `
    CREATE TABLE settings (
      key    TEXT PRIMARY KEY,
      value  TEXT NOT NULL
    );
  `,
};
