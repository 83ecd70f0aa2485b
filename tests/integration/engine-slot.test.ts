// The app's one loaded model (EngineSlot) and loading a registered model with the user's settings: a failed load
// keeps the model that was there, a switch is refused while the engine works, an unloaded engine refuses requests,
// and the context follows Settings capped at what the model was trained for.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GgmlType } from '../../engine/quant/index.js';
import { GEMMA3_PRESETS, synthesizeGemma3 } from '../../engine/synth/index.js';
import { EngineBusyError, EngineSlot, childEngineConnection } from '../../src-main/services/engine-host/index.js';
import { loadRegisteredModel } from '../../src-main/services/models/load-model.js';
import { addModel } from '../../src-main/services/models/registry.js';
import { openDatabase, type Db } from '../../src-main/store/database.js';
import { readSettings, writeSettings } from '../../src-main/store/settings.js';

const dir = mkdtempSync(join(tmpdir(), 'quire-slot-'));
const model = join(dir, 'tiny.gguf');
let db: Db;
const slot = new EngineSlot(() => childEngineConnection());

beforeAll(async () => {
  synthesizeGemma3(model, { shape: GEMMA3_PRESETS.tiny, vocab: 'synthetic', matrixType: GgmlType.Q8_0, embeddingType: GgmlType.Q8_0, weightScale: 1.75, seed: 11 });
  db = openDatabase(join(dir, 'quire.db'));
  await addModel(db, model, { name: 'tiny' });
}, 60_000);
afterAll(() => {
  slot.close();
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the engine slot', () => {
  it('loads a registered model with the settings, its context capped at the trained one, and remembers it', async () => {
    writeSettings(db, { contextSize: 8192, threads: 1 });
    const info = await loadRegisteredModel(db, slot, 'tiny');
    expect(info.contextSize).toBe(GEMMA3_PRESETS.tiny.contextLength);           // 8192 asked, the model knows 2048
    expect(slot.status()).toMatchObject({ state: 'loaded', model: 'tiny' });
    expect(readSettings(db).model).toBe('tiny');
  });

  it('a load that fails leaves the loaded model in place and working', async () => {
    const before = slot.current!;
    await expect(slot.load('missing', { model: join(dir, 'missing.gguf') })).rejects.toThrow(/missing\.gguf/);
    expect(slot.current).toBe(before);
    expect(slot.status()).toMatchObject({ state: 'loaded', model: 'tiny' });
    expect(await before.request('tokenize', { text: 'still here' })).not.toHaveLength(0);
  });

  it('refuses to switch or unload while the engine is generating, then switches once it is done', async () => {
    const old = slot.current!;
    const prompt = await old.request('tokenize', { text: 'once upon a time' });
    const generating = old.request('generate', { prompt: [{ tokens: prompt }], maxTokens: 400, sampling: { seed: 1, temperature: 1.5 } });
    await expect(loadRegisteredModel(db, slot, 'tiny')).rejects.toThrow(EngineBusyError);
    expect(() => slot.unload()).toThrow(EngineBusyError);
    await expect(slot.load('tiny', { model }, () => true)).rejects.toThrow(EngineBusyError);   // a batch running counts too
    await generating;
    await loadRegisteredModel(db, slot, 'tiny');
    expect(slot.current).not.toBe(old);
    // The replaced engine is stopped for good: a caller still holding it is told, not served by a zombie process.
    await expect(old.request('tokenize', { text: 'x' })).rejects.toThrow(/unloaded/);
  });

  it('loads with the KV cache type from Settings: q8_0 takes about half the bytes per cell of f16', async () => {
    const f16 = (await slot.current!.request('state', {})).kv.bytesPerCell;
    writeSettings(db, { kvType: 'q8_0' });
    await loadRegisteredModel(db, slot, 'tiny');
    const q8 = (await slot.current!.request('state', {})).kv.bytesPerCell;
    expect(q8 / f16).toBeCloseTo(34 / 64, 2);                                    // q8_0: 34 bytes per 32 values, f16: 64
    writeSettings(db, { kvType: 'f16' });
  });

  it('unload frees the engine', async () => {
    const host = slot.current!;
    slot.unload();
    expect(slot.status()).toEqual({ state: 'empty' });
    expect(slot.current).toBeUndefined();
    await expect(host.request('tokenize', { text: 'x' })).rejects.toThrow(/unloaded/);
  });
});
