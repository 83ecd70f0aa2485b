// The library and its documents: list, add files or folders (each folder's PDFs; ingestion progress per file),
// search, and a document's pages and figures.
import { statSync } from 'node:fs';
import { ingestFile } from '../../documents/ingest.js';
import { pdfsIn } from '../../services/batch/batch-runner.js';
import { listDocuments, listFigures, listPages, resolveDocument, summarizeDocument } from '../../store/documents.js';
import { searchPages } from '../../store/search.js';
import { documentId, method, noArgs, path } from '../api-context.js';
import { v } from '../validate.js';

export const libraryMethods = {
  'library.list': method(noArgs, (_a, { db }) => listDocuments(db).map((d) => ({ ...d, ...summarizeDocument(db, d.id) }))),
  'library.add': method(v.object({ paths: v.array(path, { min: 1, max: 1000 }) }), async ({ paths: given }, ctx) => {
    const paths = given.flatMap((p) => (statSync(p, { throwIfNoEntry: false })?.isDirectory() ? pdfsIn(p) : [p]));
    const results = [];
    for (const [index, p] of paths.entries()) {
      ctx.signal.throwIfAborted();
      try {
        const r = await ingestFile(ctx.db, p, { onProgress: (progress) => ctx.emit({ type: 'progress', file: index + 1, files: paths.length, ...progress }) });
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
};
