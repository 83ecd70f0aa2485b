// The lint rule that keeps engine/ free of Electron, renderer, app and DOM code actually fires.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

async function lintAs(path: string, code: string): Promise<string[]> {
  const eslint = new ESLint();
  const [result] = await eslint.lintText(code, { filePath: path });
  return result!.messages.map((m) => m.ruleId ?? m.message);
}

describe('engine boundary lint rule', () => {
  it('rejects Electron, Svelte, app imports and DOM globals in engine/', async () => {
    expect(await lintAs('engine/model/x.ts', "import { app } from 'electron';\nexport const a = app;\n")).toContain('no-restricted-imports');
    expect(await lintAs('engine/model/x.ts', "import { mount } from 'svelte';\nexport const a = mount;\n")).toContain('no-restricted-imports');
    expect(await lintAs('engine/model/x.ts', "import { main } from '../../src-main/cli/main.js';\nexport const a = main;\n")).toContain('no-restricted-imports');
    expect(await lintAs('engine/model/x.ts', 'export const w = window.innerWidth;\n')).toContain('no-restricted-globals');
    expect(await lintAs('engine/model/x.ts', "export const r = fetch('http://x');\n")).toContain('no-restricted-globals');
  });

  it('allows the same imports outside engine/', async () => {
    expect(await lintAs('src-main/electron/x.ts', "import { app } from 'electron';\nexport const a = app;\n")).toEqual([]);
  });
});
