// Ingestion of one PDF into the store: hash, open, then page by page — text with positions, figures with rendered
// crops — each page committed with its figures in one transaction. Re-ingesting an unchanged file costs a hash;
// an interrupted ingestion resumes at the first page not yet stored.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Db } from '../store/database.js';
import {
  beginDocument, findDocumentBySha, markDocumentReady, savePage, storedPageNumbers, summarizeDocument,
} from '../store/documents.js';
import type { FigureRecord, PageRecord } from '../store/records.js';
import { FileUnreadableError, PdfTooManyPagesError } from './errors.js';
import { DEFAULT_MAX_PAGES } from './limits.js';
import { detectFigures } from './figure-detection.js';
import { area, clip, expand, type Box } from './geometry.js';
import { extractGraphics } from './page-graphics.js';
import { extractTextRuns } from './page-text.js';
import { readingOrderText } from './reading-order.js';
import { openPdf, type PDFPageProxy } from './pdfjs.js';
import { renderCrop, scaleToFit } from './render.js';

export interface IngestProgress {
  path: string;
  documentId: string;
  pageNumber: number;
  pageCount: number;
  /** Pages stored so far, including those stored by an earlier, interrupted run. */
  pagesDone: number;
}

export interface IngestOptions {
  password?: string;
  /** Files with more pages are refused up front (default 5000). */
  maxPages?: number;
  /** Longer side of each stored figure crop in pixels (default 896, the vision encoder's input size). */
  cropPixels?: number;
  onProgress?: (progress: IngestProgress) => void;
}

export interface IngestResult {
  id: string;
  path: string;
  pages: number;
  figures: number;
  scannedPages: number[];
  errors: { page: number; message: string }[];
  /** 'unchanged': already in the store, only hashed; 'resumed': an interrupted ingestion was completed. */
  outcome: 'ingested' | 'resumed' | 'unchanged';
  pagesProcessed: number;
}

/** A page whose text layer is empty and whose images cover this much of it is a scan. */
const SCANNED_IMAGE_COVERAGE = 0.5;
/** Points of page around a figure's box included in its crop. */
const CROP_MARGIN = 4;

export async function ingestFile(db: Db, path: string, options: IngestOptions = {}): Promise<IngestResult> {
  const bytes = await readFile(path).catch((error: NodeJS.ErrnoException) => {
    throw new FileUnreadableError(`${path}: cannot read the file (${error.code ?? error.message}): check the path and permissions`);
  });
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const known = findDocumentBySha(db, sha256);
  if (known?.status === 'ready') {
    if (known.path !== path) beginDocument(db, { ...known, path });
    return { ...resultFor(db, known.id, path), outcome: 'unchanged', pagesProcessed: 0 };
  }

  // Everything that can refuse the whole file happens before the first row is written.
  const pdf = await openPdf(bytes, { path, password: options.password });
  try {
    const maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
    if (pdf.numPages > maxPages) {
      throw new PdfTooManyPagesError(`${path}: ${pdf.numPages} pages, more than the limit of ${maxPages}: raise it with --max-pages`);
    }
    const title = await readTitle(pdf);
    const doc = beginDocument(db, { sha256, path, byteSize: bytes.length, pageCount: pdf.numPages, title });
    const stored = storedPageNumbers(db, doc.id);
    let processed = 0;
    for (let n = 1; n <= pdf.numPages; n++) {
      if (stored.has(n)) continue;
      const { page, figures } = await readPage(pdf, n, options.cropPixels ?? 896);
      savePage(db, doc.id, page, figures);
      processed++;
      options.onProgress?.({ path, documentId: doc.id, pageNumber: n, pageCount: pdf.numPages, pagesDone: stored.size + processed });
    }
    markDocumentReady(db, doc.id);
    return { ...resultFor(db, doc.id, path), outcome: stored.size > 0 ? 'resumed' : 'ingested', pagesProcessed: processed };
  } finally {
    await pdf.destroy();
  }
}

function resultFor(db: Db, id: string, path: string): Omit<IngestResult, 'outcome' | 'pagesProcessed'> {
  return { id, path, ...summarizeDocument(db, id) };
}

async function readTitle(pdf: Awaited<ReturnType<typeof openPdf>>): Promise<string | null> {
  try {
    const { info } = await pdf.getMetadata();
    const title = (info as { Title?: unknown } | undefined)?.Title;
    return typeof title === 'string' && title.trim() !== '' ? title.trim() : null;
  } catch {
    return null; // a damaged Info dictionary costs the title, not the document
  }
}

/** Reads one page; a page pdf.js cannot parse becomes a page record carrying the error, so the rest still ingests. */
async function readPage(pdf: Awaited<ReturnType<typeof openPdf>>, n: number, cropPixels: number): Promise<{ page: PageRecord; figures: FigureRecord[] }> {
  let page: PDFPageProxy | undefined;
  try {
    page = await pdf.getPage(n);
    return await analysePage(page, n, cropPixels);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      page: {
        pageNumber: n, width: 0, height: 0, rotation: 0, text: '', runs: [], hasTextLayer: false, scanned: false,
        error: `page ${n} could not be read: ${reason}`,
      },
      figures: [],
    };
  } finally {
    page?.cleanup();
  }
}

async function analysePage(page: PDFPageProxy, n: number, cropPixels: number): Promise<{ page: PageRecord; figures: FigureRecord[] }> {
  const viewport = page.getViewport({ scale: 1 });
  const runs = await extractTextRuns(page, viewport.transform);
  const graphics = await extractGraphics(page, viewport.transform);
  const size = { width: viewport.width, height: viewport.height };
  const pageBox: Box = [0, 0, size.width, size.height];
  const hasTextLayer = runs.length > 0;
  const imageArea = graphics.filter((g) => g.kind === 'image').reduce((sum, g) => sum + area(clip(g.box, pageBox)), 0);
  const scanned = !hasTextLayer && imageArea >= SCANNED_IMAGE_COVERAGE * size.width * size.height;

  const figures: FigureRecord[] = [];
  for (const [i, f] of detectFigures(graphics, runs, size).entries()) {
    // A little margin so strokes and glyphs on the box's edge are not cut in half.
    const cropBox = clip(expand(f.box, CROP_MARGIN), pageBox);
    const scale = scaleToFit(cropBox, cropPixels);
    const png = await renderCrop(page, cropBox, scale);
    figures.push({
      pageNumber: n, ordinal: i + 1, kind: f.kind, box: f.box.map((v) => Math.round(v * 100) / 100) as Box,
      cropPng: png, cropScale: scale, cropSha256: createHash('sha256').update(png).digest('hex'),
    });
  }
  const rotation = (((page.rotate % 360) + 360) % 360) as PageRecord['rotation'];
  return {
    page: {
      pageNumber: n, width: size.width, height: size.height, rotation, text: readingOrderText(runs), runs,
      hasTextLayer, scanned, error: null,
    },
    figures,
  };
}
