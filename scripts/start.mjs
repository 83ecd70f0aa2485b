// `npm start`: the desktop app. Electron's binary is fetched on the first start when it is missing (`npm ci` skips
// it so installs work offline); where that cannot happen, it says how to use Quire in a browser instead.
import { spawnSync } from 'node:child_process';
import { electronBinary } from './electron-binary.mjs';

let binary = electronBinary();
if (!binary) {
  spawnSync(process.execPath, ['scripts/ensure-electron.mjs'], { stdio: 'inherit' });
  binary = electronBinary();
}
if (!binary) {
  console.error([
    'Electron\'s binary is not installed on this machine and could not be fetched, so the desktop window cannot open.',
    '  - With a network: npm start again (or npm run electron:install).',
    '  - Without one, the same app runs in any browser: npx quire serve  (then open the URL it prints).',
  ].join('\n'));
  process.exit(1);
}
const build = spawnSync(process.execPath, ['scripts/build-electron.mjs'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
const run = spawnSync(binary, ['out/main/main.mjs'], { stdio: 'inherit' });
process.exit(run.status ?? 0);
