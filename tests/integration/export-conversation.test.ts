// A document's conversation exported as a file: Markdown with each answer's sources (page and quoted words, figure
// number and page) and JSON with every message and citation — through `quire chat DOC --export` on a real SQLite
// file with an ingested PDF (no model needed), and the same text the app's chat.export gives.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestFile } from '../../src-main/documents/ingest.js';
import { dispatch } from '../../src-main/ipc/contract.js';
import { EngineSlot, childEngineConnection } from '../../src-main/services/engine-host/index.js';
import { appendMessage, createConversation } from '../../src-main/store/conversations.js';
import { openDatabase, type Db } from '../../src-main/store/database.js';
import { listFigures } from '../../src-main/store/documents.js';
import { longDocument, writeBytes } from '../helpers/pdf-files.js';
import { runQuire } from '../helpers/run-quire.js';

const dir = mkdtempSync(join(tmpdir(), 'quire-export-chat-'));
let db: Db;
let documentId: string;

beforeAll(async () => {
  db = openDatabase(join(dir, 'quire.db'));
  documentId = (await ingestFile(db, writeBytes(join(dir, 'report.pdf'), await longDocument(2, { charts: true, words: 12 })))).id;
  const figure = listFigures(db, documentId).find((f) => f.pageNumber === 2)!;
  const conversation = createConversation(db, documentId, 'Harbor questions');
  appendMessage(db, conversation, { role: 'user', content: 'Where is the harbor?\nAnd the chart?', region: { pageNumber: 2, box: [10, 20, 300, 400] } });
  appendMessage(db, conversation, {
    role: 'assistant', content: 'On page 1 [p. 1]; the chart is figure 2 [fig. 2].',
    citations: [{ documentId, pageNumber: 1, span: [7, 14], quote: 'marker1' }, { documentId, pageNumber: 2, figureId: figure.id }],
  });
  db.close();
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('exporting a conversation', () => {
  it('writes Markdown with each answer\'s sources, and JSON with every citation', async () => {
    const md = join(dir, 'chat.md');
    const run = await runQuire(['chat', documentId.slice(0, 8), '--export', md, '--data', dir]);
    expect(run.status, run.stderr).toBe(0);
    const lines = readFileSync(md, 'utf8').split('\n');
    expect(lines[2]).toMatch(/^About \*\*report\.pdf\*\* \(2 pages\), started \d{4}-\d\d-\d\dT/);
    expect([...lines.slice(0, 2), ...lines.slice(3)]).toEqual([
      '# Harbor questions', '', '',
      '## Question', '', '*About the region selected on page 2.*', '', '> Where is the harbor?', '> And the chart?', '',
      '**Answer**', '', 'On page 1 [p. 1]; the chart is figure 2 [fig. 2].', '',
      'Sources:', '- page 1: “marker1”', '- figure 2, page 2', '']);
    const json = join(dir, 'chat.json');
    expect((await runQuire(['chat', documentId, '--export', json, '--data', dir])).status).toBe(0);
    const data = JSON.parse(readFileSync(json, 'utf8')) as { document: { id: string }; messages: { role: string; region?: unknown; citations: { pageNumber: number; quote?: string; figureNumber?: number }[] }[] };
    expect(data.document.id).toBe(documentId);
    expect(data.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(data.messages[0]).toMatchObject({ region: { pageNumber: 2, box: [10, 20, 300, 400] } });
    expect(data.messages[1]!.citations).toMatchObject([{ pageNumber: 1, quote: 'marker1', span: [7, 14] }, { pageNumber: 2, figureNumber: 2 }]);
    // The app's chat.export gives the same file.
    const again = openDatabase(join(dir, 'quire.db'));
    try {
      const ctx = { db: again, dataDir: dir, engines: new EngineSlot(() => childEngineConnection()), emit: () => undefined, signal: new AbortController().signal };
      expect(await dispatch('chat.export', { documentId, format: 'md' }, ctx)).toEqual({ ok: true, value: readFileSync(md, 'utf8') });
      expect(await dispatch('chat.export', { documentId, format: 'md', conversationId: 99 }, ctx)).toMatchObject({ ok: false, error: { message: /no conversation 99/ } });
    } finally {
      again.close();
    }
  });

  it('says so when there is nothing to export, and writes nothing', async () => {
    const run = await runQuire(['chat', 'ffffffff', '--export', join(dir, 'none.md'), '--data', dir]);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/ffffffff/);
    expect(existsSync(join(dir, 'none.md'))).toBe(false);
  });
});
