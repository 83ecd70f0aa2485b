// `quire search QUERY`: full-text search over every ingested page, with snippets and page numbers.
import { resolveDocument } from '../../store/documents.js';
import { searchPages } from '../../store/search.js';
import { integerOption, parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';
import { DATA_OPTION_HELP, openDataStore } from '../data-dir.js';
import { UsageError } from '../usage-error.js';

const usage = `usage: quire search QUERY… [--doc ID] [--limit N] [--json] [--data DIR]

Finds the pages that contain every word of QUERY, best match first (BM25), with a snippet where [matches] are marked.

  --doc ID      only this document (its id from \`quire ingest\`, or a unique prefix)
  --limit N     at most N pages (default 20)
  --json        one line per page: {"documentId","path","page","snippet","rank"}
  ${DATA_OPTION_HELP}`;

export const searchCommand: Command = {
  name: 'search',
  summary: 'full-text search of ingested pages',
  usage,
  run(args) {
    const { values, positionals } = parseCommandArgs(args, {
      doc: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' }, data: { type: 'string' },
    });
    const query = positionals.join(' ');
    if (!/[\p{L}\p{N}]/u.test(query)) throw new UsageError('give words to search for');
    const limit = integerOption(values.limit, '--limit', 1) ?? 20;
    const { db } = openDataStore(values.data);
    try {
      const documentId = values.doc === undefined ? undefined : resolveDocument(db, values.doc).id;
      const hits = searchPages(db, query, { documentId, limit });
      if (hits.length === 0) process.stderr.write(`no pages match "${query}"\n`);
      const out = hits.map((h) => (values.json
        ? JSON.stringify({ documentId: h.documentId, path: h.path, page: h.pageNumber, snippet: h.snippet, rank: h.rank })
        : `${h.documentId}  page ${h.pageNumber}  ${h.path}\n    ${h.snippet.replace(/\s+/g, ' ')}`));
      if (out.length) process.stdout.write(`${out.join('\n')}\n`);
    } finally {
      db.close();
    }
  },
};
