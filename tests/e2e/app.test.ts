// The app in a real Chromium (Debian's, driven by playwright-core) against `quire serve` with a tiny synthetic
// model: add a PDF, open it, page through (buttons and thumbnails; the text layer is there), ask and watch the
// answer stream, open a figure and ask about it, lasso a region and ask about it, stop a generation midway, click a
// citation and see exactly its words highlighted, see a chart's data from an answer as a table and a re-plot, run a
// batch over 3 PDFs and export it, add and verify a model, turn the offline switch off and download a model with
// progress, load it and ask with it, and drop a PDF on the window. Screenshots of each screen go to test-artifacts/.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { type AddressInfo } from 'node:net';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type Page, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GgmlType } from '../../engine/quant/index.js';
import { GEMMA3_PRESETS, VISION_PRESETS, synthesizeGemma3, synthesizeMmproj } from '../../engine/synth/index.js';
import { type RunningServer, startServer } from '../../src-main/server/quire-server.js';
import { EngineHost, EngineSlot, childEngineConnection } from '../../src-main/services/engine-host/index.js';
import { appendMessage, createConversation } from '../../src-main/store/conversations.js';
import { openDatabase, type Db } from '../../src-main/store/database.js';
import { writeSettings } from '../../src-main/store/settings.js';
import { longDocument, writeBytes } from '../helpers/pdf-files.js';

const CHROMIUM = '/usr/bin/chromium';
/** Finished answers (the one streaming in is an li.assistant too, until it is done). */
const answers = () => page.locator('li.assistant:not([data-testid="streaming"])');
const ARTIFACTS = 'test-artifacts';
const dir = mkdtempSync(join(tmpdir(), 'quire-e2e-'));
let db: Db;
let engine: EngineHost;
let engines: EngineSlot;
let server: RunningServer;
let browser: Browser;
let page: Page;
let pdfPath: string;
let modelPath: string;

