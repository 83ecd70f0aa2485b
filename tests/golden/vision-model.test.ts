// Quire's vision path against llama.cpp's (mtmd through @fugood/llama.node) on the same synthetic Gemma 3 model and
// projector (896 input, small widths), for five images of different sizes and aspect ratios: after the image
// prompt, at each of 16 steps (teacher-forced with the tokens llama.cpp sampled), the probabilities of llama.cpp's
// 10 most probable tokens must agree within 0.01. Everything runs: decoding (PNG, lossless on both sides),
// letterbox + resize, SigLIP, projector, the image block in the sequence, the text model.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileByteSource, readGguf } from '../../engine/gguf/index.js';
import { GgmlType } from '../../engine/quant/index.js';
import { type LoadedModel, loadModel, topProbabilities } from '../../engine/runtime/index.js';
import { GEMMA3_PRESETS, VISION_PRESETS, synthesizeGemma3, synthesizeMmproj } from '../../engine/synth/index.js';
import { detokenize } from '../../engine/tokenizer/index.js';
import { type VisionConfig, type VisionWeights, checkProjectorFitsModel, encodeImage, loadVisionWeights, preprocessImage, readVisionConfig } from '../../engine/vision/index.js';
import { llamaNodeImageCompletion } from '../helpers/llama-node-oracle.js';

const dir = mkdtempSync(join(tmpdir(), 'quire-vision-golden-'));
const modelPath = join(dir, 'text.gguf');
const mmprojPath = join(dir, 'mmproj.gguf');
let model: LoadedModel;
let vision: { config: VisionConfig; weights: VisionWeights };
let source: FileByteSource;

beforeAll(async () => {
  // A 2-layer text model with a global layer and a window longer than the prompt; weights spread so the next-token
  // distribution is flat (top-1 ≈ 0.01–0.1) and every image pixel moves it.
  synthesizeGemma3(modelPath, { shape: { ...GEMMA3_PRESETS.tiny, nLayer: 2, slidingWindow: 1024, contextLength: 2048 }, vocab: 'synthetic',
    matrixType: GgmlType.Q8_0, embeddingType: GgmlType.Q8_0, weightScale: 1, embeddingScale: 0.5, seed: 4 });
  synthesizeMmproj(mmprojPath, { shape: VISION_PRESETS.tiny, textWidth: GEMMA3_PRESETS.tiny.nEmbd, matrixType: GgmlType.F16, weightScale: 1.5, seed: 5 });
  model = await loadModel(modelPath);
  source = new FileByteSource(mmprojPath);
  const file = readGguf(source);
  const config = readVisionConfig(file.metadata);
  checkProjectorFitsModel(config, model.config);
  vision = { config, weights: loadVisionWeights(file, source, config) };
});
afterAll(() => {
  source?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A PNG with gradients, stripes and a little noise, so resampling details show in the result. */
function writeImage(path: string, width: number, height: number, seed: number): void {
  const canvas = createCanvas(width, height);
  const g = canvas.getContext('2d');
  const img = g.createImageData(width, height);
  let s = seed >>> 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      const i = 4 * (y * width + x);
      img.data[i] = (x * 255) / width;
      img.data[i + 1] = ((x >> 3) + (y >> 3)) % 2 ? 220 : 30;
      img.data[i + 2] = (y * 255) / height + ((s >>> 28) - 8);
      img.data[i + 3] = 255;
    }
  }
  g.putImageData(img, 0, 0);
  writeFileSync(path, canvas.toBuffer('image/png'));
}

async function decodeRgb(path: string) {
  const image = await loadImage(path);
  const canvas = createCanvas(image.width, image.height);
  const g = canvas.getContext('2d');
  g.drawImage(image, 0, 0);
  const rgba = g.getImageData(0, 0, image.width, image.height).data;
  const rgb = new Uint8Array(image.width * image.height * 3);
  for (let i = 0; i < image.width * image.height; i++) rgb.set(rgba.subarray(4 * i, 4 * i + 3), 3 * i);
  return { width: image.width, height: image.height, rgb };
}

/** llama.node names tokens by their text; a byte token by its character, or as "byte: \xNN" when ≥ 0x80. */
function label(id: number): string {
  const piece = model.vocab.texts[id]!;
  const byte = /^<0x([0-9A-F]{2})>$/.exec(piece);
  if (!byte) return detokenize(model.vocab, [id], true);
  const value = parseInt(byte[1]!, 16);
  return value < 0x80 ? String.fromCharCode(value) : `byte: \\x${byte[1]!.toLowerCase()}`;
}

