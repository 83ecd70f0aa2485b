// Page and region images straight from a PDF file: the whole page at a scale, or any box (a figure, a lasso) fitted
// to a pixel size — what the vision model is shown.
import { readFile } from 'node:fs/promises';
import { FileUnreadableError } from './errors.js';
import type { Box } from './geometry.js';
import { openPdf, type PDFDocumentProxy } from './pdfjs.js';
import { renderCrop, renderPage, scaleToFit } from './render.js';

export interface RegionImage {
  png: Buffer;
  scale: number;
}

async function withPage<T>(path: string, pageNumber: number, password: string | undefined, fn: (page: Awaited<ReturnType<PDFDocumentProxy['getPage']>>) => Promise<T>): Promise<T> {
  const bytes = await readFile(path).catch((error: NodeJS.ErrnoException) => {
    throw new FileUnreadableError(`${path}: cannot read the file (${error.code ?? error.message}): check the path and permissions`);
  });
  const pdf = await openPdf(bytes, { path, password });
  try {
    if (!Number.isInteger(pageNumber) || pageNumber < 1 || pageNumber > pdf.numPages) {
      throw new RangeError(`${path}: page ${pageNumber} does not exist: the document has pages 1 to ${pdf.numPages}`);
    }
    const page = await pdf.getPage(pageNumber);
    try {
      return await fn(page);
    } finally {
      page.cleanup();
    }
  } finally {
    await pdf.destroy();
  }
}

/** The whole page as displayed (rotation applied), `scale` pixels per point. */
export function pageImage(path: string, pageNumber: number, scale: number, options: { password?: string } = {}): Promise<Buffer> {
  return withPage(path, pageNumber, options.password, (page) => renderPage(page, scale));
}

/** A box of the page (points, top-left origin, as displayed) rendered so its longer side is `pixels` long. */
export function regionImage(path: string, pageNumber: number, box: Box, pixels = 896, options: { password?: string } = {}): Promise<RegionImage> {
  return withPage(path, pageNumber, options.password, async (page) => {
    const scale = scaleToFit(box, pixels);
    return { png: await renderCrop(page, box, scale), scale };
  });
}
