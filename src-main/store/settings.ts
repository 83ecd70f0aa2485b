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

/** What a setting may hold: checked here when stored or read back, and by the API (ipc/methods/settings.ts). */
export type SettingRule =
  | { type: 'integer' | 'number'; min: number; max: number; nullable?: true }
  | { type: 'boolean' }
  | { type: 'one-of'; options: readonly string[] }
  | { type: 'string'; min: number; max: number; nullable?: true };

export const SETTING_RULES: { readonly [K in keyof Settings]: SettingRule } = {
  contextSize: { type: 'integer', min: 512, max: 131_072 },
  threads: { type: 'integer', min: 0, max: 256 },
  kvType: { type: 'one-of', options: ['f16', 'q8_0'] },
  temperature: { type: 'number', min: 0, max: 5 },
  topK: { type: 'integer', min: 0, max: 1000 },
  topP: { type: 'number', min: 0.01, max: 1 },
  seed: { type: 'integer', min: 0, max: 2 ** 31, nullable: true },
  offline: { type: 'boolean' },
  snapshotCacheMb: { type: 'integer', min: 0, max: 1 << 20 },
  model: { type: 'string', min: 1, max: 100, nullable: true },
};

function fits(rule: SettingRule, x: unknown): boolean {
  if (x === null) return 'nullable' in rule && rule.nullable === true;
  switch (rule.type) {
    case 'integer': return Number.isInteger(x) && (x as number) >= rule.min && (x as number) <= rule.max;
    case 'number': return typeof x === 'number' && x >= rule.min && x <= rule.max;
    case 'boolean': return typeof x === 'boolean';
    case 'one-of': return rule.options.includes(x as string);
    case 'string': return typeof x === 'string' && x.length >= rule.min && x.length <= rule.max;
  }
}

const isSettingKey = (key: string): key is keyof Settings => Object.hasOwn(SETTING_RULES, key);

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
    if (fits(SETTING_RULES[row.key], parsed)) (settings as Record<keyof Settings, unknown>)[row.key] = parsed;
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
    if (!fits(SETTING_RULES[key], value)) throw new InvalidSettingError(`${JSON.stringify(value)?.slice(0, 40)} is not a valid ${key}`);
    rows.push([key, JSON.stringify(value)]);
  }
  const upsert = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
  db.transaction(() => rows.forEach(([k, v]) => upsert.run(k, v)))();
  return readSettings(db);
}
