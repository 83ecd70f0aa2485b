// Asking documents end to end: real PDFs ingested into a real SQLite file, a tiny synthetic model + projector in the
// engine process (its text is noise, but deterministic). Covers a question that fits whole, one that needs page
// selection, a figure question served from the image-token cache the second time, and a follow-up that starts from
// the saved prompt state of the document prefix.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GgmlType } from '../../engine/quant/index.js';
import { GEMMA3_PRESETS, VISION_PRESETS, synthesizeGemma3, synthesizeMmproj } from '../../engine/synth/index.js';
import { ingestFile } from '../../src-main/documents/ingest.js';
import { AskService } from '../../src-main/services/ask/ask-service.js';
import { EngineHost, childEngineConnection, type EngineOp } from '../../src-main/services/engine-host/index.js';
import { listMessages } from '../../src-main/store/conversations.js';
import { openDatabase, type Db } from '../../src-main/store/database.js';
import { listPages } from '../../src-main/store/documents.js';
import { longDocument, sampleDocument, writeBytes } from '../helpers/pdf-files.js';

const dir = mkdtempSync(join(tmpdir(), 'quire-ask-'));
let db: Db;
let engine: EngineHost;
const calls: EngineOp[] = [];
const images: { width: number; height: number }[] = [];                 // what embedImage was shown
let shortDoc: string;
let longDoc: string;
let chartDoc: string;
let scanDoc: string;
let modelPath: string;

