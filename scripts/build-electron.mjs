// Bundles the Electron main process (an ES module, as the services use import.meta) and the preload (CommonJS: a
// sandboxed preload cannot be a module) into out/main; native and heavy packages stay external and load from
// node_modules (unpacked from the asar by electron-builder.yml).
import { build } from 'esbuild';

const common = { bundle: true, platform: 'node', target: 'node22', sourcemap: true, logLevel: 'warning' };
await build({
  ...common, format: 'esm', entryPoints: { main: 'src-main/electron/main.ts' }, outExtension: { '.js': '.mjs' }, outdir: 'out/main',
  // Bundled CommonJS code may require() Node's built-ins: give the module a require.
  banner: { js: "import { createRequire as quireCreateRequire } from 'node:module'; const require = quireCreateRequire(import.meta.url);" },
  external: ['electron', 'better-sqlite3', 'sharp', '@napi-rs/canvas', 'pdfjs-dist', 'tsx', 'ws'],
});
await build({ ...common, format: 'cjs', entryPoints: { preload: 'src-main/electron/preload.ts' }, outExtension: { '.js': '.cjs' }, outdir: 'out/main', external: ['electron'] });