/**
 * Largest |Δp| between our distribution and one step of llama.cpp's top-10, by token text: tokens that share a
 * text (a byte token and a normal one) are summed on both sides, since llama.node reports text, not ids.
 */
function stepDifference(logits: Float32Array, probs: { tok_str: string; prob: number }[]): number {
  const mine = new Map<string, number>();
  for (const t of topProbabilities(logits, 128)) mine.set(label(t.token), (mine.get(label(t.token)) ?? 0) + t.p);
  const theirs = new Map<string, number>();
  for (const { tok_str, prob } of probs) theirs.set(tok_str, (theirs.get(tok_str) ?? 0) + prob);
  return Math.max(...[...theirs].map(([text, prob]) => Math.abs((mine.get(text) ?? 0) - prob)));
}

const images = [
  ['square, exactly the input size (no resize)', 896, 896],
  ['3:1 wide', 1200, 400],
  ['1:3 tall', 300, 900],
  ['tiny 20×20 (upscaled)', 20, 20],
  ['4000×3000 (downscaled)', 4000, 3000],
] as const;

describe('vision golden: Quire vs llama.cpp mtmd', () => {
  images.forEach(([name, width, height], index) => {
    it(`${name}: top-10 probabilities within 0.01 at 16 teacher-forced steps`, async () => {
      const path = join(dir, `image-${index}.png`);
      writeImage(path, width, height, index + 1);
      const oracle = llamaNodeImageCompletion({ model: modelPath, mmproj: mmprojPath, image: path, prompt: 'look <__media__> what', steps: 16, seed: 1 });
      expect(oracle.steps).toHaveLength(16);

      const byLabel = new Map<string, number[]>();
      for (let id = 0; id < model.config.nVocab; id++) byLabel.set(label(id), [...(byLabel.get(label(id)) ?? []), id]);
      const soi = model.vocab.textToId.get('<start_of_image>')!;
      const eoi = model.vocab.textToId.get('<end_of_image>')!;
      const embeddings = encodeImage(preprocessImage(await decodeRgb(path), vision.config), vision.config, vision.weights, model.model.backend);
      // The prompt as mtmd lays it out: text, <start_of_image>, 256 embeddings in one block, <end_of_image>, text.
      const replay = (forced: number[]): { logits: Float32Array; length: number } => {
        const session = model.createSession({ contextSize: 2048, batchSize: 512 });
        session.evaluate([...model.tokenize('look '), soi]);
        session.evaluateImage(embeddings);
        const logits = session.evaluate([eoi, ...model.tokenize(' what', { addSpecial: false }), ...forced]);
        return { logits, length: session.tokens.length - forced.length };
      };
      const first = replay([]);
      expect(first.length).toBe(oracle.evaluated - 16);  // llama.node counts the prompt and each sampled token

      // Teacher forcing with llama.cpp's samples. It reports them as text, and a byte token can share its text with
      // a normal one; then the candidate whose next step agrees best is the one it sampled.
      const forced: number[] = [];
      let logits = first.logits;
      let worst = 0;
      for (const [step, { content, probs }] of oracle.steps.entries()) {
        const diff = stepDifference(logits, probs);
        worst = Math.max(worst, diff);
        expect(diff, `step ${step}`).toBeLessThanOrEqual(0.01);
        const candidates = byLabel.get(content) ?? [];
        expect(candidates.length, `llama.cpp sampled ${JSON.stringify(content)}`).toBeGreaterThan(0);
        let best = { id: candidates[0]!, logits: replay([...forced, candidates[0]!]).logits };
        if (candidates.length > 1 && step + 1 < oracle.steps.length) {
          // Score each candidate over the next few steps (following llama.cpp's later samples, first reading).
          const score = (id: number): number => {
            const path = [...forced, id];
            let total = 0;
            for (let j = step + 1; j < Math.min(oracle.steps.length, step + 4); j++) {
              total += stepDifference(replay(path).logits, oracle.steps[j]!.probs);
              path.push((byLabel.get(oracle.steps[j]!.content) ?? [0])[0]!);
            }
            return total;
          };
          let bestScore = score(best.id);
          for (const id of candidates.slice(1)) {
            const s = score(id);
            if (s < bestScore) [best, bestScore] = [{ id, logits: replay([...forced, id]).logits }, s];
          }
        }
        forced.push(best.id);
        logits = best.logits;
      }
      console.log(`vision golden ${name}: largest |Δp| over llama.cpp's top 10 in 16 steps = ${worst.toFixed(5)}`);
    }, 300_000);
  });
});
