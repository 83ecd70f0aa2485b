// Where Electron's binary is once its package has fetched it (dist/ + the name in path.txt), or undefined while it is
// missing — `npm ci` skips the fetch so installs work offline.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export const electronDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));

export function electronBinary() {
  const pathFile = join(electronDir, 'path.txt');
  const binary = existsSync(pathFile) ? join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim()) : undefined;
  return binary && existsSync(binary) ? binary : undefined;
}
