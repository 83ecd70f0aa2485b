// Settings: read them all, or change some (all or nothing; an invalid value is refused with its name); and the disk
// the saved document states take, which the user can bound or clear.
import { clearSnapshots, evictSnapshots, snapshotUsage } from '../../store/prompt-snapshots.js';
import { readSettings, writeSettings } from '../../store/settings.js';
import { method, noArgs } from '../api-context.js';
import { v } from '../validate.js';

const nullable = <T>(check: (value: unknown, path: string) => T) => (value: unknown, path: string): T | null => (value === null ? null : check(value, path));

export const settingsMethods = {
  'settings.get': method(noArgs, (_a, { db }) => readSettings(db)),
  'settings.set': method(v.object({
    contextSize: v.optional(v.integer({ min: 512, max: 131_072 })),
    threads: v.optional(v.integer({ min: 0, max: 256 })),
    kvType: v.optional(v.literal('f16', 'q8_0')),
    temperature: v.optional(v.number({ min: 0, max: 5 })),
    topK: v.optional(v.integer({ min: 0, max: 1000 })),
    topP: v.optional(v.number({ min: 0.01, max: 1 })),
    seed: v.optional(nullable(v.integer({ min: 0, max: 2 ** 31 }))),
    offline: v.optional(v.boolean()),
    snapshotCacheMb: v.optional(v.integer({ min: 0, max: 1 << 20 })),
  }), (changes, { db }) => {
    const settings = writeSettings(db, changes);
    if (changes.snapshotCacheMb !== undefined) evictSnapshots(db, settings.snapshotCacheMb * 2 ** 20);   // a smaller bound applies now
    return settings;
  }),
  'settings.storage': method(noArgs, (_a, { db }) => ({ snapshots: snapshotUsage(db) })),
  'settings.clearSnapshots': method(noArgs, (_a, { db }) => ({ cleared: clearSnapshots(db) })),
};
