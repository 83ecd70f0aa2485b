// A region the user lassoed on a page, as an image the vision model can be shown: rendered from the PDF at the
// encoder's size and keyed by its bytes' SHA-256, so asking about the same region again reuses its cached tokens.
import { createHash } from 'node:crypto';
import type { Box } from '../../documents/geometry.js';
import { regionImage } from '../../documents/page-images.js';
import type { FigureCrop } from './figure-tokens.js';

export interface PageRegion {
  pageNumber: number;
  /** Points, top-left origin, as the page is displayed. */
  box: Box;
}

export class EmptyRegionError extends RangeError {
  override readonly name = 'EmptyRegionError';
}

export async function regionCrop(pdfPath: string, region: PageRegion): Promise<FigureCrop> {
  const [x0, y0, x1, y1] = region.box;
  if (!(x1 - x0 >= 4 && y1 - y0 >= 4)) throw new EmptyRegionError('the selected region is too small: drag a larger box around what to ask about');
  const { png } = await regionImage(pdfPath, region.pageNumber, region.box);
  return { cropPng: png, cropSha256: createHash('sha256').update(png).digest('hex') };
}