beforeAll(async () => {
  if (!existsSync('out/renderer/index.html')) throw new Error('build the renderer first: npm run build:renderer');
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: .ci/run installs Debian's chromium`);
  mkdirSync(ARTIFACTS, { recursive: true });
  const model = join(dir, 'tiny.gguf');
  modelPath = model;
  synthesizeGemma3(model, { shape: GEMMA3_PRESETS.tiny, vocab: 'synthetic', matrixType: GgmlType.Q8_0, embeddingType: GgmlType.Q8_0, weightScale: 1.75, seed: 71 });
  const mmproj = join(dir, 'mmproj.gguf');
  synthesizeMmproj(mmproj, { shape: VISION_PRESETS.tiny, textWidth: GEMMA3_PRESETS.tiny.nEmbd, matrixType: GgmlType.F16, seed: 72 });
  pdfPath = writeBytes(join(dir, 'report.pdf'), await longDocument(3, { charts: true, words: 36 }));
  db = openDatabase(join(dir, 'quire.db'));
  engine = new EngineHost(() => childEngineConnection());
  await engine.load({ model, mmproj, contextSize: 2048 });
  engines = EngineSlot.holding(engine, 'tiny', () => childEngineConnection());
  writeSettings(db, { seed: 7 });                                            // repeatable answers
  server = await startServer({ rendererDir: 'out/renderer', context: { db, dataDir: dir, engines } });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
  engines?.close();
  engine?.close();
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('Quire in a browser', () => {
  it('adds a PDF, opens it and pages through it', async () => {
    await page.goto(server.url);
    await page.getByLabel('Add a PDF (path)').fill(pdfPath);
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByRole('button', { name: /report\.pdf/ }).click();
    await expect.poll(() => page.getByTestId('page-indicator').textContent(), { timeout: 30_000 }).toBe('Page 1 of 3');
    await page.screenshot({ path: join(ARTIFACTS, 'library-and-reader.png') });
    await page.getByRole('button', { name: 'Next page' }).click();
    await expect.poll(() => page.getByTestId('page-indicator').textContent()).toBe('Page 2 of 3');
    await page.screenshot({ path: join(ARTIFACTS, 'reader-page-2.png') });
    await page.getByRole('button', { name: 'Page 3', exact: true }).click();             // its thumbnail
    await expect.poll(() => page.getByTestId('page-indicator').textContent()).toBe('Page 3 of 3');
    // The page's text is there to select, from pdf.js's text layer.
    await expect.poll(() => page.locator('.textLayer').textContent(), { timeout: 30_000 }).toMatch(/Page 3 marker3/);
    await page.getByRole('button', { name: 'Page 1', exact: true }).click();
  });

  it('asks and watches the answer stream in', async () => {
    // Every text the streaming answer shows, recorded in the page as the DOM changes.
    // (A script string: this file is type-checked without the DOM library.)
    await page.evaluate(`(() => {
      const seen = [];
      window.seen = seen;
      new MutationObserver(() => {
        const text = document.querySelector('[data-testid="streaming"]')?.textContent;
        if (text && seen.at(-1) !== text) seen.push(text);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    })()`);
    await page.getByLabel('Question').fill('What does this report say?');
    await page.getByRole('button', { name: 'Ask', exact: true }).click();
    await expect.poll(() => page.getByTestId('streaming').count(), { timeout: 60_000 }).toBe(1);
    await expect.poll(() => page.getByTestId('streaming').count(), { timeout: 60_000 }).toBe(0);   // answer complete
    const seen = await page.evaluate<string[]>('window.seen');
    expect(seen.length).toBeGreaterThan(3);                                  // the answer grew on screen token by token
    expect(await answers().count()).toBe(1);
    await page.screenshot({ path: join(ARTIFACTS, 'chat-answer.png') });
  });

  it('opens a figure from the gallery on its page, and asks about it: the chart goes to the model as an image', async () => {
    await page.getByRole('button', { name: 'Show figure 2 on page 2' }).click();
    await expect.poll(() => page.getByTestId('page-indicator').textContent()).toBe('Page 2 of 3');
    await expect.poll(() => page.getByTestId('highlight').count()).toBe(1);
    const before = await answers().count();
    await page.getByRole('button', { name: 'Ask about figure 2' }).click();
    await expect.poll(() => answers().count(), { timeout: 60_000 }).toBe(before + 1);
    await expect.poll(() => page.getByRole('note').textContent()).toMatch(/Looked at figure 2 \(page 2\)/);
    await page.screenshot({ path: join(ARTIFACTS, 'figure-asked.png') });
  });

  it('lassoes a region of a page and asks about it: the region goes to the model as an image', async () => {
    await page.getByRole('button', { name: 'Select a region' }).click();
    const canvas = (await page.getByRole('group', { name: 'Page 2', exact: true }).boundingBox())!;
    await page.mouse.move(canvas.x + canvas.width * 0.2, canvas.y + canvas.height * 0.5);
    await page.mouse.down();
    await page.mouse.move(canvas.x + canvas.width * 0.5, canvas.y + canvas.height * 0.6, { steps: 5 });
    await page.mouse.move(canvas.x + canvas.width * 0.7, canvas.y + canvas.height * 0.75, { steps: 5 });
    await page.mouse.up();
    await expect.poll(() => page.getByTestId('region').count()).toBe(1);
    await page.getByRole('button', { name: 'Ask about this region' }).click();
    await expect.poll(() => page.getByTestId('attached-region').textContent()).toMatch(/region you selected on page 2/);
    await page.screenshot({ path: join(ARTIFACTS, 'region-selected.png') });
    const before = await answers().count();
    await page.getByRole('button', { name: 'Ask', exact: true }).click();
    await expect.poll(() => answers().count(), { timeout: 60_000 }).toBe(before + 1);
    await expect.poll(() => page.getByRole('note').textContent()).toMatch(/Looked at the region you selected on page 2/);
    expect(await page.getByTestId('attached-region').count()).toBe(0);     // sent with that question only
    // The question keeps its region: clicking it shows the box on its page.
    await page.getByRole('button', { name: 'About the region selected on page 2' }).click();
    await expect.poll(() => page.getByTestId('highlight').count()).toBe(1);
  });

  it('stops a generation midway', async () => {
    await page.getByLabel('Question').fill('Tell me everything, at length.');
    await page.getByRole('button', { name: 'Ask', exact: true }).click();
    await expect.poll(async () => ((await page.getByTestId('streaming').textContent()) ?? '').length, { timeout: 60_000, interval: 20 }).toBeGreaterThan(3);
    await page.getByRole('button', { name: 'Stop' }).click();
    await expect.poll(() => answers().last().textContent(), { timeout: 30_000 }).toMatch(/\[stopped\]/);
    await page.screenshot({ path: join(ARTIFACTS, 'chat-stopped.png') });
  });

  it('a citation opens its page with the passage highlighted', async () => {
    // An answer with a citation to page 3, stored as the service stores them (the noise model cites nothing).
    const docId = db.prepare('SELECT id FROM documents').pluck().get() as string;
    const conversation = createConversation(db, docId, 'cited');
    appendMessage(db, conversation, { role: 'user', content: 'Where is the harbor?' });
    appendMessage(db, conversation, { role: 'assistant', content: 'On page 3 [p. 3].', citations: [{ documentId: docId, pageNumber: 3, span: [7, 28], quote: 'marker3 delta orchard' }] });
    await page.reload();
    await page.getByRole('button', { name: /report\.pdf/ }).click();
    await page.getByRole('button', { name: /p\. 3 — “marker3 delta orchard”/ }).click();
    await expect.poll(() => page.getByTestId('page-indicator').textContent(), { timeout: 30_000 }).toBe('Page 3 of 3');
    // Exactly the quoted words are marked, across the two lines of text they span — not the whole page.
    await expect.poll(() => page.getByTestId('highlight-text').allTextContents(), { timeout: 30_000 }).toEqual(['marker3', 'delta orchard']);
    expect(await page.getByTestId('highlight').count()).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, 'citation-highlight.png') });
    // The conversation exported with its sources.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export the conversation as Markdown' }).click()]);
    const saved = join(dir, 'conversation.md');
    await download.saveAs(saved);
    expect(readFileSync(saved, 'utf8')).toMatch(/> Where is the harbor\?\n\n\*\*Answer\*\*\n\nOn page 3 \[p\. 3\]\.\n\nSources:\n- page 3: “marker3 delta orchard”/);
  });

  it('shows a chart\'s data from an answer as a table, re-plotted beside the original figure', async () => {
    const docId = db.prepare('SELECT id FROM documents').pluck().get() as string;
    const figure = db.prepare('SELECT id FROM figures WHERE document_id = ? ORDER BY page_number LIMIT 1 OFFSET 1').pluck().get(docId) as number;
    const conversation = createConversation(db, docId, 'data');
    appendMessage(db, conversation, { role: 'user', content: 'Give me the data of figure 2 as a table.' });
    appendMessage(db, conversation, {
      role: 'assistant',
      content: 'The bars read [fig. 2]:\n\n| Quarter | Sales |\n|---|---:|\n| Q1 | 12 |\n| Q2 | 30 |\n| Q3 | 21 |\n| Q4 | 44 |\n\nSales peak in Q4.',
      citations: [{ documentId: docId, pageNumber: 2, figureId: figure }],
    });
    await page.reload();
    await page.getByRole('button', { name: /report\.pdf/ }).click();
    const table = page.getByTestId('data-table');
    await expect.poll(() => table.locator('tbody tr').count(), { timeout: 30_000 }).toBe(4);
    expect(await table.locator('tbody tr').nth(3).textContent()).toMatch(/Q4\s*44/);
    const plot = page.getByTestId('replot');
    expect(await plot.getAttribute('aria-label')).toMatch(/Sales/);
    expect(await page.locator(`li.assistant img[src="/api/figure/${figure}.png"]`).count()).toBe(1);   // the original beside it
    expect(await answers().last().textContent()).toMatch(/Sales peak in Q4\./);
    await page.getByRole('button', { name: 'Show figure 2 on page 2' }).click();
    await expect.poll(() => page.locator('.textLayer').textContent(), { timeout: 30_000 }).toMatch(/marker2/);
    await answers().last().scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ARTIFACTS, 'chart-data-replot.png') });
  });

  it('runs a batch over a folder of 3 PDFs to the results table, and exports it', async () => {
    const folder = join(dir, 'contracts');
    mkdirSync(folder);
    for (let i = 1; i <= 3; i++) writeBytes(join(folder, `contract-${i}.pdf`), await longDocument(i + 1, { words: 24 }));
    await page.getByRole('tab', { name: 'Batch' }).click();
    await page.getByLabel('Folder of PDFs').fill(folder);
    await page.getByLabel('Template').selectOption('contract');
    await page.getByRole('button', { name: 'Start' }).click();
    await expect.poll(() => page.getByTestId('job-status').textContent(), { timeout: 120_000 }).toMatch(/: done/);
    const rows = page.locator('tbody tr');
    expect(await rows.count()).toBe(3);
    for (let i = 0; i < 3; i++) expect(await rows.nth(i).locator('td').nth(1).textContent()).toBe('done');
    expect(await rows.first().locator('dt').allTextContents()).toEqual(['parties', 'effective_date', 'term', 'renewal', 'termination', 'payment', 'liability_cap', 'governing_law']);
    await page.screenshot({ path: join(ARTIFACTS, 'batch-results.png') });
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    const saved = join(dir, 'export.csv');
    await download.saveAs(saved);
    const lines = readFileSync(saved, 'utf8').split('\r\n').filter(Boolean);
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^file,status,error,parties,parties_page,parties_quote,/);
  });

  it('adds a model in Models, shows its memory estimate, and verifies it', async () => {
    await page.getByRole('tab', { name: 'Models' }).click();
    await page.getByLabel('Model file (.gguf)').fill(modelPath);
    await page.getByRole('button', { name: 'Add model' }).click();
    await expect.poll(() => page.getByTestId('models-message').textContent(), { timeout: 60_000 }).toBe('Added tiny.');
    await expect.poll(() => page.locator('tbody tr').first().textContent()).toMatch(/MiB of \d+ MiB free — fits; largest context: 2048/);
    await page.getByRole('button', { name: 'Verify tiny' }).click();
    await expect.poll(() => page.getByTestId('models-message').textContent(), { timeout: 60_000 }).toBe('tiny: files and checksums match.');
    await page.screenshot({ path: join(ARTIFACTS, 'models.png') });
  });

  it('downloads a model with progress once the offline switch is off, loads it, and answers with it', async () => {
    // A local server handing out the model slowly (64 KiB every 15 ms), so the progress bar has time to show.
    const bytes = readFileSync(modelPath);
    const files = createServer((req, res) => {
      if (req.url !== '/models/tiny-dl.gguf') return void res.writeHead(404).end();
      res.writeHead(200, { 'Content-Length': bytes.length, 'Content-Type': 'application/octet-stream' });
      let at = 0;
      const next = (): void => {
        if (at >= bytes.length) return void res.end();
        res.write(bytes.subarray(at, (at += 64 * 1024)));
        setTimeout(next, 15);
      };
      next();
    });
    await new Promise<void>((r) => files.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(files.address() as AddressInfo).port}/models/tiny-dl.gguf`;
    try {
      await page.getByRole('tab', { name: 'Models' }).click();
      await expect.poll(() => page.getByLabel('Model URL').isDisabled()).toBe(true);          // offline by default
      await page.getByRole('tab', { name: 'Settings' }).click();
      // The questions asked so far left saved document states behind; they can be cleared.
      const kept = db.prepare('SELECT count(*) FROM prompt_snapshots').pluck().get() as number;
      expect(kept).toBeGreaterThan(0);
      await expect.poll(() => page.getByTestId('snapshot-usage').textContent()).toMatch(new RegExp(`Now: ${kept} states?, \\d+ MiB\\.`));
      await page.getByRole('button', { name: 'Clear saved states' }).click();
      await expect.poll(() => page.getByTestId('snapshot-usage').textContent()).toMatch(/Now: 0 states, 0 MiB\./);
      expect(db.prepare('SELECT count(*) FROM prompt_snapshots').pluck().get()).toBe(0);
      await page.getByLabel('Offline (no network at all)').uncheck();
      await expect.poll(() => page.getByRole('status').textContent()).toMatch(/Downloads are allowed/);
      await page.screenshot({ path: join(ARTIFACTS, 'settings.png') });
      await page.getByRole('tab', { name: 'Models' }).click();
      await page.getByLabel('Model URL').fill(url);
      await page.getByLabel('Its SHA-256').fill(createHash('sha256').update(bytes).digest('hex'));
      await page.getByRole('button', { name: 'Download', exact: true }).click();
      await expect.poll(() => page.locator('progress').count(), { timeout: 30_000 }).toBe(1);
      await page.screenshot({ path: join(ARTIFACTS, 'models-download.png') });
      await expect.poll(() => page.getByTestId('models-message').textContent(), { timeout: 60_000 }).toBe('Downloaded, verified and added tiny-dl.');
      await page.getByRole('button', { name: 'Load tiny-dl' }).click();
      await expect.poll(() => page.getByTestId('model-status').textContent(), { timeout: 60_000 }).toMatch(/Loaded: tiny-dl \(2048-token context\)/);
    } finally {
      files.close();
    }
    expect(engines.current).not.toBe(engine);                                   // the new engine replaced the old one
    await page.getByRole('tab', { name: 'Documents' }).click();
    await page.getByRole('button', { name: /report\.pdf/ }).click();
    const before = await answers().count();
    await page.getByLabel('Question').fill('And now?');
    await page.getByRole('button', { name: 'Ask', exact: true }).click();
    await expect.poll(() => answers().count(), { timeout: 60_000 }).toBe(before + 1);
  });

  it('adds a PDF dropped on the window', async () => {
    const pdf = Buffer.from(await longDocument(2, { words: 12 })).toString('base64');
    await page.evaluate(`(() => {
      const bytes = Uint8Array.from(atob('${pdf}'), (c) => c.charCodeAt(0));
      const data = new DataTransfer();
      data.items.add(new File([bytes], 'dropped.pdf', { type: 'application/pdf' }));
      for (const type of ['dragenter', 'dragover', 'drop']) window.dispatchEvent(new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }));
    })()`);
    await expect.poll(() => page.getByRole('button', { name: /dropped\.pdf/ }).count(), { timeout: 30_000 }).toBe(1);
    await expect.poll(() => page.getByTestId('page-indicator').textContent(), { timeout: 30_000 }).toBe('Page 1 of 2');   // opened
    expect(readdirSync(join(dir, 'imports')).filter((f) => f.endsWith('-dropped.pdf'))).toHaveLength(1);
  });
});
