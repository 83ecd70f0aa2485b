// `quire ingest PATH…`: reads PDFs (files, or folders searched recursively) into the document store.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { PdfRefusedError } from '../../documents/errors.js';
import type { IngestResult } from '../../documents/ingest.js';
import { DEFAULT_MAX_PAGES } from '../../documents/limits.js';
import { integerOption, parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';
import { DATA_OPTION_HELP, openDataStore } from '../data-dir.js';
import { UsageError } from '../usage-error.js';

const usage = `usage: quire ingest PATH… [--json] [--password PW] [--max-pages N] [--data DIR]

Reads each PDF — text with positions, figures (raster images and vector charts) with rendered crops — into the
document store. Folders are searched recursively for *.pdf files. A file already in the store (same content) is
only hashed. An interrupted ingestion resumes where it stopped.

  --json           one line per document: {"id","path","pages","figures","scannedPages","errors","outcome"};
                   a refused file has "id": null and one error with a "code" (empty, not-pdf, corrupt,
                   needs-password, wrong-password, too-many-pages, unreadable)
  --password PW    password for encrypted PDFs
  --max-pages N    refuse files with more pages (default ${DEFAULT_MAX_PAGES})
  ${DATA_OPTION_HELP}

Exit code 1 when any file was refused; pages that could not be read are listed as errors of their document.`;

interface Line {
  id: string | null;
  path: string;
  pages: number;
  figures: number;
  scannedPages: number[];
  errors: { page: number | null; message: string; code?: string }[];
  outcome: IngestResult['outcome'] | 'refused';
}

/** Expands folders into the PDF files beneath them, in a stable order; explicit files are kept whatever their name. */
async function collectFiles(paths: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (!info?.isDirectory()) {
      files.push(path);
      continue;
    }
    const entries = await readdir(path, { recursive: true, withFileTypes: true });
    const pdfs = entries.filter((e) => e.isFile() && /\.pdf$/i.test(e.name)).map((e) => join(e.parentPath, e.name));
    files.push(...pdfs.sort());
  }
  return files;
}

function describe(line: Line): string {
  if (line.outcome === 'refused') return `refused   ${line.errors[0]!.message}`;
  const scanned = line.scannedPages.length ? `, ${line.scannedPages.length} scanned (pages ${line.scannedPages.join(', ')})` : '';
  const head = `${line.id}  ${line.path}: ${line.pages} pages, ${line.figures} figures${scanned}, ${line.errors.length} page errors [${line.outcome}]`;
  return [head, ...line.errors.map((e) => `    ${e.message}`)].join('\n');
}

/** Seconds left at the pace so far, once a few pages give a pace worth quoting. */
function estimateSeconds(elapsedMs: number, pagesDone: number, pagesLeft: number): number | null {
  if (pagesDone < 3 || pagesLeft === 0) return null;
  return Math.ceil((elapsedMs / pagesDone) * pagesLeft / 1000);
}

export const ingestCommand: Command = {
  name: 'ingest',
  summary: 'read PDFs (text, figures) into the document store',
  usage,
  async run(args) {
    const { values, positionals } = parseCommandArgs(args, {
      json: { type: 'boolean' }, password: { type: 'string' }, 'max-pages': { type: 'string' }, data: { type: 'string' },
    });
    if (positionals.length === 0) throw new UsageError('give at least one PDF file or folder');
    const maxPages = integerOption(values['max-pages'], '--max-pages', 1);
    const files = await collectFiles(positionals);
    // Loaded on use: pdf.js takes about a second to load, which every other command would otherwise pay.
    const { ingestFile } = await import('../../documents/ingest.js');
    const { db } = openDataStore(values.data);
    const showProgress = process.stderr.isTTY === true;
    let refused = 0;
    try {
      for (const path of files) {
        let line: Line;
        try {
          const started = performance.now();
          let firstDone: number | undefined;
          const result = await ingestFile(db, path, {
            password: values.password, maxPages,
            onProgress: showProgress ? (p) => {
              firstDone ??= p.pagesDone - 1; // pages stored by an earlier run cost nothing now
              const eta = estimateSeconds(performance.now() - started, p.pagesDone - firstDone, p.pageCount - p.pagesDone);
              process.stderr.write(`\r${p.path}: page ${p.pagesDone}/${p.pageCount}${eta === null ? '' : `, about ${eta} s left`}\x1b[K`);
            } : undefined,
          });
          line = { id: result.id, path, pages: result.pages, figures: result.figures, scannedPages: result.scannedPages, errors: result.errors, outcome: result.outcome };
        } catch (error) {
          // A refused file is reported and the others still ingest; anything else (the store failing) stops the run.
          if (!(error instanceof PdfRefusedError)) throw error;
          refused++;
          line = { id: null, path, pages: 0, figures: 0, scannedPages: [], errors: [{ page: null, code: error.code, message: error.message }], outcome: 'refused' };
        }
        if (showProgress) process.stderr.write('\r\x1b[K');
        process.stdout.write(`${values.json ? JSON.stringify(line) : describe(line)}\n`);
      }
    } finally {
      db.close();
    }
    if (refused > 0) throw new Error(`${refused} of ${files.length} files refused`);
  },
};
