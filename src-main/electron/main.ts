// The desktop app's main process: one instance, one window that is sandboxed and isolated (no Node in the page,
// only the typed preload API), the renderer loaded from the app:// scheme with a strict CSP, every permission and
// every new window denied, navigation pinned to app://, and one IPC channel whose calls are accepted only from the
// app's own main frame and validated by the API contract before any service runs. The engine runs in a
// utilityProcess (see utility-connection.ts). Built to out/main/main.mjs by scripts/build-electron.mjs.
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BrowserWindow, type IpcMainEvent, type IpcMainInvokeEvent, app, ipcMain, net, protocol, session, shell } from 'electron';
import { type ApiContext, dispatch } from '../ipc/contract.js';
import { RENDERER_CSP, rendererFile } from '../ipc/renderer-files.js';
import { findResource } from '../ipc/resources.js';
import { isTrustedSender } from '../ipc/trusted-sender.js';
import { resolveDataDir, DATABASE_FILE } from '../cli/data-dir.js';
import { openDatabase } from '../store/database.js';
import { EngineSlot } from '../services/engine-host/index.js';
import { loadRegisteredModel } from '../services/models/load-model.js';
import { readSettings } from '../store/settings.js';
import { CALL_CHANNEL, EVENT_CHANNEL, CANCEL_CHANNEL } from './channels.js';
import { utilityEngineConnection } from './utility-connection.js';

const HERE = dirname(fileURLToPath(import.meta.url));   // out/main (an ES module: Electron ≥ 28 loads it)
const RENDERER_DIR = join(HERE, '..', 'renderer');

protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

if (!app.requestSingleInstanceLock()) app.quit();

let window: BrowserWindow | undefined;
// The engine runs in a utility process from the bundled engine-process.mjs next to this file.
const engines = new EngineSlot(() => utilityEngineConnection(join(HERE, 'engine-process.mjs')));

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280, height: 840, show: false,
    webPreferences: {
      preload: join(HERE, 'preload.cjs'), contextIsolation: true, sandbox: true, nodeIntegration: false,
      webSecurity: true, spellcheck: false,
    },
  });
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);   // links open in the browser, never in the app
    return { action: 'deny' };
  });
  win.webContents.on('will-navigate', (event, url) => {
    if (!url.startsWith('app://quire/')) event.preventDefault();
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL('app://quire/index.html');
  return win;
}

void app.whenReady().then(() => {
  const dataDir = resolveDataDir(undefined);
  const db = openDatabase(join(dataDir, DATABASE_FILE));
  // The model the user loaded last comes back in the background (Models shows it loading; the library works meanwhile).
  const last = readSettings(db).model;
  if (last) void loadRegisteredModel(db, engines, last).catch((error: Error) => console.error(`could not load ${last}: ${error.message}`));
  // app://quire/… serves the renderer build and nothing outside it, plus the PDFs and figure crops the page shows.
  protocol.handle('app', (request) => {
    const url = new URL(request.url);
    const resource = url.host === 'quire' ? findResource(db, url.pathname) : undefined;
    if (resource?.kind === 'missing') return new Response(resource.message, { status: 404 });
    if (resource?.kind === 'png') return new Response(new Uint8Array(resource.bytes), { headers: { 'Content-Type': 'image/png' } });
    if (resource?.kind === 'pdf') return net.fetch(pathToFileURL(resource.path).href).then((r) => new Response(r.body, { headers: { 'Content-Type': 'application/pdf' } }));
    const file = url.host === 'quire' ? rendererFile(RENDERER_DIR, url.pathname) : undefined;
    if (!file) return new Response('forbidden', { status: 403 });
    return net.fetch(pathToFileURL(file).href).then((r) => new Response(r.body, { status: r.status, headers: { 'Content-Type': r.headers.get('Content-Type') ?? 'application/octet-stream', 'Content-Security-Policy': RENDERER_CSP } }));
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  // Offline by default: the renderer may reach app:// only; model downloads go through the main process.
  session.defaultSession.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !/^(app|devtools|data|blob):/.test(details.url) }));

  const fromAppWindow = (event: IpcMainEvent | IpcMainInvokeEvent): boolean =>
    isTrustedSender({ frameUrl: event.senderFrame?.url, isMainFrame: event.senderFrame === event.sender.mainFrame });
  const running = new Map<string, AbortController>();
  ipcMain.handle(CALL_CHANNEL, async (event, callId: unknown, method: unknown, args: unknown) => {
    if (!fromAppWindow(event)) {
      return { ok: false, error: { code: 'forbidden', message: 'calls are accepted only from the app\'s own window' } };
    }
    if (typeof callId !== 'string' || callId.length > 64) return { ok: false, error: { code: 'invalid-argument', message: 'call id' } };
    const abort = new AbortController();
    running.set(callId, abort);
    const ctx: ApiContext = {
      db, dataDir, engines, signal: abort.signal,
      emit: (e) => event.sender.send(EVENT_CHANNEL, callId, e),
    };
    try {
      return await dispatch(method, args, ctx);
    } finally {
      running.delete(callId);
    }
  });
  ipcMain.on(CANCEL_CHANNEL, (event, callId: unknown) => {
    if (!fromAppWindow(event)) return;
    if (typeof callId === 'string') running.get(callId)?.abort();
  });
  window = createWindow();
});

app.on('second-instance', () => {
  if (window?.isMinimized()) window.restore();
  window?.focus();
});
app.on('window-all-closed', () => {
  engines.close();
  app.quit();
});
