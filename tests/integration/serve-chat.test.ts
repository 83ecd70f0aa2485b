// Asking a document through `quire serve`'s WebSocket with a real engine: token events stream before the envelope,
// and a cancel message stops the answer midway (the partial answer comes back as a cancelled result).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { GgmlType } from '../../engine/quant/index.js';
import { GEMMA3_PRESETS, synthesizeGemma3 } from '../../engine/synth/index.js';
import { ingestFile } from '../../src-main/documents/ingest.js';
import { type RunningServer, startServer } from '../../src-main/server/quire-server.js';
import { EngineHost, EngineSlot, childEngineConnection } from '../../src-main/services/engine-host/index.js';
import { openDatabase, type Db } from '../../src-main/store/database.js';
import { longDocument, writeBytes } from '../helpers/pdf-files.js';

const dir = mkdtempSync(join(tmpdir(), 'quire-serve-chat-'));
let db: Db;
let engine: EngineHost;
let server: RunningServer;
let documentId: string;

beforeAll(async () => {
  const model = join(dir, 'tiny.gguf');
  synthesizeGemma3(model, { shape: GEMMA3_PRESETS.tiny, vocab: 'synthetic', matrixType: GgmlType.Q8_0, embeddingType: GgmlType.Q8_0, weightScale: 1.75, seed: 61 });
  db = openDatabase(join(dir, 'quire.db'));
  documentId = (await ingestFile(db, writeBytes(join(dir, 'doc.pdf'), await longDocument(2, { words: 24 })))).id;
  engine = new EngineHost(() => childEngineConnection());
  await engine.load({ model, contextSize: 2048 });
  server = await startServer({ context: { db, dataDir: dir, engines: EngineSlot.holding(engine, 'tiny', () => childEngineConnection()) } });
}, 60_000);
afterAll(async () => {
  await server?.close();
  engine?.close();
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

function connect(): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api/ws?token=${server.token}`);
  return new Promise((resolve, reject) => {
    ws.on('open', () => resolve(ws));
    ws.on('error', reject);
  });
}

describe('chat over quire serve', () => {
  it('streams token events, then the envelope with the answer and its context plan', async () => {
    const ws = await connect();
    const events: { type: string; text?: string }[] = [];
    const result = await new Promise<{ ok: boolean; value: { answer: string; plan: { wholeDocument: boolean } } }>((resolve) => {
      ws.on('message', (m) => {
        const msg = JSON.parse(m.toString()) as { id: number; event?: { type: string; text?: string }; result?: never };
        if (msg.event) events.push(msg.event);
        if (msg.result) resolve(msg.result);
      });
      ws.send(JSON.stringify({ id: 1, method: 'chat.ask', args: { documentId, question: 'What is this about?', maxTokens: 12, seed: 1 } }));
    });
    ws.close();
    expect(result.ok).toBe(true);
    expect(result.value.plan.wholeDocument).toBe(true);
    expect(events.filter((e) => e.type === 'token').map((e) => e.text).join('').trim()).toBe(result.value.answer);
  });

  it('a cancel message stops the answer midway', async () => {
    const ws = await connect();
    let tokens = 0;
    const result = await new Promise<{ ok: boolean; value: { stop: string } }>((resolve) => {
      ws.on('message', (m) => {
        const msg = JSON.parse(m.toString()) as { id: number; event?: { type: string }; result?: never };
        if (msg.event?.type === 'token' && ++tokens === 3) ws.send(JSON.stringify({ id: 2, cancel: true }));
        if (msg.result) resolve(msg.result);
      });
      ws.send(JSON.stringify({ id: 2, method: 'chat.ask', args: { documentId, question: 'Tell me everything.', maxTokens: 400, seed: 2 } }));
    });
    ws.close();
    expect(result).toMatchObject({ ok: true, value: { stop: 'cancelled' } });
    expect(tokens).toBeLessThan(400);
  });
});
