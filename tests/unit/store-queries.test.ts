// The typed query functions on a real SQLite file: round trips, atomic multi-row writes, lookups that explain failures.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimNextItem, createBatchJob, finishItem, listBatchItems, requeueInterruptedItems, setJobStatus, jobStatus } from '../../src-main/store/batch-jobs.js';
import { appendMessage, createConversation, listConversations, listMessages } from '../../src-main/store/conversations.js';
import { openDatabase, type Db } from '../../src-main/store/database.js';
import { beginDocument, listDocuments, resolveDocument, savePage } from '../../src-main/store/documents.js';
import { DocumentNotFoundError } from '../../src-main/store/errors.js';
import { findImageTokens, saveImageTokens } from '../../src-main/store/image-tokens.js';
import { clearSnapshots, evictSnapshots, findSnapshot, saveSnapshot, snapshotUsage } from '../../src-main/store/prompt-snapshots.js';
import type { PageRecord } from '../../src-main/store/records.js';

const dir = mkdtempSync(join(tmpdir(), 'quire-queries-'));
let db: Db;
const shaA = `abcd01${'1'.repeat(58)}`;
const shaB = `abcd02${'2'.repeat(58)}`;
const page: PageRecord = {
  pageNumber: 1, width: 612, height: 792, rotation: 0, text: 'harvest figures', runs: [], hasTextLayer: true, scanned: false, error: null,
};

