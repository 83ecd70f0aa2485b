// The one API the renderer may call, for both transports (Electron IPC and `quire serve`): every method's argument
// checker and its handler over the services. dispatch() validates, runs, and always answers with a result envelope
// — {ok: true, value} or {ok: false, error: {code, message}} — so nothing thrown inside leaks as a stack trace.
import { ingestFile } from '../documents/ingest.js';
import { AskService } from '../services/ask/ask-service.js';
import { createJob, runJob } from '../services/batch/batch-runner.js';
import { exportResults, exportRows } from '../services/batch/export.js';
import type { EngineHost } from '../services/engine-host/index.js';
import { inspectModelFiles } from '../services/models/model-files.js';
import { estimateMemory } from '../services/models/estimate.js';
import { addModel, verifyModel } from '../services/models/registry.js';
import { jobStatus, listBatchItems, listBatchJobs, setJobStatus } from '../store/batch-jobs.js';
import { listConversations, listMessages } from '../store/conversations.js';
import type { Db } from '../store/database.js';
import { listDocuments, listFigures, listPages, resolveDocument, summarizeDocument } from '../store/documents.js';
import { findModel, listModels } from '../store/models.js';
import { searchPages } from '../store/search.js';
import { type Check, ValidationError, v } from './validate.js';

export interface ApiContext {
  db: Db;
  /** The engine, once a model is loaded (methods that need it say so when it is not). */
  engine: () => EngineHost | undefined;
  /** Streams an event of this request to the caller (tokens, progress). */
  emit: (event: { type: string; [key: string]: unknown }) => void;
  signal: AbortSignal;
  /** Defaults the user set (Settings), used where a call does not say: the sampling seed for now. */
  settings?: { seed?: number };
}

export type Envelope<T = unknown> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };

interface Method<A> {
  args: Check<A>;
  run: (args: A, ctx: ApiContext) => unknown;
}

const method = <A>(args: Check<A>, run: (args: A, ctx: ApiContext) => unknown): Method<A> => ({ args, run });

const documentId = v.string({ min: 1, max: 64, pattern: /^[0-9a-f]+$/ });
const path = v.string({ min: 1, max: 4096 });
const noArgs = v.object({});

class NotReadyError extends Error {
  override readonly name = 'NotReadyError';
}

function engineOf(ctx: ApiContext): EngineHost {
  const engine = ctx.engine();
  if (!engine?.loaded) throw new NotReadyError('no model is loaded: choose one in Models');
  return engine;
}

