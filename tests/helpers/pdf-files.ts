// Test PDFs generated in the test run (never committed): known text, charts, scans, rotation, and bad input.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { degrees, PDFArray, PDFDict, PDFDocument, PDFName, PDFNumber, rgb, StandardFonts } from 'pdf-lib';
import { drawBarChart, drawLineChart, drawRasterChart, drawScan, drawTable, type Box } from './pdf-charts.js';

export const PAGE = { width: 612, height: 792 };

export interface DrawnText { text: string; x: number; y: number; size: number; page: number; width: number }

export interface SampleDocument {
  bytes: Uint8Array;
  /** Text drawn, in PDF coordinates (origin bottom-left), 1-based page. */
  texts: DrawnText[];
  /** Figures drawn, per page, in Quire's top-left coordinates. */
  figures: { page: number; kind: 'raster' | 'vector'; box: Box; what: string }[];
}

/**
 * Page 1: text only. 2: raster chart. 3: vector bar chart. 4: line chart with axis labels. 5: table grid.
 * 6: an image-only scan. 7: rotated 90° with text. 8: a bar chart inside a full-page border, with a bullet square and
 * a rule under the heading (decorations, not figures). Body text on chart pages sits well away from the charts.
 */
export async function sampleDocument(): Promise<SampleDocument> {
  const doc = await PDFDocument.create();
  doc.setTitle('Quire sample');
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const texts: DrawnText[] = [];
  const figures: SampleDocument['figures'] = [];
  const text = (pageNo: number, s: string, x: number, y: number, size = 11) => {
    doc.getPage(pageNo - 1).drawText(s, { x, y, size, font });
    // Tj places glyphs by their advance widths without kerning, so sum the widths one character at a time.
    const width = [...s].reduce((sum, ch) => sum + font.widthOfTextAtSize(ch, size), 0);
    texts.push({ text: s, x, y, size, page: pageNo, width });
  };
  for (let i = 0; i < 8; i++) doc.addPage([PAGE.width, PAGE.height]);

  text(1, 'Quarterly report on the northern orchards', 72, 720, 16);
  text(1, 'Apple yields rose by twelve percent this season.', 72, 690);
  text(1, 'Pear trees suffered from a late frost in April.', 72, 672);
  text(1, 'Irrigation costs stayed flat.', 300, 400, 9);

  text(2, 'Figure 1 shows the raster chart of sales.', 72, 720);
  figures.push({ page: 2, kind: 'raster', box: await drawRasterChart(doc, doc.getPage(1), 150, 400), what: 'raster chart' });

  text(3, 'The bar chart below compares the regions.', 72, 720);
  figures.push({ page: 3, kind: 'vector', box: drawBarChart(doc.getPage(2), font, 150, 380), what: 'vector bar chart' });
  text(3, 'Region two leads by a wide margin this year.', 72, 200);

  text(4, 'Growth over the years is shown as a line.', 72, 720);
  figures.push({ page: 4, kind: 'vector', box: drawLineChart(doc.getPage(3), font, 160, 400), what: 'vector line chart' });

  text(5, 'Table of measured values per plot.', 72, 720);
  figures.push({ page: 5, kind: 'vector', box: drawTable(doc.getPage(4), font, 120, 400), what: 'table grid' });

  await drawScan(doc, doc.getPage(5));

  const rotated = doc.getPage(6);
  rotated.setRotation(degrees(90));
  text(7, 'This page is turned sideways.', 100, 500, 12);

  const decorated = doc.getPage(7);
  // The border as four separate lines (as many PDF producers draw it) and as one stroked rectangle.
  const [l, b, r, t] = [20, 20, PAGE.width - 20, PAGE.height - 20];
  for (const [x0, y0, x1, y1] of [[l, b, r, b], [r, b, r, t], [r, t, l, t], [l, t, l, b]] as const) {
    decorated.drawLine({ start: { x: x0, y: y0 }, end: { x: x1, y: y1 }, thickness: 1.5 });
  }
  decorated.drawRectangle({ x: 26, y: 26, width: PAGE.width - 52, height: PAGE.height - 52, borderWidth: 1, borderColor: rgb(0, 0, 0) });
  text(8, 'Decorated page heading', 90, 720, 14);
  decorated.drawLine({ start: { x: 72, y: 710 }, end: { x: 540, y: 710 }, thickness: 1 });
  decorated.drawRectangle({ x: 72, y: 690, width: 8, height: 8, color: rgb(0.9, 0.3, 0.1) });
  text(8, 'A bullet point beside a small orange square.', 90, 690);
  figures.push({ page: 8, kind: 'vector', box: drawBarChart(decorated, font, 160, 300), what: 'bar chart inside a page border' });

  return { bytes: await doc.save(), texts, figures };
}

