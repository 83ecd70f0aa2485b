// Batch jobs (folder × prompt template) and one item per file, so a killed batch resumes at the first unfinished item.
import type { Migration } from './migration.js';

export const migration004BatchJobs: Migration = {
  version: 4,
  name: 'batch jobs and items',
  sql: `
    CREATE TABLE batch_jobs (
      id          INTEGER PRIMARY KEY,
      folder      TEXT NOT NULL,
      template    TEXT NOT NULL,
      status      TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled')),
      created_at  TEXT NOT NULL,
      updated_at  TEXT NOT NULL
    );

    CREATE TABLE batch_items (
      id           INTEGER PRIMARY KEY,
      job_id       INTEGER NOT NULL REFERENCES batch_jobs(id) ON DELETE CASCADE,
      path         TEXT NOT NULL,
      document_id  TEXT REFERENCES documents(id) ON DELETE SET NULL,
      status       TEXT NOT NULL CHECK (status IN ('pending', 'running', 'done', 'failed')),
      result       TEXT,
      error        TEXT,
      updated_at   TEXT NOT NULL,
      UNIQUE (job_id, path)
    );
  `,
};
