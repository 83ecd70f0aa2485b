// Where Quire keeps its database and caches: --data DIR, else $QUIRE_HOME, else the platform's app-data folder.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { openDatabase, type Db } from '../store/database.js';

export const DATABASE_FILE = 'quire.db';

export function defaultDataDir(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env, home = homedir()): string {
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Quire');
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Quire');
  return join(env.XDG_DATA_HOME || join(home, '.local', 'share'), 'quire');
}

export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return resolve(flag ?? (env.QUIRE_HOME || defaultDataDir(process.platform, env)));
}

/** Opens the database in the data folder chosen by --data / QUIRE_HOME / the platform default. */
export function openDataStore(flag: string | undefined): { db: Db; dataDir: string } {
  const dataDir = resolveDataDir(flag);
  return { db: openDatabase(join(dataDir, DATABASE_FILE)), dataDir };
}

export const DATA_OPTION_HELP = `--data DIR   where the database lives (default: $QUIRE_HOME, else ${defaultDataDir()})`;
