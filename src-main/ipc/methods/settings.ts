// Settings: read them all, or change some (all or nothing; an invalid value is refused with its name).
import { readSettings, writeSettings } from '../../store/settings.js';
import { method, noArgs } from '../api-context.js';
import { v } from '../validate.js';

const nullable = <T>(check: (value: unknown, path: string) => T) => (value: unknown, path: string): T | null => (value === null ? null : check(value, path));

export const settingsMethods = {
  'settings.get': method(noArgs, (_a, { db }) => readSettings(db)),
  'settings.set': method(v.object({
    contextSize: v.optional(v.integer({ min: 512, max: 131_072 })),
    threads: v.optional(v.integer({ min: 0, max: 256 })),
    temperature: v.optional(v.number({ min: 0, max: 5 })),
    topK: v.optional(v.integer({ min: 0, max: 1000 })),
    topP: v.optional(v.number({ min: 0.01, max: 1 })),
    seed: v.optional(nullable(v.integer({ min: 0, max: 2 ** 31 }))),
    offline: v.optional(v.boolean()),
  }), (changes, { db }) => writeSettings(db, changes)),
};
