// Text with positions from pdf.js, and the page's text in reading order (lines top to bottom, left to right).
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

/**
 * Groups runs into lines (boxes overlapping vertically by more than half the smaller height) and orders lines top to
 * bottom, runs left to right. Multi-column layouts read column-interleaved: pdf.js content order is not reliable
 * either, and real column detection is future work.
 */
export function readingOrderText(runs: TextRun[]): string {
  const sorted = [...runs].sort((a, b) => a.box[1] - b.box[1] || a.box[0] - b.box[0]);
  const lines: { top: number; bottom: number; runs: TextRun[] }[] = [];
  for (const run of sorted) {
    const h = run.box[3] - run.box[1];
    const line = lines.find((l) => {
      const overlap = Math.min(l.bottom, run.box[3]) - Math.max(l.top, run.box[1]);
      return overlap > 0.5 * Math.min(h, l.bottom - l.top);
    });
    if (line) {
      line.runs.push(run);
      line.top = Math.min(line.top, run.box[1]);
      line.bottom = Math.max(line.bottom, run.box[3]);
    } else {
      lines.push({ top: run.box[1], bottom: run.box[3], runs: [run] });
    }
  }
  lines.sort((a, b) => a.top - b.top);
  return lines.map((l) => joinLine(l.runs.sort((a, b) => a.box[0] - b.box[0]))).join('\n');
}

function joinLine(runs: TextRun[]): string {
  let out = '';
  let prevEnd = -Infinity;
  for (const r of runs) {
    const gap = r.box[0] - prevEnd;
    // A visible gap between runs is a word break even when the PDF has no space character there.
    if (out !== '' && gap > 0.15 * r.fontSize && !out.endsWith(' ') && !r.text.startsWith(' ')) out += ' ';
    out += r.text;
    prevEnd = r.box[2];
  }
  return out.trim();
}
