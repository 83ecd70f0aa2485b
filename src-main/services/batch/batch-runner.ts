// A batch: a job row and one item per PDF of a folder; then, item by item, ingestion (which itself resumes page by
// page) and the template's result, stored with the item in one write. The loop checks the job's status between
// items, so `quire jobs pause|cancel N` from another process stops it cleanly; a killed process leaves at most one
// item 'running', which the next run puts back in the queue — no item is lost, none is done twice.
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ingestFile } from '../../documents/ingest.js';
import {
  type BatchItem, claimNextItem, countBatchItems, createBatchJob, finishItem, jobStatus, listBatchItems, requeueInterruptedItems, setJobStatus,
} from '../../store/batch-jobs.js';
import type { Db } from '../../store/database.js';
import type { EngineHost } from '../engine-host/index.js';
import { summarizeDocument, type SummaryOptions } from './summarize.js';
import { resolveTemplate } from './templates.js';

export interface BatchProgress {
  jobId: number;
  total: number;
  done: number;
  failed: number;
  /** The file being worked on now. */
  current?: string;
  /** Seconds left at the pace of the items finished by this run, once one has finished. */
  etaSeconds?: number;
}

export class BatchError extends Error {
  override readonly name = 'BatchError';
}

/** The PDFs directly in `folder`, sorted by name. */
export function pdfsIn(folder: string): string[] {
  const dir = resolve(folder);
  if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) throw new BatchError(`${folder} is not a folder`);
  return readdirSync(dir).filter((f) => /\.pdf$/i.test(f)).sort().map((f) => join(dir, f)).filter((p) => statSync(p).isFile());
}

/** Creates the job for a folder and a template (checked now, so a bad one fails before any work). */
export function createJob(db: Db, folder: string, template: string): number {
  resolveTemplate(template);
  const paths = pdfsIn(folder);
  if (paths.length === 0) throw new BatchError(`no PDF files in ${folder}`);
  return createBatchJob(db, { folder: resolve(folder), template, paths });
}

export function jobTemplate(db: Db, jobId: number): string {
  const template = db.prepare('SELECT template FROM batch_jobs WHERE id = ?').pluck().get(jobId) as string | undefined;
  if (template === undefined) throw new BatchError(`there is no job ${jobId}`);
  return template;
}

export interface RunOptions extends SummaryOptions {
  onProgress?: (p: BatchProgress) => void;
  onItem?: (item: BatchItem) => void;
}

/** Runs (or resumes) a job until every item is done or failed, or the job is paused or cancelled. */
export async function runJob(db: Db, engine: EngineHost, jobId: number, options: RunOptions = {}): Promise<'done' | 'paused' | 'cancelled'> {
  const template = resolveTemplate(jobTemplate(db, jobId));
  const status = jobStatus(db, jobId);
  if (status === 'cancelled') throw new BatchError(`job ${jobId} was cancelled`);
  requeueInterruptedItems(db, jobId);
  setJobStatus(db, jobId, 'running');
  const started = Date.now();
  let finishedHere = 0;
  const progress = (current?: string): BatchProgress => {
    const { total, done, failed } = countBatchItems(db, jobId);
    const left = total - done - failed;
    return {
      jobId, total, done, failed, ...(current ? { current } : {}),
      ...(finishedHere > 0 ? { etaSeconds: Math.round(((Date.now() - started) / finishedHere) * left / 1000) } : {}),
    };
  };
  options.onProgress?.(progress());
  for (;;) {
    const now = jobStatus(db, jobId);
    if (now !== 'running') return now === 'cancelled' ? 'cancelled' : 'paused';   // paused or cancelled from elsewhere
    options.signal?.throwIfAborted();
    const item = claimNextItem(db, jobId);
    if (!item) break;
    options.onProgress?.(progress(item.path));
    try {
      const { id } = await ingestFile(db, item.path);
      const result = await summarizeDocument(db, engine, id, template, options);
      finishItem(db, item.id, { documentId: id, result: JSON.stringify(result) });
    } catch (error) {
      if (options.signal?.aborted) {
        requeueInterruptedItems(db, jobId);
        throw error;
      }
      finishItem(db, item.id, { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
    }
    finishedHere++;
    const finished = listBatchItems(db, jobId).find((i) => i.id === item.id)!;
    options.onItem?.(finished);
    options.onProgress?.(progress());
  }
  setJobStatus(db, jobId, 'done');
  return 'done';
}
