// The one API the renderer may call, for both transports (Electron IPC and `quire serve`): every method's argument
// checker and its handler over the services (grouped in ./methods). dispatch() validates, runs, and always answers
// with a result envelope — {ok: true, value} or {ok: false, error: {code, message}} — so nothing thrown inside leaks
// as a stack trace.
import type { ApiContext, Method } from './api-context.js';
import { batchMethods } from './methods/batch.js';
import { chatMethods } from './methods/chat.js';
import { libraryMethods } from './methods/library.js';
import { modelMethods } from './methods/models.js';
import { settingsMethods } from './methods/settings.js';
import { type Check, ValidationError } from './validate.js';

export type { ApiContext } from './api-context.js';

export type Envelope<T = unknown> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };

export const api = {
  ...libraryMethods, ...chatMethods, ...batchMethods, ...modelMethods, ...settingsMethods,
} satisfies Record<string, { args: Check<unknown>; run: (args: never, ctx: ApiContext) => unknown }>;

export type ApiMethod = keyof typeof api;

export function isApiMethod(name: unknown): name is ApiMethod {
  return typeof name === 'string' && Object.hasOwn(api, name);
}

/** Validates and runs one call; every outcome is an envelope. */
export async function dispatch(name: unknown, args: unknown, ctx: ApiContext): Promise<Envelope> {
  if (!isApiMethod(name)) return { ok: false, error: { code: 'unknown-method', message: `there is no method ${String(name).slice(0, 80)}` } };
  const m = api[name] as Method<unknown>;
  let checked: unknown;
  try {
    checked = m.args(args ?? {}, '');
  } catch (error) {
    return { ok: false, error: { code: 'invalid-argument', message: (error as ValidationError).message } };
  }
  try {
    return { ok: true, value: await m.run(checked, ctx) ?? null };
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    return { ok: false, error: { code: e.name === 'AbortError' ? 'cancelled' : e.name, message: e.message } };
  }
}
