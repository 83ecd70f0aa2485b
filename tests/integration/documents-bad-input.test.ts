// Every kind of bad input ends in a defined outcome — ingested, ingested with per-page errors, or refused with a
// clear message — and a refused file leaves no rows behind.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EmptyFileError, NotAPdfError, PdfCorruptError, PdfPasswordIncorrectError, PdfPasswordRequiredError, PdfTooManyPagesError,
  FileUnreadableError, RenderTooLargeError,
} from '../../src-main/documents/errors.js';
import { ingestFile } from '../../src-main/documents/ingest.js';
import { openPdf } from '../../src-main/documents/pdfjs.js';
import { renderPage } from '../../src-main/documents/render.js';
import { openDatabase, type Db } from '../../src-main/store/database.js';
import { listFigures, listPages } from '../../src-main/store/documents.js';
import {
  brokenPageDocument, encryptWithQpdf, longDocument, malformedFontDocument, pageOfSize, sampleDocument, writeBytes,
} from '../helpers/pdf-files.js';

const dir = mkdtempSync(join(tmpdir(), 'quire-bad-'));
let db: Db;
beforeAll(() => {
  db = openDatabase(join(dir, 'quire.db'));
});
afterAll(() => {
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

function rowCounts(): number[] {
  return ['documents', 'pages', 'figures'].map((t) => db.prepare(`SELECT count(*) FROM ${t}`).pluck().get() as number);
}

/** Ingesting `path` must fail with `type` and a message matching `message`, writing nothing. */
async function expectRefused(path: string, type: new (...a: never[]) => Error, message: RegExp, options = {}): Promise<void> {
  const before = rowCounts();
  const error = await ingestFile(db, path, options).then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(type);
  expect((error as Error).message).toMatch(message);
  expect(rowCounts()).toEqual(before);
}

describe('refused files', () => {
  it('an empty file', async () => {
    await expectRefused(writeBytes(join(dir, 'empty.pdf'), new Uint8Array()), EmptyFileError, /empty \(0 bytes\), expected a PDF/);
  });

  it('a file that is not a PDF, saying what it found', async () => {
    const path = writeBytes(join(dir, 'notes.pdf'), Buffer.from('Dear diary, today I wrote a text file.'));
    await expectRefused(path, NotAPdfError, /expected "%PDF-" in the first 1024 bytes, found "Dear diary/);
  });

  it('a missing file', async () => {
    await expectRefused(join(dir, 'nowhere.pdf'), FileUnreadableError, /cannot read the file \(ENOENT\)/);
  });

  it('a PDF header followed by garbage', async () => {
    const bytes = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.from(Array.from({ length: 4000 }, (_, i) => (i * 7919) % 251))]);
    await expectRefused(writeBytes(join(dir, 'garbage.pdf'), bytes), PdfCorruptError, /damaged and cannot be read/);
  });

  it('a truncated PDF, cut mid-file, with a cross-reference stream or a classic table', async () => {
    const { bytes } = await sampleDocument();
    const path = writeBytes(join(dir, 'truncated.pdf'), bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    await expectRefused(path, PdfCorruptError, /damaged and cannot be read/);
    const classic = await (await PDFDocument.load(await longDocument(10, { words: 24 }))).save({ useObjectStreams: false });
    const path2 = writeBytes(join(dir, 'truncated-classic.pdf'), classic.subarray(0, Math.floor(classic.length * 0.8)));
    await expectRefused(path2, PdfCorruptError, /truncated-classic\.pdf: the PDF is damaged and cannot be read \(.+\); a repaired or re-exported copy may work/);
  });

  it('a password-protected PDF: needs a password, refuses a wrong one, opens with the right one', async () => {
    const plain = writeBytes(join(dir, 'plain.pdf'), await longDocument(2, { words: 12 }));
    const locked = join(dir, 'locked.pdf');
    encryptWithQpdf(plain, locked, 's3cret');
    await expectRefused(locked, PdfPasswordRequiredError, /encrypted and needs a password: pass it with --password/);
    await expectRefused(locked, PdfPasswordIncorrectError, /password given does not open this PDF/, { password: 'guess' });
    const opened = await ingestFile(db, locked, { password: 's3cret' });
    expect(opened).toMatchObject({ pages: 2, errors: [], outcome: 'ingested' });
    expect(listPages(db, opened.id)[1]!.text).toMatch(/^Page 2 marker2\n/);
  });

  it('more pages than the limit: a real 1,000-page file is refused by its page count alone', async () => {
    const path = writeBytes(join(dir, 'thousand.pdf'), await longDocument(1000, { words: 0 }));
    await expectRefused(path, PdfTooManyPagesError, /1000 pages, more than the limit of 999: raise it with --max-pages/, { maxPages: 999 });
  });

  it('the page limit admits a file of exactly that many pages', async () => {
    const path = writeBytes(join(dir, 'four.pdf'), await longDocument(4, { words: 0 }));
    await expectRefused(path, PdfTooManyPagesError, /4 pages, more than the limit of 3/, { maxPages: 3 });
    expect(await ingestFile(db, path, { maxPages: 4 })).toMatchObject({ pages: 4, outcome: 'ingested' });
  });
});

describe('files ingested despite damage', () => {
  it('a page the page tree cannot produce is listed as that page\'s error; the other pages ingest', async () => {
    const path = writeBytes(join(dir, 'broken-last-page.pdf'), await brokenPageDocument(5, 5));
    const result = await ingestFile(db, path);
    expect(result).toMatchObject({ pages: 5, outcome: 'ingested', errors: [{ page: 5 }] });
    expect(result.errors[0]!.message).toMatch(/^page 5 could not be read: Page dictionary kid reference points to wrong type of object/);
    expect(listPages(db, result.id).map((p) => p.text)).toEqual(['healthy page 1', 'healthy page 2', 'healthy page 3', 'healthy page 4', '']);
  });

  it('a broken page-tree entry mid-document: pdf.js sees the pages up to it, the broken one is listed as an error', async () => {
    // pdf.js's page-tree recovery stops at the broken entry, so pages after it are not visible to Quire (a known limit).
    const path = writeBytes(join(dir, 'broken-middle-page.pdf'), await brokenPageDocument(5, 3));
    const result = await ingestFile(db, path);
    expect(result).toMatchObject({ pages: 3, errors: [{ page: 3 }] });
    expect(listPages(db, result.id).map((p) => p.text)).toEqual(['healthy page 1', 'healthy page 2', '']);
  });

  it('a font whose program is garbage: the text is still extracted', async () => {
    const path = writeBytes(join(dir, 'bad-font.pdf'), await malformedFontDocument());
    const result = await ingestFile(db, path);
    expect(result).toMatchObject({ pages: 2, errors: [], outcome: 'ingested' });
    expect(listPages(db, result.id).map((p) => p.text)).toEqual(['Intact first page text', 'Text in a broken font']);
  });

  it('a giant page (200 × 200 inches): ingested, figure crop bounded, a full render refused with the scale that fits', async () => {
    const path = writeBytes(join(dir, 'giant.pdf'), await pageOfSize(14_400, 14_400, { chart: true }));
    const result = await ingestFile(db, path);
    expect(result).toMatchObject({ pages: 1, figures: 1, errors: [] });
    expect(listPages(db, result.id)[0]).toMatchObject({ width: 14_400, height: 14_400, text: expect.stringContaining('A very large page') });
    const [figure] = listFigures(db, result.id);
    expect(figure!.cropScale!).toBeLessThan(0.4);
    const pdf = await openPdf(readFileSync(path), { path });
    try {
      const page = await pdf.getPage(1);
      await expect(renderPage(page, 2)).rejects.toThrow(RenderTooLargeError);
      await expect(renderPage(page, 2)).rejects.toThrow(/28800×28800 pixels exceeds the limit of 64000000 pixels: use a scale of at most 0\.555/);
    } finally {
      await pdf.destroy();
    }
  });
});