beforeAll(async () => {
  const model = join(dir, 'tiny.gguf');
  const mmproj = join(dir, 'mmproj.gguf');
  synthesizeGemma3(model, { shape: GEMMA3_PRESETS.tiny, vocab: 'synthetic', matrixType: GgmlType.Q8_0, embeddingType: GgmlType.Q8_0, weightScale: 1.75, seed: 21 });
  synthesizeMmproj(mmproj, { shape: VISION_PRESETS.tiny, textWidth: GEMMA3_PRESETS.tiny.nEmbd, matrixType: GgmlType.F16, seed: 22 });
  db = openDatabase(join(dir, 'quire.db'));
  shortDoc = (await ingestFile(db, writeBytes(join(dir, 'short.pdf'), await longDocument(2, { words: 24 })))).id;
  longDoc = (await ingestFile(db, writeBytes(join(dir, 'long.pdf'), await longDocument(14, { words: 60 })))).id;
  chartDoc = (await ingestFile(db, writeBytes(join(dir, 'charts.pdf'), await longDocument(3, { charts: true, words: 12 })))).id;
  scanDoc = (await ingestFile(db, writeBytes(join(dir, 'sample.pdf'), (await sampleDocument()).bytes))).id;
  modelPath = model;
  engine = new EngineHost(() => childEngineConnection());
  const request = engine.request.bind(engine);
  engine.request = ((op, payload, callbacks) => {
    calls.push(op);
    if (op === 'embedImage') {
      const { image } = payload as { image: { width: number; height: number } };
      images.push({ width: image.width, height: image.height });
    }
    return request(op, payload, callbacks);
  }) as typeof engine.request;
  await engine.load({ model, mmproj, contextSize: 2048, batchSize: 512 });
}, 120_000);
afterAll(() => {
  engine?.close();
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('ask a document', () => {
  it('a document that fits goes in whole; the answer streams and is stored with the question', async () => {
    const ask = new AskService(db, engine);
    let streamed = '';
    const result = await ask.ask(shortDoc, 'What does the ledger say?', { maxTokens: 24, sampling: { seed: 1 }, onToken: (t) => (streamed += t) });
    expect(result.plan.wholeDocument).toBe(true);
    expect(result.plan.pages).toEqual([1, 2]);
    expect(result.plan.leftOutPages).toEqual([]);
    expect(streamed.trim()).toBe(result.answer);
    const messages = listMessages(db, result.conversationId);
    expect(messages.slice(-2).map((m) => [m.role, m.content])).toEqual([['user', 'What does the ledger say?'], ['assistant', result.answer]]);
    for (const c of result.citations) expect([1, 2]).toContain(c.pageNumber);
  });

  it('a document that does not fit: named and best-ranked pages within the budget, the rest reported as left out', async () => {
    const ask = new AskService(db, engine);
    const result = await ask.ask(longDoc, 'What is on page 9 about the copper harbor?', { maxTokens: 32, sampling: { seed: 2 } });
    expect(result.plan.wholeDocument).toBe(false);
    expect(result.plan.pages).toContain(9);
    expect(result.plan.leftOutPages.length).toBeGreaterThan(0);
    expect([...result.plan.pages, ...result.plan.leftOutPages].sort((a, b) => a - b)).toEqual(Array.from({ length: 14 }, (_, i) => i + 1));
    // The whole prompt fit: prefix + question + answer room within the 2048-token context.
    expect(result.prefixTokens + 32).toBeLessThanOrEqual(2048);
  });

  it('a figure question encodes the chart once; asking again takes its tokens from the cache (no encoder call)', async () => {
    const ask = new AskService(db, engine);
    calls.length = 0;
    const first = await ask.ask(chartDoc, 'What does the chart on page 2 show?', { maxTokens: 8, sampling: { seed: 3 } });
    expect(first.plan.figures.map((f) => f.pageNumber)).toEqual([2]);
    expect(first.encodedFigures).toBe(1);
    expect(calls.filter((op) => op === 'embedImage')).toHaveLength(1);
    calls.length = 0;
    const second = await ask.ask(chartDoc, 'And the chart on page 2 again: what is its tallest bar?', { maxTokens: 8, sampling: { seed: 3 } });
    expect(second.plan.figures.map((f) => f.pageNumber)).toEqual([2]);
    expect(second.encodedFigures).toBe(0);
    expect(calls).not.toContain('embedImage');
  });

  it('a follow-up reuses the saved prompt state of the document prefix instead of prefilling it again', async () => {
    const ask = new AskService(db, engine);
    const first = await ask.ask(shortDoc, 'Which words repeat?', { maxTokens: 8, sampling: { seed: 4 } });
    const followUp = await ask.ask(shortDoc, 'And which one comes first?', { conversationId: first.conversationId, maxTokens: 8, sampling: { seed: 4 } });
    expect(followUp.reusedPrefix).toBe(true);
    expect(followUp.prefixTokens).toBe(first.prefixTokens);
    expect(followUp.prefilledTokens).toBeLessThan(followUp.prefixTokens);          // only the turns were prefilled
    const messages = listMessages(db, first.conversationId);
    expect(messages.filter((m) => m.role === 'user').map((m) => m.content)).toContain('And which one comes first?');
  });

  it('a follow-up on a long document keeps the pages of the previous answer, and its prefix state', async () => {
    const ask = new AskService(db, engine);
    const first = await ask.ask(longDoc, 'Tell me about page 4 and the orchard.', { newConversation: true, maxTokens: 8, sampling: { seed: 5 } });
    expect(first.plan.wholeDocument).toBe(false);
    expect(first.plan.pages).toContain(4);
    const followUp = await ask.ask(longDoc, 'What about the willow meadow there?', { conversationId: first.conversationId, maxTokens: 8, sampling: { seed: 5 } });
    expect(followUp.plan.pages).toEqual(first.plan.pages);
    expect(followUp.reusedPrefix).toBe(true);
    expect(followUp.prefilledTokens).toBeLessThan(followUp.prefixTokens);
  });

  it('a region lassoed on a page is rendered from the PDF and shown to the model; the same region again comes from the cache', async () => {
    const ask = new AskService(db, engine);
    calls.length = images.length = 0;
    const region = { pageNumber: 2, box: [100, 120, 400, 270] as [number, number, number, number] };   // 300 × 150 points
    const first = await ask.ask(chartDoc, 'What is in this region?', { newConversation: true, region, maxTokens: 8, sampling: { seed: 6 } });
    expect(first.region).toEqual(region);
    // The question keeps its region: the conversation shows what it was about, in any later session too.
    expect(listMessages(db, first.conversationId).slice(-2).map((m) => [m.role, m.region])).toEqual([['user', region], ['assistant', undefined]]);
    expect(first.encodedFigures).toBe(1);
    expect(images).toEqual([{ width: 896, height: 448 }]);                      // the box's shape, at the encoder's size
    calls.length = 0;
    const again = await ask.ask(chartDoc, 'And its colours?', { conversationId: first.conversationId, region, maxTokens: 8, sampling: { seed: 6 } });
    expect(again.encodedFigures).toBe(0);
    expect(calls).not.toContain('embedImage');
    expect(again.reusedPrefix).toBe(true);                                      // same document prefix, same region image
    images.length = 0;
    const other = await ask.ask(chartDoc, 'And here?', { region: { pageNumber: 2, box: [100, 120, 250, 420] }, maxTokens: 8, sampling: { seed: 6 } });
    expect(other.encodedFigures).toBe(1);
    expect(images).toEqual([{ width: 448, height: 896 }]);
    await expect(ask.ask(chartDoc, 'A dot?', { region: { pageNumber: 2, box: [10, 10, 11, 11] } })).rejects.toThrow(/too small/);
    await expect(ask.ask(chartDoc, 'Page 9?', { region: { pageNumber: 9, box: [10, 10, 100, 100] } })).rejects.toThrow(/page 9 does not exist/);
  });

  it('a scanned page is read by the vision model as an image of the whole page (cached), and said to be unread without one', async () => {
    const scanned = listPages(db, scanDoc).filter((p) => p.scanned);
    expect(scanned.map((p) => p.pageNumber)).toEqual([6]);
    const page = scanned[0]!;
    const long = Math.max(page.width, page.height);
    const expected = { width: Math.round((896 * page.width) / long), height: Math.round((896 * page.height) / long) };
    const ask = new AskService(db, engine);
    calls.length = images.length = 0;
    const first = await ask.ask(scanDoc, 'What does page 6 say?', { newConversation: true, maxTokens: 8, sampling: { seed: 7 } });
    expect(first.plan.pages).toContain(6);
    expect(first.scannedPages).toEqual([6]);
    expect(first.unreadScannedPages).toEqual([]);
    expect(images).toHaveLength(1);
    expect(Math.abs(images[0]!.width - expected.width) + Math.abs(images[0]!.height - expected.height)).toBeLessThanOrEqual(2);
    calls.length = 0;
    const again = await ask.ask(scanDoc, 'And page 6 once more?', { newConversation: true, maxTokens: 8, sampling: { seed: 7 } });
    expect(again.scannedPages).toEqual([6]);
    expect(calls).not.toContain('embedImage');                                  // the page's tokens came from the cache

    const textOnly = new EngineHost(() => childEngineConnection());
    try {
      await textOnly.load({ model: modelPath, contextSize: 2048 });
      const blind = await new AskService(db, textOnly).ask(scanDoc, 'What does page 6 say?', { newConversation: true, maxTokens: 8, sampling: { seed: 7 } });
      expect(blind.plan.pages).toContain(6);
      expect(blind.scannedPages).toEqual([]);
      expect(blind.unreadScannedPages).toEqual([6]);
    } finally {
      textOnly.close();
    }
  });
});