/** A document of `pages` pages, each with a paragraph of text and (if `charts`) a vector bar chart. */
export async function longDocument(pages: number, options: { charts?: boolean; words?: number } = {}): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const words = ['alpha', 'delta', 'orchard', 'ledger', 'quartz', 'meadow', 'signal', 'harbor', 'copper', 'willow'];
  for (let p = 1; p <= pages; p++) {
    const page = doc.addPage([PAGE.width, PAGE.height]);
    page.drawText(`Page ${p} marker${p}`, { x: 72, y: 740, size: 12, font });
    const n = options.words ?? 60;
    for (let line = 0; line * 12 < n; line++) {
      const s = Array.from({ length: 12 }, (_, k) => words[(p * 7 + line * 3 + k) % words.length]).join(' ');
      page.drawText(s, { x: 72, y: 710 - line * 14, size: 10, font });
    }
    if (options.charts) drawBarChart(page, font, 150, 200);
  }
  return doc.save({ objectsPerTick: Infinity });
}

/** A valid one-page PDF with a page of the given size (a "giant page" is 14,400 pt = 200 inches, the PDF maximum). */
export async function pageOfSize(width: number, height: number, options: { chart?: boolean } = {}): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const page = doc.addPage([width, height]);
  page.drawText('A very large page', { x: 100, y: height - 200, size: 48, font });
  if (options.chart) drawBarChart(page, font, 400, height - 1200, 2400, 800);
  return doc.save();
}

/** Page 2's font has a TrueType program that is garbage bytes; page 1 uses a standard font. */
export async function malformedFontDocument(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const good = await doc.embedFont(StandardFonts.Helvetica);
  doc.addPage([PAGE.width, PAGE.height]).drawText('Intact first page text', { x: 72, y: 700, size: 12, font: good });
  const page = doc.addPage([PAGE.width, PAGE.height]);
  const ctx = doc.context;
  const junk = ctx.flateStream(Buffer.from('this is not a TrueType font program at all'.repeat(20)), { Length1: 840 });
  const descriptor = ctx.obj({
    Type: 'FontDescriptor', FontName: 'Broken', Flags: 32, FontBBox: [0, -200, 1000, 900], ItalicAngle: 0,
    Ascent: 900, Descent: -200, CapHeight: 700, StemV: 80, FontFile2: ctx.register(junk),
  });
  const font = ctx.obj({
    Type: 'Font', Subtype: 'TrueType', BaseFont: 'Broken', FirstChar: 32, LastChar: 126,
    Widths: Array.from({ length: 95 }, () => 500), Encoding: 'WinAnsiEncoding', FontDescriptor: ctx.register(descriptor),
  });
  const fontRef = ctx.register(font);
  page.node.setFontDictionary(PDFName.of('FBroken'), fontRef);
  const content = ctx.flateStream('BT /FBroken 12 Tf 72 700 Td (Text in a broken font) Tj ET');
  page.node.addContentStream(ctx.register(content));
  return doc.save();
}

/** Encrypts a PDF with qpdf (AES-256). qpdf is a Debian package that .ci/run installs. */
export function encryptWithQpdf(input: string, output: string, userPassword: string): void {
  const run = spawnSync('qpdf', ['--encrypt', userPassword, `${userPassword}-owner`, '256', '--', input, output], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`qpdf failed (${run.status}): ${run.stderr}`);
}

export function writeBytes(path: string, bytes: Uint8Array): string {
  writeFileSync(path, bytes);
  return path;
}

/** `pages` pages of text where the page tree's entry for page `broken` points at a number instead of a page. */
export async function brokenPageDocument(pages: number, broken: number): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 1; i <= pages; i++) doc.addPage([PAGE.width, PAGE.height]).drawText(`healthy page ${i}`, { x: 72, y: 700, size: 12, font });
  const kids = doc.catalog.lookup(PDFName.of('Pages'), PDFDict).lookup(PDFName.of('Kids'), PDFArray);
  kids.set(broken - 1, doc.context.register(PDFNumber.of(5)));
  return doc.save({ useObjectStreams: false });
}

/** A title across the page, two columns of prose with aligned baselines, and a footer across the page. */
export async function twoColumnDocument(): Promise<{ bytes: Uint8Array; expectedText: string }> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const page = doc.addPage([PAGE.width, PAGE.height]);
  const title = 'Two columns about soil and water';
  page.drawText(title, { x: 72, y: 720, size: 16, font });
  const left = Array.from({ length: 6 }, (_, i) => `Left column line ${i + 1} talks about soil.`);
  const right = Array.from({ length: 6 }, (_, i) => `Right column line ${i + 1} is on water.`);
  left.forEach((s, i) => page.drawText(s, { x: 72, y: 680 - i * 14, size: 10, font }));
  right.forEach((s, i) => page.drawText(s, { x: 320, y: 680 - i * 14, size: 10, font }));
  const footer = 'Footer note spanning the width of the whole page under both columns.';
  page.drawText(footer, { x: 72, y: 560, size: 10, font });
  return { bytes: await doc.save(), expectedText: [title, ...left, ...right, footer].join('\n') };
}
