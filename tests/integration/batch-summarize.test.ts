// Batch summaries end to end through the CLI: a folder of 5 PDFs, the process killed with SIGKILL mid-run and
// resumed to exactly 5 results (none lost, none redone); contract key terms decoded under the JSON schema parse for
// every file; the results export to Markdown, CSV and JSON with citations.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GgmlType } from '../../engine/quant/index.js';
import { GEMMA3_PRESETS, synthesizeGemma3 } from '../../engine/synth/index.js';
import { createJob } from '../../src-main/services/batch/batch-runner.js';
import { listBatchItems, setJobStatus } from '../../src-main/store/batch-jobs.js';
import { openDatabase } from '../../src-main/store/database.js';
import { longDocument, writeBytes } from '../helpers/pdf-files.js';
import { runQuire } from '../helpers/run-quire.js';

const dir = mkdtempSync(join(tmpdir(), 'quire-batch-'));
const folder = join(dir, 'contracts');
const model = join(dir, 'tiny.gguf');
const data = join(dir, 'data');
const quire = (args: string[]) => runQuire([...args, '--data', data]);

beforeAll(async () => {
  synthesizeGemma3(model, { shape: GEMMA3_PRESETS.tiny, vocab: 'synthetic', matrixType: GgmlType.Q8_0, embeddingType: GgmlType.Q8_0, weightScale: 1.75, seed: 41 });
  mkdirSync(folder);
  for (let i = 1; i <= 5; i++) writeBytes(join(folder, `contract-${i}.pdf`), await longDocument(2 + i, { words: 48 }));
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('batch summaries', async () => {
  it('killed with SIGKILL mid-run and resumed: exactly 5 results, none done twice', async () => {
    const child = spawn(process.execPath, ['bin/quire.js', 'summarize', folder, '-m', model, '--ctx-size', '1024', '-n', '48', '--seed', '1', '--data', data],
      { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const dbPath = join(data, 'quire.db');
    // Wait until two files are done, then kill the process where it stands (the third is in progress).
    const doneBefore = await new Promise<{ id: number; updatedAt: string }[]>((resolve, reject) => {
      const timer = setInterval(() => {
        try {
          const db = openDatabase(dbPath);
          const done = db.prepare("SELECT id, updated_at AS updatedAt FROM batch_items WHERE status = 'done' ORDER BY id").all() as { id: number; updatedAt: string }[];
          db.close();
          if (done.length >= 2) {
            clearInterval(timer);
            child.kill('SIGKILL');
            resolve(done);
          }
        } catch { /* the database is not created yet */ }
      }, 25);
      child.on('exit', async () => {
        clearInterval(timer);
        reject(new Error(`the batch ended before it could be killed:\n${stderr}`));
      });
    });
    await new Promise((resolve) => child.once('exit', resolve));
    let db = openDatabase(dbPath);
    const between = listBatchItems(db, 1);
    db.close();
    expect(between.filter((i) => i.status === 'done').length).toBeLessThan(5);   // it really was cut off

    const resumed = await quire(['summarize', '--resume', '1', '-m', model, '--ctx-size', '1024', '-n', '48', '--seed', '1', '--out', join(dir, 'out.json')]);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(/job 1 done/);
    db = openDatabase(dbPath);
    const items = listBatchItems(db, 1);
    const after = db.prepare("SELECT id, updated_at AS updatedAt FROM batch_items WHERE status = 'done' ORDER BY id").all() as { id: number; updatedAt: string }[];
    const documents = db.prepare('SELECT count(*) FROM documents').pluck().get();
    db.close();
    expect(items).toHaveLength(5);
    expect(items.every((i) => i.status === 'done' && i.result)).toBe(true);
    expect(documents).toBe(5);
    for (const d of doneBefore) expect(after.find((a) => a.id === d.id)?.updatedAt).toBe(d.updatedAt);   // not redone
    const exported = JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8')) as { file: string; summary: { text: string } }[];
    expect(exported.map((r) => r.file.split('/').pop())).toEqual([1, 2, 3, 4, 5].map((i) => `contract-${i}.pdf`));
    expect(exported.every((r) => typeof r.summary.text === 'string')).toBe(true);
  });

  it('contract key terms: every file\'s fields parse, each with a page or none; Markdown and CSV exports carry them', async () => {
    const run = await quire(['summarize', folder, '-m', model, '--template', 'contract', '--ctx-size', '1024', '-n', '24', '--seed', '7', '--out', join(dir, 'terms.csv')]);
    expect(run.status, run.stderr).toBe(0);
    const db = openDatabase(join(data, 'quire.db'));
    const items = listBatchItems(db, 2);
    db.close();
    expect(items).toHaveLength(5);
    const keys = ['parties', 'effective_date', 'term', 'renewal', 'termination', 'payment', 'liability_cap', 'governing_law'];
    for (const item of items) {
      const result = JSON.parse(item.result!) as { fields: Record<string, { value: string; page: number | null; citation?: { pageNumber: number } }> };
      expect(Object.keys(result.fields)).toEqual(keys);
      for (const f of Object.values(result.fields)) {
        expect(typeof f.value).toBe('string');
        if (f.page !== null) expect(f.citation?.pageNumber).toBe(f.page);
      }
    }
    const csv = readFileSync(join(dir, 'terms.csv'), 'utf8').split('\r\n');
    expect(csv[0]).toBe(['file', 'status', 'error', ...keys.flatMap((k) => [k, `${k}_page`, `${k}_quote`])].join(','));
    expect(csv.filter(Boolean)).toHaveLength(6);
    const md = await quire(['jobs', 'export', '2', '--out', join(dir, 'terms.md')]);
    expect(md.status, md.stderr).toBe(0);
    const text = readFileSync(join(dir, 'terms.md'), 'utf8');
    expect(text.match(/^## contract-\d\.pdf$/gm)).toHaveLength(5);
    expect(text).toContain('| governing_law |');
  });

  it('a pause from another process stops the job after the file in progress; resume finishes it; cancel is final', async () => {
    const child = spawn(process.execPath, ['bin/quire.js', 'summarize', folder, '-m', model, '--ctx-size', '1024', '-n', '48', '--seed', '3', '--data', data],
      { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    // As soon as the first file is done, pause the job the way `quire jobs pause` does (one write to the store).
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        const db = openDatabase(join(data, 'quire.db'));
        const done = db.prepare("SELECT count(*) FROM batch_items WHERE job_id = 3 AND status = 'done'").pluck().get() as number;
        if (done >= 1) {
          setJobStatus(db, 3, 'queued');
          clearInterval(timer);
          resolve();
        }
        db.close();
      }, 25);
    });
    expect(await exited).toBe(0);
    expect(stderr).toMatch(/job 3 paused/);
    let db = openDatabase(join(data, 'quire.db'));
    expect(listBatchItems(db, 3).filter((i) => i.status === 'done').length).toBeLessThan(5);
    db.close();
    expect((await quire(['jobs'])).stdout).toMatch(/^3 {2}paused/m);
    const resumed = await quire(['summarize', '--resume', '3', '-m', model, '--ctx-size', '1024', '-n', '48', '--seed', '3']);
    expect(resumed.stderr).toMatch(/job 3 done/);
    db = openDatabase(join(data, 'quire.db'));
    expect(listBatchItems(db, 3).filter((i) => i.status === 'done')).toHaveLength(5);
    const job4 = createJob(db, folder, 'summary');
    db.close();
    expect((await quire(['jobs', 'pause', String(job4)])).stderr).toMatch(new RegExp(`job ${job4} will pause after the file in progress`));
    expect((await quire(['jobs', 'cancel', String(job4)])).stderr).toMatch(new RegExp(`job ${job4} cancelled`));
    const again = await quire(['summarize', '--resume', String(job4), '-m', model]);
    expect(again.status).not.toBe(0);
    expect(again.stderr).toMatch(/was cancelled/);
  });

  it('jobs lists both; pause and cancel are refused for finished jobs; a folder without PDFs is a clear error', async () => {
    const list = await quire(['jobs']);
    expect(list.stdout).toMatch(/^1 {2}done +5\/5 {2}summary/m);
    expect(list.stdout).toMatch(/^2 {2}done +5\/5 {2}contract/m);
    expect((await quire(['jobs', 'pause', '1'])).stderr).toMatch(/job 1 is done/);
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    const none = await quire(['summarize', empty, '-m', model]);
    expect(none.status).not.toBe(0);
    expect(none.stderr).toMatch(/no PDF files in/);
  });
});
