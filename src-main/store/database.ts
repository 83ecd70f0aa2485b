// Opens Quire's SQLite database: WAL (readers never block the writer), foreign keys on, migrations applied in order.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { StoreVersionError } from './errors.js';
import { migrations as allMigrations, type Migration } from './migrations/index.js';

export type Db = Database.Database;

/** Opens (creating if needed) the database file and brings its schema up to `upTo` (default: the latest). */
export function openDatabase(path: string, options: { upTo?: number; migrations?: readonly Migration[] } = {}): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    // NORMAL is durable at every checkpoint and safe against corruption in WAL mode; FULL fsyncs every commit.
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    migrate(db, options.migrations ?? allMigrations, options.upTo);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function migrate(db: Db, migrations: readonly Migration[], upTo = Infinity): void {
  const latest = migrations.at(-1)?.version ?? 0;
  const current = schemaVersion(db);
  if (current > latest) {
    throw new StoreVersionError(
      `database schema is version ${current}, this Quire knows versions up to ${latest}: use a newer Quire or another --data folder`,
    );
  }
  for (const m of migrations) {
    if (m.version <= current || m.version > upTo) continue;
    // One transaction per step: a crash mid-migration leaves the previous version intact.
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
}
