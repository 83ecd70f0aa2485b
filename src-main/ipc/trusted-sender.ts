// Which renderer frames may call the API over Electron IPC: only the app's own top-level page, loaded from the
// app:// scheme (never file://, http(s)://, or a frame inside the page). Kept free of Electron imports so it is
// tested on machines without Electron.
export const APP_ORIGIN = 'app://quire';

export interface SenderInfo {
  /** event.senderFrame?.url */
  frameUrl: string | undefined;
  /** Whether the sending frame is the window's main frame (event.senderFrame === event.sender.mainFrame). */
  isMainFrame: boolean;
}

export function isTrustedSender(sender: SenderInfo): boolean {
  if (!sender.isMainFrame || !sender.frameUrl) return false;
  try {
    const url = new URL(sender.frameUrl);
    return url.protocol === 'app:' && url.host === 'quire';
  } catch {
    return false;
  }
}
