// Batch jobs: start one over a folder with a template, follow its items, pause, cancel, export the results.
import { createJob, runJob } from '../../services/batch/batch-runner.js';
import { exportResults, exportRows } from '../../services/batch/export.js';
import { jobStatus, listBatchItems, listBatchJobs, setJobStatus } from '../../store/batch-jobs.js';
import { engineOf, method, noArgs, path } from '../api-context.js';
import { v } from '../validate.js';

const jobId = v.integer({ min: 1 });

// Jobs running in this process (the store's 'running' can outlive a killed process): a model switch waits for none.
let running = 0;
export const batchRunning = (): boolean => running > 0;

export const batchMethods = {
  'batch.start': method(v.object({ folder: path, template: v.string({ min: 1, max: 4096 }) }), ({ folder, template }, ctx) => {
    const engine = engineOf(ctx);
    const id = createJob(ctx.db, folder, template);
    // Runs on after this call answers: the page follows it with batch.items; per-file failures are stored with
    // their item, and a job that stops on an error is marked failed.
    running++;
    void runJob(ctx.db, engine, id).catch(() => setJobStatus(ctx.db, id, 'failed')).finally(() => running--);
    return { jobId: id };
  }),
  'batch.list': method(noArgs, (_a, { db }) => listBatchJobs(db).reverse()),
  'batch.export': method(v.object({ jobId, format: v.literal('md', 'csv', 'json') }), ({ jobId: id, format }, { db }) =>
    exportResults(exportRows(listBatchItems(db, id)), format)),
  'batch.items': method(v.object({ jobId }), ({ jobId: id }, { db }) => ({ status: jobStatus(db, id) ?? null, items: listBatchItems(db, id) })),
  'batch.pause': method(v.object({ jobId }), ({ jobId: id }, { db }) => setJobStatus(db, id, 'queued')),
  'batch.cancel': method(v.object({ jobId }), ({ jobId: id }, { db }) => setJobStatus(db, id, 'cancelled')),
};
