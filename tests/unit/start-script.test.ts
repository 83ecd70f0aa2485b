// `npm start` where Electron's binary is absent (as on these machines): it says so and how to run the app in a
// browser with `quire serve`, instead of failing obscurely or downloading anything. And the Electron main process
// and preload build (bundled by esbuild) — the part of the desktop app that can be checked without Electron.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';

const electronDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
const hasBinary = existsSync(join(electronDir, 'path.txt')) && existsSync(join(electronDir, 'dist', readFileSync(join(electronDir, 'path.txt'), 'utf8').trim()));

describe('npm start', () => {
  it.skipIf(hasBinary)('without Electron\'s binary: explains, points to quire serve, exits 1', () => {
    const run = spawnSync(process.execPath, ['scripts/start.mjs'], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/Electron's binary is not installed/);
    expect(run.stderr).toMatch(/npx quire serve/);
  });

  it('the main process bundles as an ES module and the preload as CommonJS, with no import.meta left empty', () => {
    const run = spawnSync(process.execPath, ['scripts/build-electron.mjs'], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).not.toMatch(/import\.meta.*will be empty/);
    const main = readFileSync('out/main/main.mjs', 'utf8');
    for (const setting of [/contextIsolation: true/, /sandbox: true/, /nodeIntegration: false/, /setPermissionRequestHandler/, /requestSingleInstanceLock/]) expect(main).toMatch(setting);
    expect(readFileSync('out/main/preload.cjs', 'utf8')).toMatch(/exposeInMainWorld\("quire"/);
  });
});
