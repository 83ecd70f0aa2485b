// Batch jobs (a folder × a prompt template) and their items. Items are the unit of progress: a killed batch
// resumes by putting its 'running' items back to 'pending'.
import type { Db } from './database.js';

export type JobStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';
export type ItemStatus = 'pending' | 'running' | 'done' | 'failed';

export interface BatchItem {
  id: number;
  path: string;
  documentId: string | null;
  status: ItemStatus;
  result: string | null;
  error: string | null;
}

/** Creates the job and one pending item per path, all or nothing. */
export function createBatchJob(db: Db, job: { folder: string; template: string; paths: string[] }): number {
  return db.transaction(() => {
    const now = new Date().toISOString();
    const id = Number(db.prepare("INSERT INTO batch_jobs (folder, template, status, created_at, updated_at) VALUES (?, ?, 'queued', ?, ?)")
      .run(job.folder, job.template, now, now).lastInsertRowid);
    const insert = db.prepare("INSERT INTO batch_items (job_id, path, status, updated_at) VALUES (?, ?, 'pending', ?)");
    for (const path of job.paths) insert.run(id, path, now);
    return id;
  })();
}

export function setJobStatus(db: Db, jobId: number, status: JobStatus): void {
  db.prepare('UPDATE batch_jobs SET status = ?, updated_at = ? WHERE id = ?').run(status, new Date().toISOString(), jobId);
}

export function jobStatus(db: Db, jobId: number): JobStatus | undefined {
  return db.prepare('SELECT status FROM batch_jobs WHERE id = ?').pluck().get(jobId) as JobStatus | undefined;
}

export function listBatchItems(db: Db, jobId: number): BatchItem[] {
  return db.prepare(`
    SELECT id, path, document_id AS documentId, status, result, error FROM batch_items WHERE job_id = ? ORDER BY id
  `).all(jobId) as BatchItem[];
}

/** Claims the next pending item (marks it running) or returns undefined when none is left. */
export function claimNextItem(db: Db, jobId: number): BatchItem | undefined {
  return db.transaction(() => {
    const item = db.prepare(`
      SELECT id, path, document_id AS documentId, status, result, error FROM batch_items
      WHERE job_id = ? AND status = 'pending' ORDER BY id LIMIT 1
    `).get(jobId) as BatchItem | undefined;
    if (!item) return undefined;
    db.prepare("UPDATE batch_items SET status = 'running', updated_at = ? WHERE id = ?").run(new Date().toISOString(), item.id);
    return { ...item, status: 'running' as const };
  })();
}

export function finishItem(db: Db, itemId: number, outcome: { documentId?: string; result?: string; error?: string }): void {
  db.prepare('UPDATE batch_items SET status = ?, document_id = coalesce(?, document_id), result = ?, error = ?, updated_at = ? WHERE id = ?')
    .run(outcome.error === undefined ? 'done' : 'failed', outcome.documentId ?? null, outcome.result ?? null, outcome.error ?? null,
      new Date().toISOString(), itemId);
}

/** After a crash: items left 'running' were not finished, so they go back to the queue. Returns how many. */
export function requeueInterruptedItems(db: Db, jobId: number): number {
  return db.prepare("UPDATE batch_items SET status = 'pending', updated_at = ? WHERE job_id = ? AND status = 'running'")
    .run(new Date().toISOString(), jobId).changes;
}

export interface BatchCounts {
  total: number;
  done: number;
  failed: number;
}

/** How many items a job has, done and failed (counted in SQL: the results themselves are not read). */
export function countBatchItems(db: Db, jobId: number): BatchCounts {
  return db.prepare(`
    SELECT count(*) AS total, count(*) FILTER (WHERE status = 'done') AS done, count(*) FILTER (WHERE status = 'failed') AS failed
    FROM batch_items WHERE job_id = ?
  `).get(jobId) as BatchCounts;
}

export interface BatchJobSummary extends BatchCounts {
  id: number;
  folder: string;
  template: string;
  status: JobStatus;
  createdAt: string;
}

/** Every job with its counts, in order of creation. */
export function listBatchJobs(db: Db): BatchJobSummary[] {
  const jobs = db.prepare('SELECT id, folder, template, status, created_at AS createdAt FROM batch_jobs ORDER BY id').all() as Omit<BatchJobSummary, keyof BatchCounts>[];
  return jobs.map((j) => ({ ...j, ...countBatchItems(db, j.id) }));
}
