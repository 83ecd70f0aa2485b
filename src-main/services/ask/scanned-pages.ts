// Scanned pages (no text layer, one big image) are read by the vision model: the whole page is rendered at the
// encoder's size and shown as an image where its text would be, its tokens cached by the rendering's SHA-256 like a
// figure's. Without a vision model such a page has nothing to read, and the answer says so.
import type { PageRecord } from '../../store/records.js';
import type { FigureCrop } from './figure-tokens.js';
import { regionCrop } from './region.js';

/** How a scanned page is introduced in the prompt (the image follows). */
export const scannedPageLabel = (n: number): string => `[p. ${n}] (a scanned page, shown as an image)\n<start_of_image>`;

/** The longest label, for the token budget (the image's own tokens come from the projector). */
export const SCANNED_LABEL_SAMPLE = `${scannedPageLabel(99999)}<end_of_image>\n\n`;

export function scannedPageImage(pdfPath: string, page: Pick<PageRecord, 'pageNumber' | 'width' | 'height'>): Promise<FigureCrop> {
  return regionCrop(pdfPath, { pageNumber: page.pageNumber, box: [0, 0, page.width, page.height] });
}
