// The desktop app's engine: the esbuild bundle out/main/engine-process.mjs (what Electron's utilityProcess runs),
// started as a plain Node process — once with Node's IPC channel, once through a parentPort like the utility
// process's — must give the same tokens (seeded sampling) as the engine run from source. Electron itself cannot be installed
// here; this checks everything on our side of utilityProcess.fork.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GgmlType } from '../../engine/quant/index.js';
import { GEMMA3_PRESETS, synthesizeGemma3 } from '../../engine/synth/index.js';
import { type EngineConnection, EngineHost, childEngineConnection } from '../../src-main/services/engine-host/index.js';

const dir = mkdtempSync(join(tmpdir(), 'quire-bundle-'));
const model = join(dir, 'tiny.gguf');
const hosts: EngineHost[] = [];

// The bundle run directly (Node's IPC channel), or through the shim that gives it a utility process's parentPort.
const bundled = (viaParentPort: boolean): EngineConnection => childEngineConnection(viaParentPort
  ? { entry: 'tests/fixtures/parent-port-shim.mjs', args: ['out/main/engine-process.mjs'] }
  : { entry: 'out/main/engine-process.mjs' });

async function answer(host: EngineHost): Promise<number[]> {
  hosts.push(host);
  await host.load({ model, contextSize: 256 });
  const tokens = await host.request('tokenizeChat', { messages: [{ role: 'user', content: 'Tell me about the quick brown fox.' }] });
  // Seeded sampling at a high temperature: a sequence that differs at every step, so any difference shows.
  return (await host.request('generate', { prompt: [{ tokens }], maxTokens: 12, sampling: { seed: 3, temperature: 1.5 } })).tokens;
}

beforeAll(() => {
  const build = spawnSync(process.execPath, ['scripts/build-electron.mjs'], { encoding: 'utf8' });
  if (build.status !== 0) throw new Error(build.stderr);
  synthesizeGemma3(model, { shape: GEMMA3_PRESETS.tiny, vocab: 'synthetic', matrixType: GgmlType.Q8_0, embeddingType: GgmlType.Q8_0, weightScale: 1.75, seed: 11 });
}, 120_000);
afterAll(() => {
  for (const h of hosts) h.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the Electron engine bundle', () => {
  it('answers as the engine from source does, over Node IPC and over a utility-process parentPort', async () => {
    const reference = await answer(new EngineHost(() => childEngineConnection()));
    expect(reference).toHaveLength(12);
    expect(new Set(reference).size, 'a sequence that tells engines apart').toBeGreaterThan(1);
    expect(await answer(new EngineHost(() => bundled(false)))).toEqual(reference);
    expect(await answer(new EngineHost(() => bundled(true)))).toEqual(reference);
  });
});
