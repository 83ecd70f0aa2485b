// The only thing the page gets: window.quire.call(callId, method, args, onEvent) → envelope, cancel(callId) — the
// page names its calls so it can cancel them — and pathForFile(file), the path of a file dropped on the window (the
// page itself never sees paths). No Node, no ipcRenderer, no arbitrary channels (contextIsolation +
// sandbox; see main.ts).
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { CALL_CHANNEL, CANCEL_CHANNEL, EVENT_CHANNEL } from './channels.js';

const listeners = new Map<string, (event: unknown) => void>();
ipcRenderer.on(EVENT_CHANNEL, (_e, callId: string, event: unknown) => listeners.get(callId)?.(event));

contextBridge.exposeInMainWorld('quire', {
  async call(callId: string, method: string, args: unknown, onEvent?: (event: unknown) => void): Promise<unknown> {
    if (onEvent) listeners.set(callId, onEvent);
    try {
      return await ipcRenderer.invoke(CALL_CHANNEL, callId, method, args);
    } finally {
      listeners.delete(callId);
    }
  },
  cancel(callId: string): void {
    ipcRenderer.send(CANCEL_CHANNEL, callId);
  },
  pathForFile(file: File): string {
    return webUtils.getPathForFile(file);
  },
});
