// Rendering a page, or any box of it, to PNG with pdf.js onto an @napi-rs/canvas (the `canvas` package drops glyphs).
import { createCanvas } from '@napi-rs/canvas';
import { RenderTooLargeError } from './errors.js';
import type { Box } from './geometry.js';
import type { PDFPageProxy } from './pdfjs.js';

/** 64 megapixels ≈ 256 MB of RGBA: past this a render is refused rather than risking the process's memory. */
export const MAX_RENDER_PIXELS = 64_000_000;

/** Renders the whole page as displayed (rotation applied) at `scale` pixels per point. */
export async function renderPage(page: PDFPageProxy, scale: number): Promise<Buffer> {
  const vp = page.getViewport({ scale: 1 });
  return renderCrop(page, [0, 0, vp.width, vp.height], scale);
}

/** Renders only `box` (points, top-left origin, as displayed) at `scale` pixels per point. */
export async function renderCrop(page: PDFPageProxy, box: Box, scale: number): Promise<Buffer> {
  if (!(scale > 0) || !Number.isFinite(scale)) throw new RangeError(`render scale must be a positive number, got ${scale}`);
  const w = Math.max(1, Math.ceil((box[2] - box[0]) * scale));
  const h = Math.max(1, Math.ceil((box[3] - box[1]) * scale));
  if (w * h > MAX_RENDER_PIXELS) {
    // Rounded down so the suggested scale really fits.
    const fit = Math.sqrt(MAX_RENDER_PIXELS / ((box[2] - box[0]) * (box[3] - box[1])));
    throw new RenderTooLargeError(
      `rendering ${w}×${h} pixels exceeds the limit of ${MAX_RENDER_PIXELS} pixels: use a scale of at most ${(Math.floor(fit * 1000) / 1000).toFixed(3)} for this region`,
    );
  }
  // Shift the viewport so the box's top-left corner lands at the canvas origin; pdf.js clips to the canvas.
  const viewport = page.getViewport({ scale, offsetX: -box[0] * scale, offsetY: -box[1] * scale });
  const canvas = createCanvas(w, h);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, w, h);
  // pdf.js is typed against the DOM canvas; @napi-rs/canvas implements the same 2D API.
  const params = { canvas, canvasContext: ctx, viewport } as unknown as Parameters<PDFPageProxy['render']>[0];
  await page.render(params).promise;
  return canvas.toBuffer('image/png');
}

/** The scale that makes a box's longer side `pixels` long, within [minScale, maxScale]. */
export function scaleToFit(box: Box, pixels: number, minScale = 0.05, maxScale = 4): number {
  const longer = Math.max(box[2] - box[0], box[3] - box[1], 1e-6);
  return Math.min(maxScale, Math.max(minScale, pixels / longer));
}
