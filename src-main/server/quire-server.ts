// `quire serve`: the app's API over HTTP and WebSocket on 127.0.0.1 only, serving the renderer build, for any
// browser (and the end-to-end tests). A random token is made per launch; nothing is answered without it — the page
// is opened once with ?token=…, which sets an HttpOnly SameSite=Strict cookie; API calls carry the cookie or an
// x-quire-token header. Host and Origin must be this server (no DNS rebinding, no other site's page calling in).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, resolve } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { type ApiContext, dispatch } from '../ipc/contract.js';
import { RENDERER_CSP, rendererFile } from '../ipc/renderer-files.js';
import { findResource } from '../ipc/resources.js';
import { UploadError, receiveUpload } from './upload.js';

export interface ServeOptions {
  port?: number;
  /** The renderer build to serve (index.html and its assets). */
  rendererDir?: string;
  token?: string;
  context: Omit<ApiContext, 'emit' | 'signal'>;
}

export interface RunningServer {
  url: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.json': 'application/json',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.woff2': 'font/woff2', '.mjs': 'text/javascript; charset=utf-8', '.wasm': 'application/wasm',
};
const MAX_BODY = 1 << 20;

function sameToken(a: string | undefined, b: string): boolean {
  if (!a || a.length !== b.length) return false;
  return timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...rest] = part.trim().split('=');
    if (k === name) return rest.join('=');
  }
  return undefined;
}

export function startServer(options: ServeOptions): Promise<RunningServer> {
  const token = options.token ?? randomBytes(32).toString('hex');
  let port = 0;
  const hostOk = (req: IncomingMessage): boolean => req.headers.host === `127.0.0.1:${port}` || req.headers.host === `localhost:${port}`;
  const originOk = (req: IncomingMessage): boolean => !req.headers.origin || req.headers.origin === `http://127.0.0.1:${port}` || req.headers.origin === `http://localhost:${port}`;
  const authorized = (req: IncomingMessage, url: URL): boolean =>
    sameToken(req.headers['x-quire-token'] as string | undefined, token) || sameToken(cookie(req, 'quire_token'), token) || sameToken(url.searchParams.get('token') ?? undefined, token);

  const deny = (res: ServerResponse, status: number, message: string): void => {
    res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' }).end(message);
  };

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (!hostOk(req) || !originOk(req)) return deny(res, 403, 'forbidden: wrong host or origin');
    if (!authorized(req, url)) return deny(res, 401, 'this Quire server needs the token printed when it started (open the URL it printed)');
    const headers = { 'Content-Security-Policy': RENDERER_CSP, 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer', 'Cache-Control': 'no-store' };
    if (url.searchParams.has('token')) {
      res.setHeader('Set-Cookie', `quire_token=${token}; HttpOnly; SameSite=Strict; Path=/`);
    }
    if (url.pathname === '/api/call' && req.method === 'POST') {
      let body = '';
      let tooLarge = false;
      req.on('data', (c: Buffer) => {
        if (tooLarge) return;                                                    // keep reading, stop keeping
        body += c.toString();
        if (body.length > MAX_BODY) [tooLarge, body] = [true, ''];
      });
      req.on('end', () => {
        if (tooLarge) return deny(res, 413, 'request too large');
        let call: { method?: unknown; args?: unknown };
        try {
          call = JSON.parse(body) as typeof call;
        } catch {
          return deny(res, 400, 'the body must be JSON: {"method", "args"}');
        }
        const abort = new AbortController();
        req.on('close', () => res.writableEnded || abort.abort());
        void dispatch(call.method, call.args, { ...options.context, emit: () => undefined, signal: abort.signal }).then((envelope) => {
          res.writeHead(200, { ...headers, 'Content-Type': 'application/json' }).end(JSON.stringify(envelope));
        });
      });
      return;
    }
    if (url.pathname === '/api/upload' && req.method === 'POST') {
      receiveUpload(req, options.context.dataDir, url.searchParams.get('name') ?? 'document.pdf').then(
        (path) => res.writeHead(200, { ...headers, 'Content-Type': 'application/json' }).end(JSON.stringify({ path })),
        (error: Error) => deny(res, error instanceof UploadError ? error.status : 500, error.message));
      return;
    }
    if (req.method !== 'GET') return deny(res, 405, 'method not allowed');
    const resource = findResource(options.context.db, url.pathname);
    if (resource?.kind === 'missing') return deny(res, 404, resource.message);
    if (resource?.kind === 'png') {
      res.writeHead(200, { ...headers, 'Content-Type': 'image/png' }).end(resource.bytes);
      return;
    }
    if (resource?.kind === 'pdf') {
      res.writeHead(200, { ...headers, 'Content-Type': 'application/pdf' });
      createReadStream(resource.path).pipe(res);
      return;
    }
    if (!options.rendererDir) return deny(res, 404, 'no renderer build to serve');
    const file = rendererFile(options.rendererDir, url.pathname);
    if (!file) return deny(res, 403, 'forbidden');
    const target = existsSync(file) && statSync(file).isFile() ? file : join(resolve(options.rendererDir), 'index.html');
    if (!existsSync(target)) return deny(res, 404, 'not found');
    res.writeHead(200, { ...headers, 'Content-Type': MIME[extname(target)] ?? 'application/octet-stream' });
    createReadStream(target).pipe(res);
  });

  // The WebSocket: calls that stream ({id, method, args} → {id, event}… then {id, result}) and their cancels ({id, cancel}).
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_BODY });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/api/ws' || !hostOk(req) || !originOk(req) || !authorized(req, url)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => serveSocket(ws, options.context));
  });

  return new Promise((resolveStart, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      const address = server.address();
      port = typeof address === 'object' && address ? address.port : 0;
      resolveStart({
        url: `http://127.0.0.1:${port}/?token=${token}`, token, port,
        close: () => new Promise<void>((done) => {
          for (const client of wss.clients) client.terminate();
          wss.close();
          server.close(() => done());
          server.closeAllConnections();
        }),
      });
    });
  });
}

function serveSocket(ws: WebSocket, context: ServeOptions['context']): void {
  const running = new Map<unknown, AbortController>();
  ws.on('message', (data) => {
    let msg: { id?: unknown; method?: unknown; args?: unknown; cancel?: unknown };
    try {
      msg = JSON.parse(data.toString()) as typeof msg;
    } catch {
      ws.send(JSON.stringify({ id: null, result: { ok: false, error: { code: 'bad-message', message: 'messages are JSON: {id, method, args}' } } }));
      return;
    }
    if (typeof msg.id !== 'number' && typeof msg.id !== 'string') return;
    if (msg.cancel) {
      running.get(msg.id)?.abort();
      return;
    }
    const abort = new AbortController();
    running.set(msg.id, abort);
    const emit = (event: object): void => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id: msg.id, event }));
    };
    void dispatch(msg.method, msg.args, { ...context, emit, signal: abort.signal }).then((result) => {
      running.delete(msg.id);
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id: msg.id, result }));
    });
  });
  ws.on('close', () => {
    for (const a of running.values()) a.abort();
  });
}
