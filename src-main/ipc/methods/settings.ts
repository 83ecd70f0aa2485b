// Settings: read them all, or change some (all or nothing; an invalid value is refused with its name); and the disk
// the saved document states take, which the user can bound or clear.
import { clearSnapshots, evictSnapshots, snapshotUsage } from '../../store/prompt-snapshots.js';
import { SETTING_RULES, type SettingRule, readSettings, writeSettings } from '../../store/settings.js';
import { method, noArgs } from '../api-context.js';
import { type Check, v } from '../validate.js';

const nullable = <T>(check: Check<T>): Check<T | null> => (value, path) => (value === null ? null : check(value, path));

/** The API's check of one setting, from the same rule the store keeps it by. */
function checkOf(rule: SettingRule): Check<unknown> {
  const check: Check<unknown> = rule.type === 'integer' ? v.integer(rule) : rule.type === 'number' ? v.number(rule) : rule.type === 'boolean' ? v.boolean()
    : rule.type === 'one-of' ? v.literal(...rule.options) : v.string(rule);
  return 'nullable' in rule && rule.nullable ? nullable(check) : check;
}

// Every setting but `model`, which follows loading a model rather than being set.
const settable = v.object(Object.fromEntries(Object.entries(SETTING_RULES).filter(([key]) => key !== 'model').map(([key, rule]) => [key, v.optional(checkOf(rule))])));

export const settingsMethods = {
  'settings.get': method(noArgs, (_a, { db }) => readSettings(db)),
  'settings.set': method(settable, (changes, { db }) => {
    const settings = writeSettings(db, changes);
    if (changes.snapshotCacheMb !== undefined) evictSnapshots(db, settings.snapshotCacheMb * 2 ** 20);   // a smaller bound applies now
    return settings;
  }),
  'settings.storage': method(noArgs, (_a, { db }) => ({ snapshots: snapshotUsage(db) })),
  'settings.clearSnapshots': method(noArgs, (_a, { db }) => ({ cleared: clearSnapshots(db) })),
};
