// session.memory() against the hybrid-cache arithmetic (ENGINE-SPEC §8.2) and against the cache sizes llama.cpp
// itself creates for the same shapes at 32K context (read from its log lines).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LlamaLogLevel, getLlama } from 'node-llama-cpp';
import { afterAll, describe, expect, it } from 'vitest';
import { GgmlType } from '../../engine/quant/index.js';
import { loadModel } from '../../engine/runtime/index.js';
import { GEMMA3_PRESETS, synthesizeGemma3 } from '../../engine/synth/index.js';

const dir = mkdtempSync(join(tmpdir(), 'quire-kv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CONTEXT = 32768;
const BATCH = 512;
const MiB = 1024 * 1024;

// The attention shapes of the released 1B and 4B models (layers, KV heads, head dim, window); the other widths are
// small because the cache does not depend on them, and that keeps the files tiny.
const shapes = {
  '1b': { ...GEMMA3_PRESETS['gemma-3-1b'], nEmbd: 256, nFf: 256, nVocab: 512 },
  '4b': { ...GEMMA3_PRESETS['gemma-3-4b'], nEmbd: 256, nFf: 256, nVocab: 512 },
};

/** Cells and bytes of llama.cpp's non-SWA and SWA caches, parsed from "llama_kv_cache: size = … (N cells, L layers …)". */
// getLlama returns one shared instance per process, so its logger writes into whichever array is current.
let lines: string[] = [];
const llamaWithLogs = getLlama({ gpu: false, build: 'never', progressLogs: false, logLevel: LlamaLogLevel.debug, logger: (_level, message) => lines.push(message) });

async function llamaCacheSizes(path: string): Promise<{ cells: number; layers: number; mib: number }[]> {
  lines = [];
  const llama = await llamaWithLogs;
  const model = await llama.loadModel({ modelPath: path });
  const context = await model.createContext({ contextSize: CONTEXT, batchSize: BATCH, flashAttention: false, threads: 2 });
  await context.dispose();
  await model.dispose();
  return [...lines.join('').matchAll(/llama_kv_cache: size =\s+([\d.]+) MiB \(\s*(\d+) cells,\s+(\d+) layers/g)]
    .map((m) => ({ mib: Number(m[1]), cells: Number(m[2]), layers: Number(m[3]) }));
}

describe.each(Object.entries(shapes))('gemma-3-%s attention shape at 32K', (name, shape) => {
  it('matches the hybrid-cache arithmetic and llama.cpp within one batch', async () => {
    const path = join(dir, `${name}.gguf`);
    synthesizeGemma3(path, { shape: { ...shape, contextLength: Math.max(shape.contextLength, CONTEXT) }, vocab: 'synthetic', matrixType: GgmlType.Q8_0, embeddingType: GgmlType.Q8_0, weightScale: 1, seed: 1 });
    const model = await loadModel(path);
    const memory = model.createSession({ contextSize: CONTEXT, batchSize: BATCH }).memory();

    const perCell = 2 * shape.nHeadKv * shape.headDim * 2; // K and V, f16
    const globalLayers = Math.floor(shape.nLayer / 6);
    expect(memory.globalLayers).toBe(globalLayers);
    expect(memory.localLayers).toBe(shape.nLayer - globalLayers);
    expect(memory.globalBytes).toBe(globalLayers * CONTEXT * perCell);
    expect(memory.localBytes).toBe((shape.nLayer - globalLayers) * (shape.slidingWindow + BATCH) * perCell);
    // ENGINE-SPEC §8.2 "hybrid (ideal)" at 32K: 1b 139 MiB, 4b 756 MiB; we hold one batch more per local layer.
    const ideal = { '1b': 139, '4b': 756 }[name]! * MiB;
    expect(memory.totalBytes - ideal).toBe((shape.nLayer - globalLayers) * BATCH * perCell);

    const [global, local] = await llamaCacheSizes(path);
    console.log(`gemma-3-${name} @32K: Quire global ${memory.globalBytes / MiB} MiB (${memory.globalCells} cells) + local ` +
      `${memory.localBytes / MiB} MiB (${memory.localCells} cells); llama.cpp ${global?.mib} MiB (${global?.cells}) + ${local?.mib} MiB (${local?.cells})`);
    expect(global).toMatchObject({ cells: CONTEXT, layers: globalLayers });
    expect(global!.mib * MiB).toBe(memory.globalBytes);
    expect(local!.layers).toBe(memory.localLayers);
    // llama.cpp pads its ring to a multiple of 256 (and adds one cell to n_ubatch): within one batch of ours.
    expect(Math.abs(local!.cells - memory.localCells)).toBeLessThanOrEqual(BATCH);
    expect(Math.abs(local!.mib * MiB - memory.localBytes)).toBeLessThanOrEqual(memory.localLayers * BATCH * perCell);
  });
});
