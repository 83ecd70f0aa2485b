// The API's gate, for both transports: argument validation (a bad argument is refused with the field named, and
// nothing reaches a service), the Electron sender check (a foreign frame is refused), and the result envelope.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../src-main/ipc/contract.js';
import { isTrustedSender } from '../../src-main/ipc/trusted-sender.js';
import { ValidationError, v } from '../../src-main/ipc/validate.js';
import { openDatabase } from '../../src-main/store/database.js';

const dir = mkdtempSync(join(tmpdir(), 'quire-api-'));
const db = openDatabase(join(dir, 'quire.db'));
const ctx = { db, engine: () => undefined, emit: () => undefined, signal: new AbortController().signal };
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
