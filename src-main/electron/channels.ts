// The IPC channel names shared by the main process and the preload script (nothing else crosses).
export const CALL_CHANNEL = 'quire:call';
export const CANCEL_CHANNEL = 'quire:cancel';
export const EVENT_CHANNEL = 'quire:event';
