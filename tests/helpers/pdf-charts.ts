// Draws charts and tables with known geometry onto pdf-lib pages, returning the box they occupy in Quire's page
// coordinates (points, origin top-left) so tests can compare detected figures with what was drawn.
import { createCanvas } from '@napi-rs/canvas';
import { rgb, type PDFDocument, type PDFFont, type PDFPage } from 'pdf-lib';

export type Box = [number, number, number, number];

/** Tracks the drawn extent in PDF coordinates (origin bottom-left) and reports it top-left based. */
class Extent {
  private x0 = Infinity; private y0 = Infinity; private x1 = -Infinity; private y1 = -Infinity;
  constructor(private readonly pageHeight: number) {}
  add(x0: number, y0: number, x1: number, y1: number): void {
    this.x0 = Math.min(this.x0, x0, x1); this.x1 = Math.max(this.x1, x0, x1);
    this.y0 = Math.min(this.y0, y0, y1); this.y1 = Math.max(this.y1, y0, y1);
  }
  box(): Box {
    return [this.x0, this.pageHeight - this.y1, this.x1, this.pageHeight - this.y0];
  }
}

function label(page: PDFPage, extent: Extent, font: PDFFont, text: string, x: number, y: number, size = 8): void {
  page.drawText(text, { x, y, size, font });
  // Glyph extent of Helvetica: ascender ≈ 0.72 em, descender ≈ 0.21 em.
  extent.add(x, y - 0.21 * size, x + font.widthOfTextAtSize(text, size), y + 0.72 * size);
}

function line(page: PDFPage, extent: Extent, x0: number, y0: number, x1: number, y1: number, thickness = 1): void {
  page.drawLine({ start: { x: x0, y: y0 }, end: { x: x1, y: y1 }, thickness, color: rgb(0, 0, 0) });
  extent.add(x0, y0, x1, y1);
}

/** Bar chart: axes, 5 bars, tick labels, an axis title and a chart title. (x, y) is the plot's bottom-left corner. */
export function drawBarChart(page: PDFPage, font: PDFFont, x: number, y: number, w = 240, h = 160): Box {
  const e = new Extent(page.getHeight());
  label(page, e, font, 'Revenue by region', x + w / 2 - 35, y + h + 10, 10);
  line(page, e, x, y, x + w, y);
  line(page, e, x, y, x, y + h);
  const values = [0.4, 0.9, 0.6, 0.75, 0.3];
  const slot = w / values.length;
  values.forEach((v, i) => {
    page.drawRectangle({ x: x + i * slot + 8, y, width: slot - 16, height: v * h, color: rgb(0.2, 0.4, 0.8) });
    e.add(x + i * slot + 8, y, x + (i + 1) * slot - 8, y + v * h);
    label(page, e, font, `R${i + 1}`, x + i * slot + slot / 2 - 5, y - 12);
  });
  for (const t of [0, 50, 100]) label(page, e, font, String(t), x - 18, y + (t / 100) * h - 3);
  return e.box();
}

/** Line chart: axes, gridlines, a polyline, tick labels on both axes and axis titles. */
export function drawLineChart(page: PDFPage, font: PDFFont, x: number, y: number, w = 260, h = 150): Box {
  const e = new Extent(page.getHeight());
  for (let k = 1; k <= 3; k++) {
    page.drawLine({ start: { x, y: y + (k * h) / 4 }, end: { x: x + w, y: y + (k * h) / 4 }, thickness: 0.3, color: rgb(0.8, 0.8, 0.8) });
  }
  line(page, e, x, y, x + w, y);
  line(page, e, x, y, x, y + h);
  const ys = [0.2, 0.35, 0.3, 0.6, 0.55, 0.8, 0.9];
  const path = ys.map((v, i) => `${i === 0 ? 'M' : 'L'} ${(i * w) / (ys.length - 1)} ${-v * h}`).join(' ');
  // drawSvgPath's y axis points down from (x, y): hence the negated values.
  page.drawSvgPath(path, { x, y, borderColor: rgb(0.8, 0.1, 0.1), borderWidth: 1.5 });
  ys.forEach((v, i) => e.add(x + (i * w) / (ys.length - 1), y + v * h, x + (i * w) / (ys.length - 1), y + v * h));
  ys.forEach((_, i) => label(page, e, font, String(2018 + i), x + (i * w) / (ys.length - 1) - 8, y - 11));
  for (const t of [0, 1, 2, 3, 4]) label(page, e, font, `${t * 25}%`, x - 22, y + (t * h) / 4 - 3);
  label(page, e, font, 'Year', x + w / 2 - 8, y - 24);
  return e.box();
}

/** A 4×5 table drawn with ruled lines, text in every cell. */
export function drawTable(page: PDFPage, font: PDFFont, x: number, y: number, cols = 4, rows = 5, cw = 80, rh = 20): Box {
  const e = new Extent(page.getHeight());
  for (let r = 0; r <= rows; r++) line(page, e, x, y + r * rh, x + cols * cw, y + r * rh, 0.5);
  for (let c = 0; c <= cols; c++) line(page, e, x + c * cw, y, x + c * cw, y + rows * rh, 0.5);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) page.drawText(r === rows - 1 ? `Head ${c + 1}` : `${(r + 1) * (c + 3)}.5`, { x: x + c * cw + 5, y: y + r * rh + 6, size: 9, font });
  }
  return e.box();
}

/** A PNG of a bar chart, as a raster image, placed at (x, y) with size w × h points. */
export async function drawRasterChart(doc: PDFDocument, page: PDFPage, x: number, y: number, w = 220, h = 150): Promise<Box> {
  const png = chartPng(440, 300);
  const image = await doc.embedPng(png);
  page.drawImage(image, { x, y, width: w, height: h });
  return [x, page.getHeight() - (y + h), x + w, page.getHeight() - y];
}

export function chartPng(w: number, h: number): Buffer {
  const canvas = createCanvas(w, h);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#f4f4f4';
  ctx.fillRect(0, 0, w, h);
  ctx.fillStyle = '#3366cc';
  [0.3, 0.8, 0.5, 0.65].forEach((v, i) => ctx.fillRect(20 + i * (w / 4), h - 20 - v * (h - 40), w / 4 - 30, v * (h - 40)));
  return canvas.toBuffer('image/png');
}

/** A noisy grey "scan" image (no text layer) filling the whole page. */
export async function drawScan(doc: PDFDocument, page: PDFPage): Promise<void> {
  const canvas = createCanvas(300, 400);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fdfdf8';
  ctx.fillRect(0, 0, 300, 400);
  ctx.fillStyle = '#222';
  for (let row = 0; row < 30; row++) ctx.fillRect(30, 30 + row * 12, 200 + ((row * 37) % 40), 5);
  const image = await doc.embedPng(canvas.toBuffer('image/png'));
  page.drawImage(image, { x: 0, y: 0, width: page.getWidth(), height: page.getHeight() });
}

export function iou(a: Box, b: Box): number {
  const ix = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
  const iy = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
  const inter = ix * iy;
  const areaOf = (q: Box) => (q[2] - q[0]) * (q[3] - q[1]);
  return inter / (areaOf(a) + areaOf(b) - inter);
}
