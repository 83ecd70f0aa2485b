// Ingestion of a generated PDF with known content into a real SQLite file: text positions, figures, scans, rotation,
// search, and incremental re-ingestion.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadImage, createCanvas } from '@napi-rs/canvas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestFile, type IngestProgress, type IngestResult } from '../../src-main/documents/ingest.js';
import { pageImage, regionImage } from '../../src-main/documents/page-images.js';
import { openDatabase, type Db } from '../../src-main/store/database.js';
import { listFigures, listPages } from '../../src-main/store/documents.js';
import { searchPages } from '../../src-main/store/search.js';
import { degrees, PDFDocument, StandardFonts } from 'pdf-lib';
import { drawBarChart, iou } from '../helpers/pdf-charts.js';
import { PAGE, sampleDocument, twoColumnDocument, type SampleDocument } from '../helpers/pdf-files.js';

const dir = mkdtempSync(join(tmpdir(), 'quire-ingest-'));
let db: Db;
let sample: SampleDocument;
let result: IngestResult;
const progress: IngestProgress[] = [];

beforeAll(async () => {
  sample = await sampleDocument();
  writeFileSync(join(dir, 'sample.pdf'), sample.bytes);
  db = openDatabase(join(dir, 'quire.db'));
  result = await ingestFile(db, join(dir, 'sample.pdf'), { onProgress: (p) => progress.push(p) });
});
afterAll(() => {
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function pixels(png: Buffer): Promise<{ width: number; height: number; data: Uint8ClampedArray }> {
  const image = await loadImage(png);
  const canvas = createCanvas(image.width, image.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(image, 0, 0);
  return { width: image.width, height: image.height, data: ctx.getImageData(0, 0, image.width, image.height).data };
}

/** Share of pixels in the blue of the drawn bars (#3366cc). */
function blueFraction(image: { width: number; height: number; data: Uint8ClampedArray }): number {
  let blue = 0;
  for (let i = 0; i < image.data.length; i += 4) {
    if (image.data[i]! < 90 && image.data[i + 2]! > 170) blue++;
  }
  return blue / (image.width * image.height);
}

describe('ingesting a document with known content', () => {
  it('stores every page, reports progress per page, and summarizes', () => {
    expect(result).toMatchObject({ pages: 8, figures: 5, scannedPages: [6], errors: [], outcome: 'ingested', pagesProcessed: 8 });
    expect(progress.map((p) => p.pageNumber)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(progress.at(-1)).toMatchObject({ pagesDone: 8, pageCount: 8, documentId: result.id });
  });

  it('places each text run within a point of where it was drawn', () => {
    const pages = listPages(db, result.id);
    for (const t of sample.texts.filter((t) => t.page !== 7)) {
      const run = pages[t.page - 1]!.runs.find((r) => r.text === t.text);
      expect(run, t.text).toBeDefined();
      // Quire's coordinates have the origin top-left: PDF y becomes height − y.
      expect(Math.abs(run!.origin[0] - t.x)).toBeLessThanOrEqual(1);
      expect(Math.abs(run!.origin[1] - (PAGE.height - t.y))).toBeLessThanOrEqual(1);
      expect(Math.abs(run!.box[2] - run!.box[0] - t.width)).toBeLessThanOrEqual(1);
      expect(run!.fontSize).toBeCloseTo(t.size, 1);
    }
  });

  it('gives the text in reading order', () => {
    const page1 = listPages(db, result.id)[0]!;
    expect(page1.text).toBe([
      'Quarterly report on the northern orchards',
      'Apple yields rose by twelve percent this season.',
      'Pear trees suffered from a late frost in April.',
      'Irrigation costs stayed flat.',
    ].join('\n'));
  });

  it('reads two columns one after the other, and a table row by row', async () => {
    const { bytes, expectedText } = await twoColumnDocument();
    writeFileSync(join(dir, 'columns.pdf'), bytes);
    const columns = await ingestFile(db, join(dir, 'columns.pdf'));
    expect(listPages(db, columns.id)[0]!.text).toBe(expectedText);
    expect(listPages(db, result.id)[4]!.text.split('\n').slice(1, 3)).toEqual(['Head 1 Head 2 Head 3 Head 4', '12.5 16.5 20.5 24.5']);
  });

  it('handles a page rotated 90°: size swapped, text where it appears on screen', () => {
    const page = listPages(db, result.id)[6]!;
    expect(page).toMatchObject({ rotation: 90, width: PAGE.height, height: PAGE.width, text: 'This page is turned sideways.' });
    const drawn = sample.texts.find((t) => t.page === 7)!;
    const run = page.runs[0]!;
    // Turned clockwise, PDF point (x, y) shows at (y, x) from the top-left, and the text runs downwards.
    expect(Math.abs(run.origin[0] - drawn.y)).toBeLessThanOrEqual(1);
    expect(Math.abs(run.origin[1] - drawn.x)).toBeLessThanOrEqual(1);
    expect(Math.abs(run.box[3] - run.box[1] - drawn.width)).toBeLessThanOrEqual(1);
  });

  it('finds a chart on a rotated page where it appears on screen', async () => {
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.Helvetica);
    const page = doc.addPage([PAGE.width, PAGE.height]);
    page.setRotation(degrees(90));
    const [x0, y0, x1, y1] = drawBarChart(page, font, 150, 380);
    writeFileSync(join(dir, 'rotated-chart.pdf'), await doc.save());
    const rotated = await ingestFile(db, join(dir, 'rotated-chart.pdf'));
    // Turned clockwise: unrotated top-left (x, y) shows at (height − y, x).
    const expected: [number, number, number, number] = [PAGE.height - y1, x0, PAGE.height - y0, x1];
    const figures = listFigures(db, rotated.id);
    expect(figures).toHaveLength(1);
    expect(iou(figures[0]!.box, expected)).toBeGreaterThanOrEqual(0.8);
  });

  it('flags the image-only page as scanned and no other', () => {
    const pages = listPages(db, result.id);
    expect(pages.filter((p) => p.scanned).map((p) => p.pageNumber)).toEqual([6]);
    expect(pages[5]).toMatchObject({ hasTextLayer: false, text: '' });
  });

  it('finds each drawn chart and table as one figure box (IoU ≥ 0.8); no figures from text, borders or decorations', () => {
    const figures = listFigures(db, result.id);
    for (const expected of sample.figures) {
      const onPage = figures.filter((f) => f.pageNumber === expected.page);
      expect(onPage, expected.what).toHaveLength(1);
      expect(onPage[0]!.kind, expected.what).toBe(expected.kind);
      expect(iou(onPage[0]!.box, expected.box), expected.what).toBeGreaterThanOrEqual(0.8);
    }
    expect(figures.filter((f) => [1, 6, 7].includes(f.pageNumber))).toEqual([]);
    expect(figures).toHaveLength(sample.figures.length);
  });

  it('stores a rendered crop of each figure, 896 px on its longer side, showing the figure', async () => {
    for (const f of listFigures(db, result.id)) {
      const image = await pixels(f.cropPng!);
      expect(Math.max(image.width, image.height)).toBeGreaterThanOrEqual(895);
      expect(Math.max(image.width, image.height)).toBeLessThanOrEqual(897);
      // Bars are #3366cc: a crop of the raster or bar chart must show them.
      if (f.pageNumber === 2 || f.pageNumber === 3) expect(blueFraction(image)).toBeGreaterThan(0.05);
      expect(f.cropSha256).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it('renders a whole page at a chosen scale, rotation applied, and any box of it at 896 px', async () => {
    const path = join(dir, 'sample.pdf');
    const page3 = await pixels(await pageImage(path, 3, 0.5));
    expect([page3.width, page3.height]).toEqual([306, 396]);
    const rotated = await pixels(await pageImage(path, 7, 0.5));
    expect([rotated.width, rotated.height]).toEqual([396, 306]);
    // The bar chart's box on page 3 shows blue bars; a box of empty margin shows nothing but white.
    const chart = sample.figures.find((f) => f.page === 3)!.box;
    const region = await regionImage(path, 3, chart);
    const image = await pixels(region.png);
    expect(Math.max(image.width, image.height)).toBe(896);
    expect(blueFraction(image)).toBeGreaterThan(0.05);
    const margin = await pixels((await regionImage(path, 3, [450, 600, 600, 780], 200)).png);
    expect(margin.data.every((v) => v === 255)).toBe(true);
    await expect(pageImage(path, 9, 1)).rejects.toThrow(/page 9 does not exist: the document has pages 1 to 8/);
  });

  it('indexes page text for full-text search with snippets and page numbers', () => {
    const hits = searchPages(db, 'frost april');
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ documentId: result.id, pageNumber: 1 });
    expect(hits[0]!.snippet).toContain('[frost]');
    // Page 3 says "region" twice (chart title and body), page 8 once: BM25 ranks page 3 first.
    expect(searchPages(db, 'region', { documentId: result.id }).map((h) => h.pageNumber)).toEqual([3, 8]);
    expect(searchPages(db, 'frost', { documentId: 'ffffffffffff' })).toEqual([]);
    // FTS5 operators typed by a user are words, not syntax errors.
    expect(searchPages(db, '"frost" (april*')).toHaveLength(1);
  });

  it('re-ingesting unchanged content costs only a hash, at any path', async () => {
    const seen: IngestProgress[] = [];
    const again = await ingestFile(db, join(dir, 'sample.pdf'), { onProgress: (p) => seen.push(p) });
    expect(again).toMatchObject({ id: result.id, outcome: 'unchanged', pagesProcessed: 0, pages: 8, figures: 5 });
    writeFileSync(join(dir, 'copy.pdf'), sample.bytes);
    const copy = await ingestFile(db, join(dir, 'copy.pdf'));
    expect(copy).toMatchObject({ id: result.id, outcome: 'unchanged', path: join(dir, 'copy.pdf') });
    expect(seen).toEqual([]);
    expect(db.prepare('SELECT count(*) FROM documents WHERE sha256 LIKE ?').pluck().get(`${result.id}%`)).toBe(1);
    expect(db.prepare('SELECT count(*) FROM pages WHERE document_id = ?').pluck().get(result.id)).toBe(8);
  });
});
