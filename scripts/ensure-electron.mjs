// Fetches Electron's binary when it is missing. `npm ci` skips Electron's own download (package.json
// allowScripts), so installs work offline; on a machine with a network this brings the binary on demand.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { electronBinary, electronDir } from './electron-binary.mjs';

const require = createRequire(import.meta.url);
const installed = electronBinary() !== undefined;

if (installed) {
  console.log(`Electron ${require('electron/package.json').version} is installed.`);
} else {
  console.log('Electron\'s binary is not installed yet; downloading it (this needs a network connection)…');
  const result = spawnSync(process.execPath, [join(electronDir, 'install.js')], { stdio: 'inherit' });
  if (result.status !== 0) {
    console.error('\nCould not download Electron. Without a network, use the command line (`npx quire …`);');
    console.error('the desktop app runs once Electron can be fetched (`npm run electron:install`).');
    process.exit(1);
  }
}
