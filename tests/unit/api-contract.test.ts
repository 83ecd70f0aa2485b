// The API's gate, for both transports: argument validation (a bad argument is refused with the field named, and
// nothing reaches a service), the Electron sender check (a foreign frame is refused), and the result envelope.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../src-main/ipc/contract.js';
import { EngineSlot, childEngineConnection } from '../../src-main/services/engine-host/index.js';
import { isTrustedSender } from '../../src-main/ipc/trusted-sender.js';
import { ValidationError, v } from '../../src-main/ipc/validate.js';
import { openDatabase } from '../../src-main/store/database.js';

const dir = mkdtempSync(join(tmpdir(), 'quire-api-'));
const db = openDatabase(join(dir, 'quire.db'));
const ctx = { db, dataDir: dir, engines: new EngineSlot(() => childEngineConnection()), emit: () => undefined, signal: new AbortController().signal };
afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('validation', () => {
  const check = v.object({ name: v.string({ min: 1, max: 5 }), n: v.optional(v.integer({ min: 1, max: 3 })), tags: v.optional(v.array(v.literal('a', 'b'), { max: 2 })) });
  it('returns the value when it is right, without undefined fields', () => {
    expect(check({ name: 'ok', tags: ['a'] }, '')).toEqual({ name: 'ok', tags: ['a'] });
  });
  it.each([
    [{ name: '' }, /name: expected 1–5 characters/],
    [{ name: 'toolongname' }, /name: expected 1–5 characters, got 11/],
    [{ name: 5 }, /name: expected a string, got number/],
    [{ name: 'a\u0000' }, /contains a NUL/],
    [{ name: 'a', n: 1.5 }, /n: expected a whole number/],
    [{ name: 'a', n: 9 }, /n: expected 1–3, got 9/],
    [{ name: 'a', tags: ['c'] }, /tags\[0\]: expected one of a, b/],
    [{ name: 'a', tags: ['a', 'b', 'a'] }, /tags: expected 0–2 items/],
    [{ name: 'a', extra: 1 }, /extra: is not an accepted field/],
    [JSON.parse('{"name":"a","__proto__":{"x":1}}'), /__proto__: is not an accepted field/],
    [[], /expected an object, got an array/],
    [null, /expected an object, got null/],
  ])('refuses %j', (value, message) => {
    expect(() => check(value, '')).toThrow(ValidationError);
    expect(() => check(value, '')).toThrow(message);
  });
});

describe('dispatch', () => {
  it('answers a good call with {ok: true, value}', async () => {
    expect(await dispatch('library.list', {}, ctx)).toEqual({ ok: true, value: [] });
  });
  it('refuses an unknown method, a bad argument, and a prototype key, before any service runs', async () => {
    expect(await dispatch('constructor', {}, ctx)).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
    expect(await dispatch('toString', {}, ctx)).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
    expect(await dispatch('library.search', { query: 42 }, ctx)).toEqual({ ok: false, error: { code: 'invalid-argument', message: 'query: expected a string, got number' } });
    expect(await dispatch('document.pages', { documentId: '../../etc' }, ctx)).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    expect(await dispatch('library.add', { paths: [] }, ctx)).toMatchObject({ ok: false, error: { code: 'invalid-argument', message: /paths: expected 1–1000 items/ } });
  });
  it('turns a service error into an envelope with its name, and a missing model into a clear one', async () => {
    expect(await dispatch('document.pages', { documentId: 'abc123' }, ctx)).toMatchObject({ ok: false, error: { code: 'DocumentNotFoundError' } });
    expect(await dispatch('chat.ask', { documentId: 'abc123', question: 'hi' }, ctx)).toMatchObject({ ok: false, error: { code: 'NotReadyError', message: /no model is loaded/ } });
  });
});

