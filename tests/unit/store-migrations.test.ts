// Each numbered migration on a real SQLite file: applied on top of the previous version with data in it, the
// schema it adds, and the constraints it promises.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, schemaVersion, type Db } from '../../src-main/store/database.js';
import { StoreVersionError } from '../../src-main/store/errors.js';
import { migrations } from '../../src-main/store/migrations/index.js';

const dir = mkdtempSync(join(tmpdir(), 'quire-migrations-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const freshPath = () => join(dir, `db-${++n}.sqlite`);

function seedDocument(db: Db, id = 'aaaaaaaaaaaa'): void {
  db.prepare("INSERT INTO documents (id, sha256, path, byte_size, page_count, status, added_at) VALUES (?, ?, '/x.pdf', 10, 1, 'ready', 'now')")
    .run(id, `${id}${'0'.repeat(52)}`);
  db.prepare("INSERT INTO pages (document_id, page_number, width, height, rotation, text, runs_json, has_text_layer, scanned) VALUES (?, 1, 612, 792, 0, 'golden orchards', '[]', 1, 0)")
    .run(id);
}

const tables = (db: Db) => db.prepare("SELECT name FROM sqlite_master WHERE type IN ('table') ORDER BY name").pluck().all() as string[];
const count = (db: Db, table: string) => db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;

describe('the migration runner', () => {
  it('numbers migrations 1, 2, 3, … without gaps', () => {
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
  });

  it('opens in WAL mode with foreign keys on, at the latest version, and reopening changes nothing', () => {
    const path = freshPath();
    const db = openDatabase(path);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(schemaVersion(db)).toBe(migrations.length);
    seedDocument(db);
    db.close();
    const again = openDatabase(path);
    expect(count(again, 'documents')).toBe(1);
    again.close();
  });

  it('refuses a database from a newer Quire', () => {
    const path = freshPath();
    openDatabase(path).pragma('user_version = 99');
    expect(() => openDatabase(path)).toThrow(StoreVersionError);
    expect(() => openDatabase(path)).toThrow(new RegExp(`schema is version 99, this Quire knows versions up to ${migrations.length}`));
  });

  it('rolls a failing migration back whole, keeping the previous version', () => {
    const path = freshPath();
    const broken = [...migrations.slice(0, 1), { version: 2, name: 'broken', sql: 'CREATE TABLE half (x); SELECT * FROM missing_table;' }];
    expect(() => openDatabase(path, { migrations: broken })).toThrow(/no such table: missing_table/);
    const db = openDatabase(path, { upTo: 1 });
    expect(schemaVersion(db)).toBe(1);
    expect(tables(db)).not.toContain('half');
    db.close();
  });
});

describe('001 documents, pages, figures, page text search', () => {
  it('cascades a document delete through pages, figures and the FTS index', () => {
    const db = openDatabase(freshPath(), { upTo: 1 });
    seedDocument(db);
    db.prepare("INSERT INTO figures (document_id, page_number, ordinal, kind, x0, y0, x1, y1) VALUES ('aaaaaaaaaaaa', 1, 1, 'vector', 0, 0, 10, 10)").run();
    expect(db.prepare("SELECT count(*) FROM page_fts WHERE page_fts MATCH 'orchards'").pluck().get()).toBe(1);
    db.prepare("UPDATE pages SET text = 'silver meadow'").run();
    expect(db.prepare("SELECT count(*) FROM page_fts WHERE page_fts MATCH 'orchards'").pluck().get()).toBe(0);
    expect(db.prepare("SELECT count(*) FROM page_fts WHERE page_fts MATCH 'meadow'").pluck().get()).toBe(1);
    db.prepare('DELETE FROM documents').run();
    expect([count(db, 'pages'), count(db, 'figures')]).toEqual([0, 0]);
    expect(db.prepare("SELECT count(*) FROM page_fts WHERE page_fts MATCH 'meadow'").pluck().get()).toBe(0);
    db.close();
  });

  it('enforces content-hash identity, known statuses, valid JSON runs and figures on existing pages', () => {
    const db = openDatabase(freshPath(), { upTo: 1 });
    seedDocument(db);
    expect(() => seedDocument(db)).toThrow(/UNIQUE constraint failed: documents/);
    expect(() => db.prepare("UPDATE documents SET status = 'half-done'").run()).toThrow(/CHECK constraint failed/);
    expect(() => db.prepare("UPDATE pages SET runs_json = '{oops'").run()).toThrow(/CHECK constraint failed/);
    expect(() => db.prepare("INSERT INTO figures (document_id, page_number, ordinal, kind, x0, y0, x1, y1) VALUES ('aaaaaaaaaaaa', 9, 1, 'vector', 0, 0, 1, 1)").run())
      .toThrow(/FOREIGN KEY constraint failed/);
    db.close();
  });
});

describe('002 cached image tokens', () => {
  it('adds image_tokens on top of version 1 data, keyed by image hash and projector', () => {
    const path = freshPath();
    const v1 = openDatabase(path, { upTo: 1 });
    seedDocument(v1);
    v1.close();
    const db = openDatabase(path, { upTo: 2 });
    expect(count(db, 'documents')).toBe(1);
    const insert = db.prepare("INSERT INTO image_tokens VALUES ('img', ?, 256, 4, 'f32', x'00', 'now')");
    insert.run('proj-a');
    insert.run('proj-b');
    expect(() => insert.run('proj-a')).toThrow(/UNIQUE constraint failed/);
    expect(() => db.prepare("INSERT INTO image_tokens VALUES ('img2', 'p', 256, 4, 'int4', x'00', 'now')").run()).toThrow(/CHECK/);
    db.close();
  });
});

describe('003 conversations, messages, citations', () => {
  it('ties conversations to documents and citations to pages, cascading deletes', () => {
    const path = freshPath();
    openDatabase(path, { upTo: 2 }).close();
    const db = openDatabase(path, { upTo: 3 });
    seedDocument(db);
    db.prepare("INSERT INTO figures (id, document_id, page_number, ordinal, kind, x0, y0, x1, y1) VALUES (7, 'aaaaaaaaaaaa', 1, 1, 'raster', 0, 0, 1, 1)").run();
    db.prepare("INSERT INTO conversations (id, document_id, title, created_at) VALUES (1, 'aaaaaaaaaaaa', 't', 'now')").run();
    db.prepare("INSERT INTO messages (id, conversation_id, ordinal, role, content, created_at) VALUES (1, 1, 1, 'assistant', 'a', 'now')").run();
    db.prepare("INSERT INTO citations (message_id, ordinal, document_id, page_number, span_start, span_end, figure_id) VALUES (1, 1, 'aaaaaaaaaaaa', 1, 0, 6, 7)").run();
    expect(() => db.prepare("INSERT INTO citations (message_id, ordinal, document_id, page_number, span_start) VALUES (1, 2, 'aaaaaaaaaaaa', 1, 3)").run())
      .toThrow(/CHECK constraint failed/);
    expect(() => db.prepare("INSERT INTO citations (message_id, ordinal, document_id, page_number) VALUES (1, 2, 'aaaaaaaaaaaa', 5)").run())
      .toThrow(/FOREIGN KEY constraint failed/);
    expect(() => db.prepare("INSERT INTO messages (conversation_id, ordinal, role, content, created_at) VALUES (1, 2, 'robot', 'x', 'now')").run())
      .toThrow(/CHECK constraint failed/);
    db.prepare('DELETE FROM figures').run();
    expect(db.prepare('SELECT figure_id FROM citations').pluck().get()).toBeNull();
    db.prepare('DELETE FROM documents').run();
    expect([count(db, 'conversations'), count(db, 'messages'), count(db, 'citations')]).toEqual([0, 0, 0]);
    db.close();
  });
});

describe('004 batch jobs and items', () => {
  it('keeps one item per path per job; deleting a document keeps the item, deleting the job removes its items', () => {
    const path = freshPath();
    openDatabase(path, { upTo: 3 }).close();
    const db = openDatabase(path, { upTo: 4 });
    seedDocument(db);
    db.prepare("INSERT INTO batch_jobs (id, folder, template, status, created_at, updated_at) VALUES (1, '/f', 'Summarize', 'queued', 'now', 'now')").run();
    const item = db.prepare("INSERT INTO batch_items (job_id, path, document_id, status, updated_at) VALUES (1, ?, 'aaaaaaaaaaaa', 'done', 'now')");
    item.run('/f/a.pdf');
    expect(() => item.run('/f/a.pdf')).toThrow(/UNIQUE constraint failed/);
    expect(() => db.prepare("UPDATE batch_jobs SET status = 'sleeping'").run()).toThrow(/CHECK constraint failed/);
    db.prepare('DELETE FROM documents').run();
    expect(db.prepare('SELECT document_id FROM batch_items').pluck().get()).toBeNull();
    db.prepare('DELETE FROM batch_jobs').run();
    expect(count(db, 'batch_items')).toBe(0);
    db.close();
  });
});

describe('005 prompt-state snapshots', () => {
  it('keys snapshots by model and prefix hash and drops them with their document', () => {
    const path = freshPath();
    openDatabase(path, { upTo: 4 }).close();
    const db = openDatabase(path, { upTo: 5 });
    seedDocument(db);
    const insert = db.prepare("INSERT INTO prompt_snapshots (model_fingerprint, prefix_sha256, n_tokens, document_id, data, created_at) VALUES ('m', ?, 10, 'aaaaaaaaaaaa', x'01', 'now')");
    insert.run('p1');
    expect(() => insert.run('p1')).toThrow(/UNIQUE constraint failed/);
    expect(() => db.prepare("INSERT INTO prompt_snapshots (model_fingerprint, prefix_sha256, n_tokens, data, created_at) VALUES ('m', 'p2', 0, x'01', 'now')").run())
      .toThrow(/CHECK constraint failed/);
    db.prepare('DELETE FROM documents').run();
    expect(count(db, 'prompt_snapshots')).toBe(0);
    db.close();
  });
});
