// Benchmark: Quire's text extraction and page rendering (pdf.js legacy + @napi-rs/canvas) against poppler's
// pdftotext and pdftoppm on the same generated document, in one run. Prints a table and one JSON line.
//   npm run bench:ingest -- [--pages 200] [--dpi 150]
// Needs poppler-utils (Debian: apt-get install poppler-utils). Single-threaded on both sides.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ingestFile } from '../src-main/documents/ingest.js';
import { extractTextRuns } from '../src-main/documents/page-text.js';
import { readingOrderText } from '../src-main/documents/reading-order.js';
import { openPdf } from '../src-main/documents/pdfjs.js';
import { renderPage } from '../src-main/documents/render.js';
import { openDatabase } from '../src-main/store/database.js';
import { longDocument } from '../tests/helpers/pdf-files.js';

const { values } = parseArgs({ options: { pages: { type: 'string', default: '200' }, dpi: { type: 'string', default: '150' } } });
const pages = Number(values.pages);
const dpi = Number(values.dpi);

for (const tool of ['pdftotext', 'pdftoppm']) {
  if (spawnSync(tool, ['-v']).error) {
    process.stderr.write(`bench-ingest: ${tool} not found: install poppler-utils (Debian: apt-get install -y poppler-utils)\n`);
    process.exit(1);
  }
}

const dir = mkdtempSync(join(tmpdir(), 'quire-bench-'));
const pdfPath = join(dir, 'bench.pdf');
// Text and a vector chart on every page: a report-like mix of glyphs and paths.
writeFileSync(pdfPath, await longDocument(pages, { charts: true, words: 400 }));
const bytes = readFileSync(pdfPath);

async function timed(fn: () => Promise<void> | void): Promise<number> {
  const t0 = performance.now();
  await fn();
  return (performance.now() - t0) / 1000;
}

function run(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} failed (${r.status}): ${r.stderr}`);
}

// Load pdf.js once before timing: a one-off cost per process (~1 s), not per document.
await (await openPdf(bytes, { path: pdfPath })).destroy();

/** Text extraction takes well under a second per run: take the median of several to tame a noisy machine. */
async function median(runs: number, fn: () => Promise<void> | void): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await timed(fn));
  return times.sort((a, b) => a - b)[runs >> 1]!;
}

const quireText = await median(5, async () => {
  const pdf = await openPdf(bytes, { path: pdfPath });
  let chars = 0;
  for (let n = 1; n <= pdf.numPages; n++) {
    const page = await pdf.getPage(n);
    chars += readingOrderText(await extractTextRuns(page, page.getViewport({ scale: 1 }).transform)).length;
    page.cleanup();
  }
  await pdf.destroy();
  if (chars === 0) throw new Error('no text extracted');
});
const popplerText = await median(5, () => run('pdftotext', ['-layout', pdfPath, join(dir, 'poppler.txt')]));

const scale = dpi / 72;
const quireRender = await timed(async () => {
  const pdf = await openPdf(bytes, { path: pdfPath });
  for (let n = 1; n <= pdf.numPages; n++) {
    const page = await pdf.getPage(n);
    writeFileSync(join(dir, `quire-${n}.png`), await renderPage(page, scale));
    page.cleanup();
  }
  await pdf.destroy();
});
const popplerRender = await timed(() => run('pdftoppm', ['-r', String(dpi), '-png', pdfPath, join(dir, 'poppler')]));

// Whole ingestion for reference: text, graphics, figure detection, crops at 896 px, SQLite writes.
const db = openDatabase(join(dir, 'bench.db'));
const quireIngest = await timed(async () => void (await ingestFile(db, pdfPath)));
db.close();
rmSync(dir, { recursive: true, force: true });

const pps = (s: number) => pages / s;
const rows = [
  ['text', 'quire (pdf.js)', quireText, 'pdftotext -layout', popplerText],
  [`render ${dpi} dpi PNG`, 'quire (pdf.js + napi canvas)', quireRender, 'pdftoppm -png', popplerRender],
] as const;
const lines = [`${pages} pages, ${bytes.length} bytes`, '', `${'task'.padEnd(18)} ${'quire pages/s'.padStart(14)} ${'poppler pages/s'.padStart(16)} ${'quire/poppler'.padStart(14)}`];
for (const [task, , q, , p] of rows) {
  lines.push(`${task.padEnd(18)} ${pps(q).toFixed(1).padStart(14)} ${pps(p).toFixed(1).padStart(16)} ${(pps(q) / pps(p)).toFixed(2).padStart(14)}`);
}
lines.push(`${'full ingest'.padEnd(18)} ${pps(quireIngest).toFixed(1).padStart(14)} ${'-'.padStart(16)} ${'-'.padStart(14)}`);
lines.push('', 'text: median of 5 runs; render: one run, PNG files written on both sides; full ingest: text, figures, crops, SQLite.');
process.stdout.write(`${lines.join('\n')}\n`);
const round = (n: number) => Math.round(n * 100) / 100;
process.stdout.write(`${JSON.stringify({
  bench: 'ingest', pages, dpi,
  text: { quirePagesPerSec: round(pps(quireText)), popplerPagesPerSec: round(pps(popplerText)), ratio: round(popplerText / quireText) },
  render: { quirePagesPerSec: round(pps(quireRender)), popplerPagesPerSec: round(pps(popplerRender)), ratio: round(popplerRender / quireRender) },
  ingest: { quirePagesPerSec: round(pps(quireIngest)) },
})}\n`);
