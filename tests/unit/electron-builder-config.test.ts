// The desktop app's packaging (electron-builder.yml), checked by electron-builder's own loader and schema — the build
// itself needs Electron's binary, which cannot be downloaded here — and against what the app needs: the bundles it
// runs packed, native modules outside the asar, the fuses that stop it being used as a plain Node, no update feed.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
type Config = Record<string, unknown> & { files: unknown; asarUnpack: string[]; electronFuses: Record<string, boolean>; publish: unknown };
const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
  getConfig(dir: string, file: string, extra: null): Promise<Config>;
  validateConfiguration(config: Config, logger: unknown): Promise<void>;
};
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };

describe('electron-builder.yml', () => {
  it('passes electron-builder\'s schema, and a misspelt fuse would not', async () => {
    const config = await getConfig(process.cwd(), 'electron-builder.yml', null);
    await validateConfiguration(config, new DebugLogger(false));
    await expect(validateConfiguration({ ...config, electronFuses: { ...config.electronFuses, runAsNod: false } }, new DebugLogger(false))).rejects.toThrow(/electronFuses/);
  });

  it('packs what the app runs, native code unpacked, with the fuses set and no publish feed', async () => {
    const config = await getConfig(process.cwd(), 'electron-builder.yml', null);
    expect(config).toMatchObject({
      appId: 'app.quire.desktop', asar: true, publish: null,
      linux: { target: ['AppImage', 'deb'] }, mac: { target: ['dmg'] }, win: { target: ['nsis'] },
      electronFuses: { runAsNode: false, enableNodeOptionsEnvironmentVariable: false, enableNodeCliInspectArguments: false, onlyLoadAppFromAsar: true, enableEmbeddedAsarIntegrityValidation: true },
    });
    expect(JSON.stringify(config.files)).toContain('"out/**"');
    expect(config.asarUnpack).toContain('**/*.node');
    // electron-builder starts the app from package.json's main: the bundle scripts/build-electron.mjs writes.
    expect(JSON.parse(readFileSync('package.json', 'utf8')).main).toBe('out/main/main.mjs');
    expect(readFileSync('scripts/build-electron.mjs', 'utf8')).toMatch(/main: 'src-main\/electron\/main\.ts'/);
  });
});