describe('settings over the API', () => {
  it('reads the defaults, saves a change, and refuses a bad value or an unknown setting with nothing saved', async () => {
    expect(await dispatch('settings.get', {}, ctx)).toMatchObject({ ok: true, value: { contextSize: 8192, threads: 0, kvType: 'f16', temperature: 1, topK: 64, topP: 0.95, seed: null, offline: true, snapshotCacheMb: 2048 } });
    expect(await dispatch('settings.set', { kvType: 'q4_0' }, ctx)).toMatchObject({ ok: false, error: { message: /kvType: expected one of f16, q8_0/ } });
    expect(await dispatch('settings.set', { contextSize: 4096, seed: 42, offline: false }, ctx)).toMatchObject({ ok: true, value: { contextSize: 4096, seed: 42, offline: false } });
    expect(await dispatch('settings.set', { seed: null }, ctx)).toMatchObject({ ok: true, value: { seed: null, contextSize: 4096 } });
    expect(await dispatch('settings.set', { contextSize: 100, threads: 2 }, ctx)).toMatchObject({ ok: false, error: { code: 'invalid-argument', message: /contextSize: expected 512–131072/ } });
    expect(await dispatch('settings.set', { model: 'x' }, ctx)).toMatchObject({ ok: false, error: { message: /model: is not an accepted field/ } });
    expect(await dispatch('settings.get', {}, ctx)).toMatchObject({ ok: true, value: { threads: 0, contextSize: 4096 } });
    // A row written by some other version with a value this one cannot use reads as the default.
    db.prepare("INSERT OR REPLACE INTO settings (key, value) VALUES ('topK', '\"lots\"'), ('retired', '1')").run();
    expect(await dispatch('settings.get', {}, ctx)).toMatchObject({ ok: true, value: { topK: 64 } });
    expect(await dispatch('settings.set', { offline: true }, ctx)).toMatchObject({ ok: true });
  });
  it('reports and clears the disk taken by saved document states', async () => {
    expect(await dispatch('settings.storage', {}, ctx)).toEqual({ ok: true, value: { snapshots: { count: 0, bytes: 0 } } });
    expect(await dispatch('settings.clearSnapshots', {}, ctx)).toEqual({ ok: true, value: { cleared: 0 } });
  });

  it('refuses a download while offline, before any network request', async () => {
    const r = await dispatch('models.download', { url: 'http://127.0.0.1:9/model.gguf', sha256: 'a'.repeat(64) }, ctx);
    expect(r).toEqual({ ok: false, error: { code: 'OfflineError', message: expect.stringMatching(/offline switch off in Settings/) } });
  });
  it('checks model, region and download arguments', async () => {
    expect(await dispatch('models.load', { name: 'nothing-here' }, ctx)).toMatchObject({ ok: false, error: { code: 'ModelRegistryError', message: /no model named "nothing-here"/ } });
    expect(await dispatch('models.status', {}, ctx)).toEqual({ ok: true, value: { state: 'empty' } });
    expect(await dispatch('chat.ask', { documentId: 'abc', question: 'q', region: { pageNumber: 1, box: [1, 2, 3] } }, ctx))
      .toMatchObject({ ok: false, error: { code: 'invalid-argument', message: /region.box: expected 4–4 items/ } });
    expect(await dispatch('models.download', { url: 'file:///etc/passwd', sha256: 'a'.repeat(64) }, ctx)).toMatchObject({ ok: false, error: { code: 'invalid-argument', message: /^url:/ } });
    expect(await dispatch('models.download', { url: 'https://x.example/m.gguf', sha256: 'xyz' }, ctx)).toMatchObject({ ok: false, error: { code: 'invalid-argument', message: /^sha256:/ } });
  });
});

describe('Electron sender check', () => {
  it('accepts only the app:// main frame', () => {
    expect(isTrustedSender({ frameUrl: 'app://quire/index.html', isMainFrame: true })).toBe(true);
    expect(isTrustedSender({ frameUrl: 'app://quire/index.html', isMainFrame: false })).toBe(false);
    expect(isTrustedSender({ frameUrl: 'file:///home/me/evil.html', isMainFrame: true })).toBe(false);
    expect(isTrustedSender({ frameUrl: 'https://example.com/', isMainFrame: true })).toBe(false);
    expect(isTrustedSender({ frameUrl: 'app://other/index.html', isMainFrame: true })).toBe(false);
    expect(isTrustedSender({ frameUrl: undefined, isMainFrame: true })).toBe(false);
    expect(isTrustedSender({ frameUrl: 'not a url', isMainFrame: true })).toBe(false);
  });
});
