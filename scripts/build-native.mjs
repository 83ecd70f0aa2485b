// Builds the engine's native addon (engine/backend/native) during `npm ci`/`npm install`. A failed build must not
// fail the install: Quire then runs on the TypeScript reference backend, and says so once.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';

const require = createRequire(import.meta.url);
function nodeGyp() {
  if (process.env.npm_config_node_gyp && existsSync(process.env.npm_config_node_gyp)) return process.env.npm_config_node_gyp;
  try {
    return require.resolve('node-gyp/bin/node-gyp.js');
  } catch {
    return undefined;
  }
}

const gyp = nodeGyp();
const result = gyp
  ? spawnSync(process.execPath, [gyp, 'rebuild', '--directory', 'engine/backend/native'], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' })
  : { status: 1, stderr: 'node-gyp was not found' };
if (result.status === 0) {
  console.log('quire: native engine backend built (engine/backend/native/build/Release/quire_native.node)');
} else {
  const reason = (result.stderr ?? '').split('\n').filter((l) => /error/i.test(l)).slice(0, 3).join('\n  ');
  console.warn(`quire: warning: the native engine backend could not be built; Quire will run on the slower TypeScript backend.\n  ${reason}`);
}
