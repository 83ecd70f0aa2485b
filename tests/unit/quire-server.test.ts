// `quire serve`'s gate: nothing without the per-launch token (page, API, WebSocket), only on its own host and
// origin, the cookie set HttpOnly/SameSite=Strict, files only from the renderer folder, and calls over the
// WebSocket answered with events and an envelope.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { rendererFile } from '../../src-main/ipc/renderer-files.js';
import { type RunningServer, startServer } from '../../src-main/server/quire-server.js';
import { EngineSlot, childEngineConnection } from '../../src-main/services/engine-host/index.js';
import { openDatabase } from '../../src-main/store/database.js';

const dir = mkdtempSync(join(tmpdir(), 'quire-serve-'));
const db = openDatabase(join(dir, 'quire.db'));
let server: RunningServer;

beforeAll(async () => {
  mkdirSync(join(dir, 'renderer'));
  writeFileSync(join(dir, 'renderer', 'index.html'), '<!doctype html><title>Quire</title>');
  writeFileSync(join(dir, 'secret.txt'), 'outside the renderer');
  mkdirSync(join(dir, 'renderer-other'));
  writeFileSync(join(dir, 'renderer-other', 'page.html'), 'a sibling folder');
  server = await startServer({ rendererDir: join(dir, 'renderer'), context: { db, dataDir: dir, engines: new EngineSlot(() => childEngineConnection()) } });
});
afterAll(async () => {
  await server.close();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

function get(path: string, headers: Record<string, string> = {}, method = 'GET', body?: string): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, method, headers: { Host: `127.0.0.1:${server.port}`, ...headers } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('quire serve', () => {
  it('listens on 127.0.0.1 only and prints a URL with a 256-bit token', () => {
    expect(server.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/\\?token=[0-9a-f]{64}$`));
  });

  it('answers nothing without the token, or with a wrong one', async () => {
    expect((await get('/')).status).toBe(401);
    expect((await get(`/?token=${'0'.repeat(64)}`)).status).toBe(401);
    expect((await get('/api/call', { 'Content-Type': 'application/json' }, 'POST', '{"method":"library.list"}')).status).toBe(401);
    expect((await get('/api/call', { 'x-quire-token': 'short' }, 'POST', '{"method":"library.list"}')).status).toBe(401);
  });

  it('serves the page with the token, sets the cookie HttpOnly and SameSite=Strict, with a strict CSP', async () => {
    const page = await get(`/?token=${server.token}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Quire</title>');
    expect(String(page.headers['set-cookie'])).toMatch(/quire_token=[0-9a-f]{64}; HttpOnly; SameSite=Strict/);
    expect(String(page.headers['content-security-policy'])).toMatch(/default-src 'self'; script-src 'self'/);
    expect((await get('/', { Cookie: `quire_token=${server.token}` })).status).toBe(200);
  });

  it('refuses another host (DNS rebinding) or another origin even with the token', async () => {
    expect((await get(`/?token=${server.token}`, { Host: 'evil.example:80' })).status).toBe(403);
    expect((await get('/api/call', { 'x-quire-token': server.token, Origin: 'http://evil.example' }, 'POST', '{"method":"library.list"}')).status).toBe(403);
  });

  it('serves files from the renderer folder only', async () => {
    const escape = await get(`/..%2fsecret.txt?token=${server.token}`);
    expect(escape.body).not.toContain('outside the renderer');
    // A sibling folder whose name starts like the renderer's is outside it too.
    expect((await get(`/..%2frenderer-other%2fpage.html?token=${server.token}`)).body).not.toContain('sibling');
    // A malformed %-escape is refused, and the server keeps serving (it used to throw out of the request handler).
    expect((await get(`/%E0%A4%A?token=${server.token}`)).status).toBe(403);
    expect((await get(`/?token=${server.token}`)).status).toBe(200);
  });

  it('finds renderer files inside the folder only (the lookup quire serve and app:// share)', () => {
    const root = join(dir, 'renderer');
    expect(rendererFile(root, '/')).toBe(join(root, 'index.html'));
    expect(rendererFile(root, '/assets/a%20b.js')).toBe(join(root, 'assets', 'a b.js'));
    expect(rendererFile(root, '/..%2fsecret.txt')).toBeUndefined();
    expect(rendererFile(root, '/..%2frenderer-other%2fpage.html')).toBeUndefined();
    expect(rendererFile(root, '/%E0%A4%A')).toBeUndefined();
  });

  it('keeps a dropped file\'s bytes in the data folder (token and origin checked), once per content, with a safe name', async () => {
    const auth = { 'x-quire-token': server.token };
    expect((await get('/api/upload?name=a.pdf', {}, 'POST', '%PDF-1.4 x')).status).toBe(401);
    expect((await get('/api/upload?name=a.pdf', { ...auth, Origin: 'https://evil.example' }, 'POST', '%PDF-1.4 x')).status).toBe(403);
    const first = await get(`/api/upload?name=${encodeURIComponent('../../etc/My report?.pdf')}`, auth, 'POST', '%PDF-1.4 same bytes');
    expect(first.status).toBe(200);
    const { path } = JSON.parse(first.body) as { path: string };
    expect(path.startsWith(join(dir, 'imports') + '/')).toBe(true);
    expect(path).toMatch(/[0-9a-f]{12}-My report_\.pdf$/);
    expect(readFileSync(path, 'utf8')).toBe('%PDF-1.4 same bytes');
    const again = await get('/api/upload?name=other.pdf', auth, 'POST', '%PDF-1.4 same bytes');
    expect(JSON.parse(again.body)).toEqual({ path: path.replace(/-My report_\.pdf$/, '-other.pdf') });
    expect((await get('/api/upload?name=empty.pdf', auth, 'POST', '')).status).toBe(400);
    expect(readdirSync(join(dir, 'imports')).filter((f) => f.endsWith('.part'))).toEqual([]);   // nothing half-written left
  });

  it('runs API calls with the token: envelopes for good and bad arguments', async () => {
    const ok = await get('/api/call', { 'x-quire-token': server.token }, 'POST', '{"method":"library.list","args":{}}');
    expect(JSON.parse(ok.body)).toEqual({ ok: true, value: [] });
    const bad = await get('/api/call', { 'x-quire-token': server.token }, 'POST', '{"method":"library.search","args":{"query":""}}');
    expect(JSON.parse(bad.body)).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    expect((await get('/api/call', { 'x-quire-token': server.token }, 'POST', 'not json')).status).toBe(400);
  });

  it('the WebSocket needs the token too, and answers calls with envelopes', async () => {
    const refused = new WebSocket(`ws://127.0.0.1:${server.port}/api/ws`);
    await expect(new Promise((resolve, reject) => {
      refused.on('open', resolve);
      refused.on('error', reject);
    })).rejects.toThrow(/401/);
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api/ws?token=${server.token}`);
    await new Promise((resolve) => ws.on('open', resolve));
    const reply = new Promise<unknown>((resolve) => ws.on('message', (m) => resolve(JSON.parse(m.toString()))));
    ws.send(JSON.stringify({ id: 7, method: 'library.list', args: {} }));
    expect(await reply).toEqual({ id: 7, result: { ok: true, value: [] } });
    ws.close();
  });
});
