// Bundles the Electron main process (an ES module, as the services use import.meta), the engine's utility process
// (also ESM) and the preload (CommonJS: a sandboxed preload cannot be a module) into out/main; native and heavy
// packages stay external and load from node_modules (unpacked from the asar by electron-builder.yml). The engine's
// own addon is copied next to the bundle, where its loader looks for it (./build/Release relative to the module).
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { build } from 'esbuild';

const common = { bundle: true, platform: 'node', target: 'node22', sourcemap: true, logLevel: 'warning' };
const esm = {
  ...common, format: 'esm', outExtension: { '.js': '.mjs' }, outdir: 'out/main',
  // Bundled CommonJS code may require() Node's built-ins: give the module a require.
  banner: { js: "import { createRequire as quireCreateRequire } from 'node:module'; const require = quireCreateRequire(import.meta.url);" },
  external: ['electron', 'better-sqlite3', 'sharp', '@napi-rs/canvas', 'pdfjs-dist', 'tsx', 'ws'],
};
await build({ ...esm, entryPoints: { main: 'src-main/electron/main.ts', 'engine-process': 'src-main/services/engine-host/engine-process.ts' } });
await build({ ...common, format: 'cjs', entryPoints: { preload: 'src-main/electron/preload.ts' }, outExtension: { '.js': '.cjs' }, outdir: 'out/main', external: ['electron'] });

const addon = 'engine/backend/native/build/Release/quire_native.node';
if (existsSync(addon)) {
  mkdirSync('out/main/build/Release', { recursive: true });
  copyFileSync(addon, 'out/main/build/Release/quire_native.node');
} else {
  console.warn(`${addon} is not built: the app's engine will use the reference backend (npm run build:native)`);
}
