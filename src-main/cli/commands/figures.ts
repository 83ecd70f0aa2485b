// `quire figures DOC`: the figures found in a document, their boxes, and (with --out) one PNG per figure.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DocumentNotFoundError } from '../../store/errors.js';
import { findDocumentBySha, listFigures, resolveDocument } from '../../store/documents.js';
import type { Db } from '../../store/database.js';
import type { DocumentRecord } from '../../store/records.js';
import { parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';
import { DATA_OPTION_HELP, openDataStore } from '../data-dir.js';
import { UsageError } from '../usage-error.js';

const usage = `usage: quire figures DOC [--out DIR] [--json] [--data DIR]

Lists the figures of an ingested document — page, kind (raster or vector) and box in points (origin top-left of
the page as displayed) — and with --out writes each figure's crop as DIR/<id>-p<page>-<n>.png.
DOC is a document id (or unique prefix) from \`quire ingest\`, or the path of an ingested PDF.

  --out DIR     write one PNG per figure into DIR (created if needed)
  --json        one line per figure: {"page","ordinal","kind","box","file"}
  ${DATA_OPTION_HELP}`;

function findDocument(db: Db, ref: string): DocumentRecord {
  const isFile = (() => { try { return statSync(ref).isFile(); } catch { return false; } })();
  if (!isFile) return resolveDocument(db, ref);
  const sha = createHash('sha256').update(readFileSync(ref)).digest('hex');
  const doc = findDocumentBySha(db, sha);
  if (!doc) throw new DocumentNotFoundError(`${ref} has not been ingested into this database: run \`quire ingest ${ref}\` first`);
  return doc;
}

export const figuresCommand: Command = {
  name: 'figures',
  summary: 'list the figures of a document, write their crops',
  usage,
  run(args) {
    const { values, positionals } = parseCommandArgs(args, { out: { type: 'string' }, json: { type: 'boolean' }, data: { type: 'string' } });
    if (positionals.length !== 1) throw new UsageError('give exactly one document id or ingested PDF path');
    const { db } = openDataStore(values.data);
    try {
      const doc = findDocument(db, positionals[0]!);
      const figures = listFigures(db, doc.id);
      if (values.out !== undefined) mkdirSync(values.out, { recursive: true });
      const lines: string[] = [];
      if (!values.json) lines.push(`${doc.id}  ${doc.path}: ${figures.length} figures`);
      for (const f of figures) {
        let file: string | null = null;
        if (values.out !== undefined && f.cropPng) {
          file = join(values.out, `${doc.id}-p${f.pageNumber}-${f.ordinal}.png`);
          writeFileSync(file, f.cropPng);
        }
        const box = f.box.map((v) => Math.round(v * 10) / 10);
        if (values.json) {
          lines.push(JSON.stringify({ page: f.pageNumber, ordinal: f.ordinal, kind: f.kind, box, file }));
        } else {
          const size = `${(box[2]! - box[0]!).toFixed(0)}×${(box[3]! - box[1]!).toFixed(0)} pt`;
          lines.push(`  page ${f.pageNumber} #${f.ordinal}  ${f.kind.padEnd(6)}  [${box.join(', ')}] ${size}${file ? `  → ${file}` : ''}`);
        }
      }
      process.stdout.write(`${lines.join('\n')}\n`);
    } finally {
      db.close();
    }
  },
};
