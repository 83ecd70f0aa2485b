// The vision benchmark: one 896×896 image through the real-shape SigLIP-So400m + Gemma 3 projector (synthetic
// weights, q8_0 and f16 encoder matrices), seconds per image and effective GFLOP/s, beside the same backend's GFLOP/s
// in text prefill (a 1b-shape Q4_0 model, 512 tokens). llama.cpp's npm vision build has no AVX kernels, so it is no
// speed anchor: the yardstick is our own prefill efficiency. Usage: npm run bench:vision [-- --types q8_0,f16]
import { existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { NativeBackend } from '../engine/backend/native-backend.js';
import { GgmlType, ggmlTypeByName } from '../engine/quant/index.js';
import { loadModel } from '../engine/runtime/index.js';
import { GEMMA3_PRESETS, VISION_PRESETS, synthesizeGemma3, synthesizeMmproj } from '../engine/synth/index.js';
import { benchPrompt } from '../engine/tokenizer/index.js';
import { loadVisionModel } from '../engine/vision/index.js';

const { values } = parseArgs({ options: { types: { type: 'string' }, threads: { type: 'string' } } });
const dir = process.env.QUIRE_BENCH_DIR ?? join(homedir(), '.cache', 'quire', 'bench');
mkdirSync(dir, { recursive: true });
const threads = Number(values.threads ?? 0) || undefined;
const backend = new NativeBackend(threads ? { threads } : {});

// Multiply-adds of one image: per layer and patch, q/k/v/out (4·W²) and the MLP (2·W·F); attention QKᵀ and ·V
// (2·N·W per patch); the patch embedding and the projection.
const v = VISION_PRESETS.so400m;
const patches = (v.imageSize / v.patchSize) ** 2;
const textWidth = GEMMA3_PRESETS['gemma-3-4b'].nEmbd;
const visionMacs = v.layers * patches * (4 * v.width ** 2 + 2 * v.width * v.ffWidth + 2 * patches * v.width)
  + patches * v.patchSize ** 2 * 3 * v.width + 256 * v.width * textWidth;

// Text prefill efficiency on the same backend: 1b shape, Q4_0, 512 tokens.
const textPath = join(dir, '1b-q4_0.gguf');
if (!existsSync(textPath)) synthesizeGemma3(textPath, { shape: GEMMA3_PRESETS['gemma-3-1b'], vocab: 'synthetic', matrixType: GgmlType.Q4_0, embeddingType: GgmlType.Q8_0, weightScale: 1, seed: 1 });
const text = await loadModel(textPath, { backend });
const s = text.config;
const perToken = s.nLayer * (s.nEmbd * s.nHead * s.headDim * 2 + 2 * s.nEmbd * s.nHeadKv * s.headDim + 3 * s.nEmbd * s.nFf);
const session = text.createSession({ contextSize: 600 });
const t0 = performance.now();
session.evaluate(benchPrompt(text.vocab, 512));
const textSeconds = (performance.now() - t0) / 1000;
const textGflops = (2 * perToken * 512) / textSeconds / 1e9;   // matmuls only: attention is small at 512 tokens

const rows: Record<string, unknown>[] = [];
for (const name of (values.types ?? 'q8_0,f16').split(',')) {
  const type = ggmlTypeByName(name)?.type;
  if (type === undefined) throw new Error(`unknown type ${name}`);
  const path = join(dir, `mmproj-so400m-${name}.gguf`);
  if (!existsSync(path)) synthesizeMmproj(path, { shape: v, textWidth, matrixType: type, seed: 1 });
  const vision = loadVisionModel(path, backend);
  const image = { width: 896, height: 896, rgb: Uint8Array.from({ length: 896 * 896 * 3 }, (_, i) => (i * 2654435761) >>> 24) };
  const t = performance.now();
  vision.encode(image);
  const seconds = (performance.now() - t) / 1000;
  const gflops = (2 * visionMacs) / seconds / 1e9;
  rows.push({ type: name, seconds_per_image: seconds, vision_gflops: gflops, text_prefill_gflops: textGflops, efficiency_ratio: gflops / textGflops });
  process.stderr.write(`${name}: ${seconds.toFixed(1)} s per image, ${gflops.toFixed(0)} GFLOP/s (text prefill ${textGflops.toFixed(0)} GFLOP/s)\n`);
}
console.log(['type', 'seconds_per_image', 'vision_gflops', 'text_prefill_gflops', 'efficiency_ratio'].join('\t'));
for (const r of rows) console.log(Object.values(r).map((x) => (typeof x === 'number' ? x.toFixed(2) : x)).join('\t'));
console.log(JSON.stringify({ benchmark: 'vision', threads: backend.threads, rows }));