export const api = {
  'library.list': method(noArgs, (_a, { db }) => listDocuments(db).map((d) => ({ ...d, ...summarizeDocument(db, d.id) }))),
  'library.add': method(v.object({ paths: v.array(path, { min: 1, max: 1000 }) }), async ({ paths }, ctx) => {
    const results = [];
    for (const p of paths) {
      ctx.signal.throwIfAborted();
      try {
        const r = await ingestFile(ctx.db, p, { onProgress: (progress) => ctx.emit({ type: 'progress', ...progress }) });
        results.push({ path: p, ok: true, documentId: r.id });
      } catch (error) {
        results.push({ path: p, ok: false, error: error instanceof Error ? error.message : String(error) });
      }
    }
    return results;
  }),
  'library.search': method(v.object({ query: v.string({ min: 1, max: 500 }), documentId: v.optional(documentId), limit: v.optional(v.integer({ min: 1, max: 200 })) }),
    ({ query, documentId: doc, limit }, { db }) => searchPages(db, query, { ...(doc ? { documentId: doc } : {}), ...(limit ? { limit } : {}) })),
  'document.pages': method(v.object({ documentId }), ({ documentId: id }, { db }) => {
    const doc = resolveDocument(db, id);
    return listPages(db, doc.id).map((p) => ({ pageNumber: p.pageNumber, width: p.width, height: p.height, text: p.text, scanned: p.scanned, error: p.error }));
  }),
  'document.figures': method(v.object({ documentId }), ({ documentId: id }, { db }) =>
    listFigures(db, resolveDocument(db, id).id).map((f) => ({ id: f.id, number: f.number, pageNumber: f.pageNumber, kind: f.kind, box: f.box }))),
  'chat.history': method(v.object({ documentId }), ({ documentId: id }, { db }) => {
    const doc = resolveDocument(db, id);
    return listConversations(db, doc.id).map((c) => ({ ...c, messages: listMessages(db, c.id) }));
  }),
  'chat.ask': method(v.object({
    documentId, question: v.string({ min: 1, max: 4000 }), conversationId: v.optional(v.integer({ min: 1 })), maxTokens: v.optional(v.integer({ min: 1, max: 4096 })),
    seed: v.optional(v.integer({ min: 0, max: 2 ** 31 })),
  }), ({ documentId: id, question, conversationId, maxTokens, seed }, ctx) => new AskService(ctx.db, engineOf(ctx)).ask(id, question, {
    ...(conversationId ? { conversationId } : {}), ...(maxTokens ? { maxTokens } : {}), ...((seed ?? ctx.settings?.seed) !== undefined ? { sampling: { seed: seed ?? ctx.settings!.seed! } } : {}), signal: ctx.signal,
    onToken: (text) => ctx.emit({ type: 'token', text }),
  })),
  'batch.start': method(v.object({ folder: path, template: v.string({ min: 1, max: 4096 }) }), ({ folder, template }, ctx) => {
    const engine = engineOf(ctx);
    const jobId = createJob(ctx.db, folder, template);
    // Runs on after this call answers: the page follows it with batch.items; per-file failures are stored with
    // their item, and a job that stops on an error is marked failed.
    void runJob(ctx.db, engine, jobId).catch(() => setJobStatus(ctx.db, jobId, 'failed'));
    return { jobId };
  }),
  'batch.list': method(noArgs, (_a, { db }) => listBatchJobs(db).reverse()),
  'batch.export': method(v.object({ jobId: v.integer({ min: 1 }), format: v.literal('md', 'csv', 'json') }), ({ jobId, format }, { db }) =>
    exportResults(exportRows(listBatchItems(db, jobId)), format)),
  'batch.items': method(v.object({ jobId: v.integer({ min: 1 }) }), ({ jobId }, { db }) => ({ status: jobStatus(db, jobId) ?? null, items: listBatchItems(db, jobId) })),
  'batch.pause': method(v.object({ jobId: v.integer({ min: 1 }) }), ({ jobId }, { db }) => setJobStatus(db, jobId, 'queued')),
  'batch.cancel': method(v.object({ jobId: v.integer({ min: 1 }) }), ({ jobId }, { db }) => setJobStatus(db, jobId, 'cancelled')),
  'models.list': method(noArgs, (_a, { db }) => listModels(db)),
  'models.add': method(v.object({ path, mmproj: v.optional(path), name: v.optional(v.string({ min: 1, max: 100 })) }), ({ path: model, mmproj, name }, { db }) =>
    addModel(db, model, { ...(mmproj ? { mmproj } : {}), ...(name ? { name } : {}) })),
  'models.verify': method(v.object({ name: v.string({ min: 1, max: 100 }) }), ({ name }, { db }) => verifyModel(db, name)),
  'models.estimate': method(v.object({ name: v.string({ min: 1, max: 100 }), contextSize: v.optional(v.integer({ min: 16, max: 1 << 20 })) }), ({ name, contextSize }, { db }) => {
    const entry = findModel(db, name);
    if (!entry) throw new NotReadyError(`no model named "${name}"`);
    const files = inspectModelFiles(entry.modelPath, entry.mmprojPath);
    return estimateMemory(files, contextSize ?? Math.min(4096, files.config.contextLength));
  }),
} satisfies Record<string, { args: Check<unknown>; run: (args: never, ctx: ApiContext) => unknown }>;

export type ApiMethod = keyof typeof api;

export function isApiMethod(name: unknown): name is ApiMethod {
  return typeof name === 'string' && Object.hasOwn(api, name);
}

/** Validates and runs one call; every outcome is an envelope. */
export async function dispatch(name: unknown, args: unknown, ctx: ApiContext): Promise<Envelope> {
  if (!isApiMethod(name)) return { ok: false, error: { code: 'unknown-method', message: `there is no method ${String(name).slice(0, 80)}` } };
  const m = api[name] as Method<unknown>;
  let checked: unknown;
  try {
    checked = m.args(args ?? {}, '');
  } catch (error) {
    return { ok: false, error: { code: 'invalid-argument', message: (error as ValidationError).message } };
  }
  try {
    return { ok: true, value: await m.run(checked, ctx) ?? null };
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    return { ok: false, error: { code: e.name === 'AbortError' ? 'cancelled' : e.name, message: e.message } };
  }
}