beforeAll(() => {
  db = openDatabase(join(dir, 'quire.db'));
  beginDocument(db, { sha256: shaA, path: '/a.pdf', byteSize: 1, pageCount: 1, title: null });
  beginDocument(db, { sha256: shaB, path: '/b.pdf', byteSize: 1, pageCount: 1, title: 'B' });
  savePage(db, 'abcd01111111', page, []);
});
afterAll(() => {
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('documents', () => {
  it('one row per content hash: beginning the same content again only updates its path', () => {
    beginDocument(db, { sha256: shaA, path: '/moved/a.pdf', byteSize: 1, pageCount: 1, title: null });
    expect(listDocuments(db).map((d) => [d.id, d.path])).toEqual([['abcd01111111', '/moved/a.pdf'], ['abcd02222222', '/b.pdf']]);
  });

  it('resolves ids and unique prefixes, and says why a lookup failed', () => {
    expect(resolveDocument(db, 'ABCD01').id).toBe('abcd01111111');
    expect(() => resolveDocument(db, 'abcd')).toThrow(/matches several documents \(abcd01111111, abcd02222222\): give more digits/);
    expect(() => resolveDocument(db, 'ffff')).toThrow(DocumentNotFoundError);
    expect(() => resolveDocument(db, 'report.pdf')).toThrow(/not a document id: expected 4 to 64 hex digits/);
  });

  it('a page stored twice (two processes ingesting the same file) is kept once, with its figures once', () => {
    const figure = { pageNumber: 1, ordinal: 1, kind: 'raster' as const, box: [0, 0, 1, 1] as [number, number, number, number], cropPng: null, cropScale: null, cropSha256: null };
    savePage(db, 'abcd02222222', page, [figure]);
    savePage(db, 'abcd02222222', { ...page, text: 'recomputed' }, [figure]);
    expect(db.prepare("SELECT text FROM pages WHERE document_id = 'abcd02222222'").pluck().all()).toEqual(['harvest figures']);
    expect(db.prepare("SELECT count(*) FROM figures WHERE document_id = 'abcd02222222'").pluck().get()).toBe(1);
    db.prepare("DELETE FROM pages WHERE document_id = 'abcd02222222'").run();
  });

  it('a page that fails to write leaves neither it nor its figures', () => {
    const figure = { pageNumber: 2, ordinal: 1, kind: 'vector' as const, box: [0, 0, 1, 1] as [number, number, number, number], cropPng: null, cropScale: null, cropSha256: null };
    // The duplicate ordinal makes the second figure insert fail after the page row and first figure were written.
    expect(() => savePage(db, 'abcd01111111', { ...page, pageNumber: 2 }, [figure, figure])).toThrow(/UNIQUE constraint failed: figures/);
    expect(db.prepare("SELECT count(*) FROM pages WHERE document_id = 'abcd01111111'").pluck().get()).toBe(1);
    expect(db.prepare('SELECT count(*) FROM figures').pluck().get()).toBe(0);
  });
});

describe('image tokens', () => {
  it('round-trips per image and projector, and checks the blob size against the shape', () => {
    const data = Buffer.alloc(256 * 8 * 2, 7);
    saveImageTokens(db, { imageSha256: 'img1', projectorFingerprint: 'mm-a', nTokens: 256, dim: 8, dtype: 'f16', data });
    expect(findImageTokens(db, 'img1', 'mm-a')).toMatchObject({ nTokens: 256, dim: 8, dtype: 'f16', data });
    expect(findImageTokens(db, 'img1', 'mm-b')).toBeUndefined();
    expect(() => saveImageTokens(db, { imageSha256: 'img2', projectorFingerprint: 'mm-a', nTokens: 256, dim: 8, dtype: 'f32', data }))
      .toThrow(/256 × 8 f32 needs 8192 bytes, got 4096/);
  });
});

describe('conversations', () => {
  it('appends numbered messages with their citations and lists them back', () => {
    const id = createConversation(db, 'abcd01111111', 'Harvest questions');
    appendMessage(db, id, { role: 'user', content: 'What were the figures?' });
    appendMessage(db, id, {
      role: 'assistant', content: 'See page 1.',
      citations: [{ documentId: 'abcd01111111', pageNumber: 1, span: [0, 7], quote: 'harvest' }, { documentId: 'abcd01111111', pageNumber: 1 }],
    });
    expect(listConversations(db, 'abcd01111111').map((c) => c.title)).toEqual(['Harvest questions']);
    const messages = listMessages(db, id);
    expect(messages.map((m) => [m.ordinal, m.role])).toEqual([[1, 'user'], [2, 'assistant']]);
    expect(messages[1]!.citations).toEqual([
      { documentId: 'abcd01111111', pageNumber: 1, span: [0, 7], quote: 'harvest' }, { documentId: 'abcd01111111', pageNumber: 1 },
    ]);
  });

  it('a message whose citation is invalid is not stored at all', () => {
    const id = createConversation(db, 'abcd01111111', 'Bad citation');
    expect(() => appendMessage(db, id, { role: 'assistant', content: 'x', citations: [{ documentId: 'abcd01111111', pageNumber: 42 }] }))
      .toThrow(/FOREIGN KEY constraint failed/);
    expect(listMessages(db, id)).toEqual([]);
  });
});

describe('batch jobs', () => {
  it('claims items in order, records outcomes, and requeues what a crash left running', () => {
    const job = createBatchJob(db, { folder: '/f', template: 'Summarize', paths: ['/f/1.pdf', '/f/2.pdf', '/f/3.pdf'] });
    setJobStatus(db, job, 'running');
    const first = claimNextItem(db, job)!;
    finishItem(db, first.id, { documentId: 'abcd01111111', result: 'short summary' });
    const second = claimNextItem(db, job)!;
    expect(second.path).toBe('/f/2.pdf');
    // The process dies here with item 2 running.
    expect(requeueInterruptedItems(db, job)).toBe(1);
    expect(claimNextItem(db, job)!.path).toBe('/f/2.pdf');
    finishItem(db, second.id, { error: 'model ran out of memory' });
    expect(claimNextItem(db, job)!.path).toBe('/f/3.pdf');
    expect(listBatchItems(db, job).map((i) => [i.status, i.documentId, i.result, i.error])).toEqual([
      ['done', 'abcd01111111', 'short summary', null], ['failed', null, null, 'model ran out of memory'], ['running', null, null, null],
    ]);
    expect(jobStatus(db, job)).toBe('running');
  });

  it('a job with a duplicate path is not created at all', () => {
    const before = db.prepare('SELECT count(*) FROM batch_jobs').pluck().get();
    expect(() => createBatchJob(db, { folder: '/g', template: 't', paths: ['/g/a.pdf', '/g/a.pdf'] })).toThrow(/UNIQUE/);
    expect(db.prepare('SELECT count(*) FROM batch_jobs').pluck().get()).toBe(before);
  });
});

describe('prompt snapshots', () => {
  it('stores one snapshot per model and prefix, replacing an older one', () => {
    saveSnapshot(db, { modelFingerprint: 'gemma-4b', prefixSha256: 'p', nTokens: 10, documentId: 'abcd01111111', conversationId: null, data: Buffer.from([1]) });
    saveSnapshot(db, { modelFingerprint: 'gemma-4b', prefixSha256: 'p', nTokens: 12, documentId: 'abcd01111111', conversationId: null, data: Buffer.from([2]) });
    expect(findSnapshot(db, 'gemma-4b', 'p')).toMatchObject({ nTokens: 12, data: Buffer.from([2]) });
    expect(findSnapshot(db, 'gemma-1b', 'p')).toBeUndefined();
  });

  it('stays within its byte budget, dropping the least recently used (a restore counts as a use)', () => {
    clearSnapshots(db);
    const save = (prefix: string, bytes: number, budget = 1000): void =>
      saveSnapshot(db, { modelFingerprint: 'm', prefixSha256: prefix, nTokens: 1, documentId: null, conversationId: null, data: Buffer.alloc(bytes, 7) }, budget);
    save('a', 400);
    save('b', 400);
    expect(findSnapshot(db, 'm', 'a')).toBeDefined();                          // a is now newer than b
    save('c', 400);                                                            // 1200 > 1000: the least recent, b, goes
    expect(['a', 'b', 'c'].map((p) => !!findSnapshot(db, 'm', p))).toEqual([true, false, true]);
    expect(snapshotUsage(db)).toEqual({ count: 2, bytes: 800 });
    save('huge', 5000);                                                        // larger than the whole budget: not kept
    expect(findSnapshot(db, 'm', 'huge')).toBeUndefined();
    expect(snapshotUsage(db).count).toBe(2);
    expect(evictSnapshots(db, 500)).toBe(1);                                   // a smaller budget applies at once
    expect(snapshotUsage(db)).toEqual({ count: 1, bytes: 400 });
    expect(findSnapshot(db, 'm', 'c')).toBeDefined();                          // the most recently used stays
    save('d', 100, 0);                                                         // a budget of 0 keeps none
    expect(clearSnapshots(db)).toBe(1);
    expect(snapshotUsage(db)).toEqual({ count: 0, bytes: 0 });
  });
});
