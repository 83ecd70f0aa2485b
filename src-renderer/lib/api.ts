// The renderer's one way to the main process, for both transports: Electron's preload (window.quire) or `quire
// serve`'s WebSocket (the page was opened with the token, which set the cookie the socket sends). Every call
// resolves to the main process's envelope; events (tokens, progress) arrive through onEvent; stop() cancels.

export type Envelope<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };

export interface Call<T> {
  result: Promise<Envelope<T>>;
  stop(): void;
}

interface PreloadApi {
  call(callId: string, method: string, args: unknown, onEvent?: (event: unknown) => void): Promise<unknown>;
  cancel(callId: string): void;
  pathForFile(file: File): string;
}

declare global {
  interface Window {
    quire?: PreloadApi;
  }
}

let nextId = 0;
let socket: Promise<WebSocket> | undefined;
const pending = new Map<string, { resolve: (e: Envelope<unknown>) => void; onEvent?: (event: unknown) => void }>();

function connect(): Promise<WebSocket> {
  socket ??= new Promise((resolve, reject) => {
    const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/ws`);
    ws.onopen = () => resolve(ws);
    ws.onerror = () => reject(new Error('cannot reach Quire (is `quire serve` still running?)'));
    ws.onclose = () => {
      socket = undefined;
      for (const p of pending.values()) p.resolve({ ok: false, error: { code: 'disconnected', message: 'the connection to Quire closed' } });
      pending.clear();
    };
    ws.onmessage = (m) => {
      const msg = JSON.parse(String(m.data)) as { id: string; event?: unknown; result?: Envelope<unknown> };
      const p = pending.get(msg.id);
      if (!p) return;
      if (msg.result) {
        pending.delete(msg.id);
        p.resolve(msg.result);
      } else p.onEvent?.(msg.event);
    };
  });
  return socket;
}

export function call<T>(method: string, args: object = {}, onEvent?: (event: { type: string; [k: string]: unknown }) => void): Call<T> {
  const id = `r${++nextId}`;
  const handler = onEvent as ((event: unknown) => void) | undefined;
  if (window.quire) {
    const preload = window.quire;
    return { result: preload.call(id, method, args, handler) as Promise<Envelope<T>>, stop: () => preload.cancel(id) };
  }
  const result = new Promise<Envelope<T>>((resolve) => {
    pending.set(id, { resolve: resolve as (e: Envelope<unknown>) => void, ...(handler ? { onEvent: handler } : {}) });
    connect().then((ws) => ws.send(JSON.stringify({ id, method, args })),
      (error: Error) => resolve({ ok: false, error: { code: 'disconnected', message: error.message } }));
  });
  return { result, stop: () => void connect().then((ws) => ws.send(JSON.stringify({ id, cancel: true }))) };
}

/** The call's value, or an Error with the main process's message. */
export async function request<T>(method: string, args: object = {}): Promise<T> {
  const envelope = await call<T>(method, args).result;
  if (!envelope.ok) throw new Error(envelope.error.message);
  return envelope.value;
}

/** Where the PDF bytes of a document are (same origin; the cookie carries the token). */
export const documentFileUrl = (documentId: string): string => `/api/file/${encodeURIComponent(documentId)}`;

/**
 * The path of a file dropped on the page: Electron's preload knows it; a browser does not, so the file's bytes go to
 * `quire serve`, which keeps them in the data folder and answers with that path.
 */
export async function droppedFilePath(file: File): Promise<string> {
  if (window.quire) return window.quire.pathForFile(file);
  const response = await fetch(`/api/upload?name=${encodeURIComponent(file.name)}`, { method: 'POST', body: file, headers: { 'Content-Type': 'application/pdf' } });
  if (!response.ok) throw new Error(`${file.name}: ${await response.text()}`);
  return ((await response.json()) as { path: string }).path;
}
