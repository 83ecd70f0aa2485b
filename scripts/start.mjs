// `npm start`: the desktop app where Electron's binary is installed (built first into out/), otherwise how to use
// Quire in a browser instead. Nothing is downloaded here: `npm run electron:install` fetches Electron on purpose.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const electronDir = dirname(require.resolve('electron/package.json'));
const pathFile = join(electronDir, 'path.txt');
const binary = existsSync(pathFile) ? join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim()) : undefined;

if (!binary || !existsSync(binary)) {
  console.error([
    'Electron\'s binary is not installed on this machine, so the desktop window cannot open.',
    '  - With a network: npm run electron:install, then npm start.',
    '  - Without one, the same app runs in any browser: npx quire serve  (then open the URL it prints).',
  ].join('\n'));
  process.exit(1);
}
const build = spawnSync(process.execPath, ['scripts/build-electron.mjs'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
const run = spawnSync(binary, ['out/main/main.mjs'], { stdio: 'inherit' });
process.exit(run.status ?? 0);
