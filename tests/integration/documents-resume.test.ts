// A killed ingestion (SIGKILL, no cleanup) leaves whole pages only, and the next run resumes at the first missing page.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../src-main/cli/data-dir.js';
import { ingestFile } from '../../src-main/documents/ingest.js';
import { openDatabase } from '../../src-main/store/database.js';
import { listPages } from '../../src-main/store/documents.js';
import { longDocument } from '../helpers/pdf-files.js';

const dir = mkdtempSync(join(tmpdir(), 'quire-resume-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PAGES = 60;

/** Pages stored so far, read through a separate connection as any reader of the WAL database would. */
function storedPages(dbPath: string): number {
  try {
    const db = new Database(dbPath, { readonly: true, fileMustExist: true });
    try {
      return db.prepare('SELECT count(*) FROM pages').pluck().get() as number;
    } finally {
      db.close();
    }
  } catch {
    return 0; // not created yet, or the schema is still being written
  }
}

it('resumes a killed ingestion with a consistent store', async () => {
  // Every page carries a chart, so each page costs a crop render and the kill lands mid-document.
  const pdf = join(dir, 'charts.pdf');
  writeFileSync(pdf, await longDocument(PAGES, { charts: true, words: 24 }));
  const data = join(dir, 'data');
  const dbPath = join(data, DATABASE_FILE);

  const child = spawn(process.execPath, ['bin/quire.js', 'ingest', pdf, '--data', data], { stdio: 'ignore' });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  let killedAt = 0;
  for (;;) {
    killedAt = storedPages(dbPath);
    if (killedAt >= 2 || child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 10));
  }
  child.kill('SIGKILL');
  expect(await exited).toBe('SIGKILL');

  const db = openDatabase(dbPath);
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.pragma('foreign_key_check')).toEqual([]);
    const doc = db.prepare('SELECT id, status FROM documents').get() as { id: string; status: string };
    expect(doc.status).toBe('ingesting');
    const stored = listPages(db, doc.id).map((p) => p.pageNumber);
    expect(stored.length).toBeGreaterThanOrEqual(killedAt);
    expect(stored.length).toBeLessThan(PAGES);
    // Whole pages only: pages 1..k, each with its one chart.
    expect(stored).toEqual(Array.from({ length: stored.length }, (_, i) => i + 1));
    expect(db.prepare('SELECT count(*) FROM figures').pluck().get()).toBe(stored.length);
    expect(db.prepare("SELECT count(*) FROM page_fts WHERE page_fts MATCH 'marker1'").pluck().get()).toBe(1);

    const resumed = await ingestFile(db, pdf);
    expect(resumed).toMatchObject({ outcome: 'resumed', pages: PAGES, figures: PAGES, errors: [], pagesProcessed: PAGES - stored.length });
    expect(db.prepare('SELECT status FROM documents').pluck().get()).toBe('ready');
    expect(listPages(db, doc.id).map((p) => p.text.split('\n')[0])).toEqual(Array.from({ length: PAGES }, (_, i) => `Page ${i + 1} marker${i + 1}`));
  } finally {
    db.close();
  }
});
