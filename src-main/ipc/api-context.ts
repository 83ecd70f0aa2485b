// What every API method is given (the store, the engine slot, a way to stream events, a cancel signal) and the
// small pieces the method modules share: how a method is declared, the common argument checks, and the error for
// a call that needs a loaded model.
import type { EngineHost, EngineSlot } from '../services/engine-host/index.js';
import type { Db } from '../store/database.js';
import { type Check, v } from './validate.js';

export interface ApiContext {
  db: Db;
  /** The data folder: downloaded models and files dropped into the app are kept under it. */
  dataDir: string;
  /** The loaded model, if any (Models loads and switches it). */
  engines: EngineSlot;
  /** Streams an event of this request to the caller (tokens, progress). */
  emit: (event: { type: string; [key: string]: unknown }) => void;
  signal: AbortSignal;
}

export interface Method<A> {
  args: Check<A>;
  run: (args: A, ctx: ApiContext) => unknown;
}

export const method = <A>(args: Check<A>, run: (args: A, ctx: ApiContext) => unknown): Method<A> => ({ args, run });

export const documentId = v.string({ min: 1, max: 64, pattern: /^[0-9a-f]+$/ });
export const path = v.string({ min: 1, max: 4096 });
export const modelName = v.string({ min: 1, max: 100 });
export const noArgs = v.object({});

export class NotReadyError extends Error {
  override readonly name = 'NotReadyError';
}

export function engineOf(ctx: ApiContext): EngineHost {
  const engine = ctx.engines.current;
  if (!engine?.loaded) throw new NotReadyError('no model is loaded: choose one in Models');
  return engine;
}
