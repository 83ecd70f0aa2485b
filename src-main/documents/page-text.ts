// Text with positions from pdf.js: each run's box and baseline origin on the page as displayed.
import type { TextRun } from '../store/records.js';
import { applyPoint, multiply, type Box } from './geometry.js';
import type { PDFPageProxy } from './pdfjs.js';

interface PdfTextItem { str: string; transform: number[]; width: number; height: number; hasEOL: boolean }

/** Fractions of the font size above and below the baseline that a glyph box spans (Helvetica: 0.72 / 0.21). */
const ASCENT = 0.8;
const DESCENT = 0.2;

/** Runs in page-as-displayed coordinates; `viewportTransform` is the scale-1 viewport's transform. */
export async function extractTextRuns(page: PDFPageProxy, viewportTransform: number[]): Promise<TextRun[]> {
  const content = await page.getTextContent();
  const runs: TextRun[] = [];
  for (const item of content.items as PdfTextItem[]) {
    if (!('str' in item) || item.str.trim() === '') continue;
    const m = multiply(viewportTransform, item.transform);
    // The text's x axis and "up" axis on the displayed page; their lengths are the font's horizontal and vertical size.
    const along = Math.hypot(m[0], m[1]);
    const up = Math.hypot(m[2], m[3]);
    if (along === 0 || up === 0) continue;
    const ux = m[0] / along, uy = m[1] / along;
    const vx = m[2] / up, vy = m[3] / up;
    const [ox, oy] = applyPoint(viewportTransform, item.transform[4]!, item.transform[5]!);
    const w = item.width; // already in page units along the text direction
    const corners = [
      [ox - vx * up * DESCENT, oy - vy * up * DESCENT],
      [ox + vx * up * ASCENT, oy + vy * up * ASCENT],
    ].flatMap(([x, y]) => [[x!, y!], [x! + ux * w, y! + uy * w]]);
    const xs = corners.map((c) => c[0]!);
    const ys = corners.map((c) => c[1]!);
    const box: Box = [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
    runs.push({ text: item.str, box: box.map(round2) as Box, origin: [round2(ox), round2(oy)], fontSize: round2(up) });
  }
  return runs;
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
