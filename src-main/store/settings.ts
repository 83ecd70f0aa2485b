// The user's settings (migration 008): what the app uses where a call does not say — the context size and threads a
// model is loaded with, the sampling of answers, and the offline switch that keeps Quire off the network. Stored
// per key as JSON; anything missing or no longer valid reads as its default, so a bad row never stops the app.
import type { Db } from './database.js';

export interface Settings {
  /** Tokens of context a model is loaded with (the KV cache grows with it). */
  contextSize: number;
  /** Compute threads; 0 = as many as the machine has cores. */
  threads: number;
  /** How the KV cache stores keys and values: f16 (as llama.cpp's default), or q8_0 at about half the memory. */
  kvType: 'f16' | 'q8_0';
  temperature: number;
  topK: number;
  topP: number;
  /** A fixed sampling seed makes answers repeatable; null = a new one each time. */
  seed: number | null;
  /** On: no network at all (model downloads are refused). Off: the user may start a download. */
  offline: boolean;
  /** Disk kept for saved document states (prompt snapshots), in MiB; the least recently used go first. */
  snapshotCacheMb: number;
  /** The model loaded when the app starts (the last one the user loaded). */
  model: string | null;
}

// Gemma 3's recommended sampling (temperature 1, top-k 64, top-p 0.95); offline until the user says otherwise.
export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze({
  contextSize: 8192, threads: 0, kvType: 'f16', temperature: 1, topK: 64, topP: 0.95, seed: null, offline: true, snapshotCacheMb: 2048, model: null,
});

/** Each setting's check: the value as stored, or undefined if it is not a valid value for it. */
export const SETTING_CHECKS: { [K in keyof Settings]: (value: unknown) => Settings[K] | undefined } = {
  contextSize: (x) => (Number.isInteger(x) && (x as number) >= 512 && (x as number) <= 131_072 ? (x as number) : undefined),
  threads: (x) => (Number.isInteger(x) && (x as number) >= 0 && (x as number) <= 256 ? (x as number) : undefined),
  kvType: (x) => (x === 'f16' || x === 'q8_0' ? x : undefined),
  temperature: (x) => (typeof x === 'number' && x >= 0 && x <= 5 ? x : undefined),
  topK: (x) => (Number.isInteger(x) && (x as number) >= 0 && (x as number) <= 1000 ? (x as number) : undefined),
  topP: (x) => (typeof x === 'number' && x > 0 && x <= 1 ? x : undefined),
  seed: (x) => (x === null || (Number.isInteger(x) && (x as number) >= 0 && (x as number) <= 2 ** 31) ? (x as number | null) : undefined),
  offline: (x) => (typeof x === 'boolean' ? x : undefined),
  snapshotCacheMb: (x) => (Number.isInteger(x) && (x as number) >= 0 && (x as number) <= 1 << 20 ? (x as number) : undefined),
  model: (x) => (x === null || (typeof x === 'string' && x.length > 0 && x.length <= 100) ? (x as string | null) : undefined),
};

const isSettingKey = (key: string): key is keyof Settings => Object.hasOwn(SETTING_CHECKS, key);

export function readSettings(db: Db): Settings {
  const settings: Settings = { ...DEFAULT_SETTINGS };
  for (const row of db.prepare('SELECT key, value FROM settings').all() as { key: string; value: string }[]) {
    if (!isSettingKey(row.key)) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(row.value);
    } catch {
      continue;
    }
    const value = SETTING_CHECKS[row.key](parsed);
    if (value !== undefined) (settings as Record<keyof Settings, unknown>)[row.key] = value;
  }
  return settings;
}

export class InvalidSettingError extends Error {
  override readonly name = 'InvalidSettingError';
}

/** Saves the given settings (all or nothing) and returns the whole set as it now is. */
export function writeSettings(db: Db, changes: Partial<Record<string, unknown>>): Settings {
  const rows: [string, string][] = [];
  for (const [key, value] of Object.entries(changes)) {
    if (!isSettingKey(key)) throw new InvalidSettingError(`there is no setting "${key.slice(0, 40)}"`);
    if (SETTING_CHECKS[key](value) === undefined) throw new InvalidSettingError(`${JSON.stringify(value)?.slice(0, 40)} is not a valid ${key}`);
    rows.push([key, JSON.stringify(value)]);
  }
  const upsert = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
  db.transaction(() => rows.forEach(([k, v]) => upsert.run(k, v)))();
  return readSettings(db);
}
