// The runtime around the forward pass: sessions, overflow, cancellation, sampling, chat turns, streaming text.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnsupportedTensorTypeError } from '../../engine/errors.js';
import { FileByteSource, readGguf, readTensorBytes, tensorByteSize, writeGgufFile } from '../../engine/gguf/index.js';
import { GgmlType } from '../../engine/quant/index.js';
import { ContextOverflowError, IMAGE_POSITION, type LoadedModel, Sampler, SnapshotError, argmax, feedImagePrompt, loadModel } from '../../engine/runtime/index.js';
import { HybridKvCache } from '../../engine/model/kv-cache.js';
import { Random } from '../../engine/util/random.js';
import { GEMMA3_PRESETS, synthesizeGemma3 } from '../../engine/synth/index.js';
import { ChatTemplateError, StreamingDecoder, renderGemma3Chat } from '../../engine/tokenizer/index.js';

const dir = mkdtempSync(join(tmpdir(), 'quire-runtime-'));
let model: LoadedModel;

beforeAll(async () => {
  const path = join(dir, 'tiny.gguf');
  const shape = { ...GEMMA3_PRESETS.tiny, nLayer: 2, slidingWindow: 4 };
  synthesizeGemma3(path, { shape, vocab: 'synthetic', matrixType: GgmlType.Q8_0, embeddingType: GgmlType.Q8_0, weightScale: 1.75, seed: 3 });
  model = await loadModel(path);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loading', () => {
  it('refuses a model with a weight type it cannot compute with, naming the tensor, before any forward pass', async () => {
    const bytes = new FileByteSource(join(dir, 'tiny.gguf'));
    const source = readGguf(bytes);
    const tensors = source.tensors.map((t) => {
      const data = readTensorBytes(bytes, t);
      if (t.name !== 'blk.1.ffn_up.weight') return { name: t.name, type: t.type as GgmlType, dims: [...t.dims], data };
      return { name: t.name, type: GgmlType.Q2_K, dims: [...t.dims], data: new Uint8Array(tensorByteSize(GgmlType.Q2_K, [...t.dims])) };
    });
    const path = join(dir, 'q2k.gguf');
    bytes.close();
    writeGgufFile(path, { metadata: source.metadata, tensors });
    await expect(loadModel(path)).rejects.toThrow(/tensor "blk\.1\.ffn_up\.weight" is Q2_K, which Quire cannot compute with yet/);
    await expect(loadModel(path, { backend: 'reference' })).rejects.toBeInstanceOf(UnsupportedTensorTypeError);
  });
});

describe('images in the sequence', () => {
  function imageRows(rows: number, seed: number): Float32Array {
    const out = new Float32Array(rows * model.config.nEmbd);
    new Random(seed, 'image').fillUniform(out, 1);
    return out;
  }

  it('rows of one image see each other in both directions; the text before them does not see them', () => {
    const d = model.config.nEmbd;
    const V = model.config.nVocab;
    const run = (embeddings: Float32Array): Float32Array => {
      const cache = new HybridKvCache(model.config, 64, 64);
      const tokens = [2, null, null, null, 7];
      return model.model.forward({ tokens, embeddings, startPos: 0, blocks: Int32Array.of(0, 1, 1, 1, 0), logits: 'all' }, cache);
    };
    const a = imageRows(5, 1);
    const b = a.slice();
    b.fill(0.25, 3 * d, 4 * d);                                     // change only the image's last row
    const [la, lb] = [run(a), run(b)];
    const row = (l: Float32Array, i: number) => Array.from(l.subarray(i * V, (i + 1) * V));
    expect(row(lb, 0)).toEqual(row(la, 0));                          // text before the image: causal, unchanged
    expect(row(lb, 1)).not.toEqual(row(la, 1));                      // the image's first row sees its last row
  });

  it('a session appends an image as one block, then text and generation go on after it', async () => {
    const session = model.createSession({ contextSize: 64, batchSize: 16 });
    session.evaluate(model.tokenize('look:'));
    const before = session.tokens.length;
    const logits = session.evaluateImage(imageRows(8, 2));
    expect(logits).toHaveLength(model.config.nVocab);
    expect(session.tokens.slice(before)).toEqual(new Array(8).fill(IMAGE_POSITION));
    const out: number[] = [];
    for await (const t of session.generate(model.tokenize('what is it?', { addSpecial: false }), { maxTokens: 3, greedy: true, repeatPenalty: 1.1 })) out.push(t.token);
    expect(out.length).toBeGreaterThan(0);
    expect(out.every((t) => t >= 0 && t < model.config.nVocab)).toBe(true);
  });

  it('feedImagePrompt lays out text, image and text as mtmd does, and counts markers against images', () => {
    const soi = model.vocab.textToId.get('<start_of_image>')!;
    const eoi = model.vocab.textToId.get('<end_of_image>')!;
    const image = imageRows(8, 6);
    const tokens = [...model.tokenize('look '), soi, ...model.tokenize(' here', { addSpecial: false })];
    const a = model.createSession({ contextSize: 64, batchSize: 16 });
    const rest = feedImagePrompt(a, model.vocab, tokens, [image]);
    expect(rest[0]).toBe(eoi);
    const viaHelper = a.evaluate(rest);
    const b = model.createSession({ contextSize: 64, batchSize: 16 });
    b.evaluate([...model.tokenize('look '), soi]);
    b.evaluateImage(image);
    const manual = b.evaluate([eoi, ...model.tokenize(' here', { addSpecial: false })]);
    expect(Array.from(viaHelper)).toEqual(Array.from(manual));
    expect(() => feedImagePrompt(model.createSession(), model.vocab, tokens, [])).toThrow(/1 <start_of_image> markers for 0 images/);
  });

  it('refuses an image that is not whole rows, does not fit one batch, or overflows the context — and keeps the session', () => {
    const session = model.createSession({ contextSize: 16, batchSize: 8 });
    session.evaluate([2, 3]);
    expect(() => session.evaluateImage(new Float32Array(model.config.nEmbd + 1))).toThrow(/whole rows/);
    expect(() => session.evaluateImage(imageRows(9, 3))).toThrow(/one batch: use a batch size of at least 9/);
    session.evaluateImage(imageRows(8, 4));
    expect(() => session.evaluateImage(imageRows(8, 5))).toThrow(ContextOverflowError);
    expect(session.tokens).toHaveLength(10);
  });
});

describe('sessions', () => {
  it('chunked prefill gives the same logits as one pass, and as token-by-token decoding', () => {
    const tokens = model.tokenize('the quick brown fox jumps over the lazy dog');
    const whole = model.createSession({ contextSize: 64, batchSize: 64 }).evaluate(tokens, 'all');
    const chunked = model.createSession({ contextSize: 64, batchSize: 3 }).evaluate(tokens, 'all');
    expect(Array.from(chunked)).toEqual(Array.from(whole));
    const stepwise = model.createSession({ contextSize: 64, batchSize: 1 });
    const V = model.config.nVocab;
    tokens.forEach((t, i) => expect(Array.from(stepwise.evaluate([t]))).toEqual(Array.from(whole.subarray(i * V, (i + 1) * V))));
  });

  it('refuses a prompt that does not fit, with the numbers, and keeps the session intact', () => {
    const session = model.createSession({ contextSize: 16 });
    session.evaluate(model.tokenize('hello'));
    const before = session.tokens.length;
    const error = (() => {
      try {
        session.evaluate(model.tokenize('a much longer prompt than sixteen tokens can ever hold'));
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ContextOverflowError);
    expect((error as ContextOverflowError).message).toMatch(/needs \d+ tokens but the context holds 16 and \d+ are in use/);
    expect(session.tokens.length).toBe(before);
  });

  it('generation is seeded, stops at maxTokens, and can be cancelled', async () => {
    const prompt = model.tokenize('once upon a time');
    const run = async (seed: number): Promise<number[]> => {
      const out: number[] = [];
      for await (const t of model.createSession({ contextSize: 64 }).generate(prompt, { seed, maxTokens: 8 })) out.push(t.token);
      return out;
    };
    expect(await run(5)).toEqual(await run(5));
    expect((await run(5)).length).toBeLessThanOrEqual(8);
    const abort = new AbortController();
    const seen: number[] = [];
    await expect((async () => {
      for await (const t of model.createSession({ contextSize: 64 }).generate(prompt, { greedy: true, maxTokens: 20, signal: abort.signal })) {
        seen.push(t.token);
        if (seen.length === 2) abort.abort();
      }
    })()).rejects.toThrow();
    expect(seen).toHaveLength(2);
  });

  it('a snapshot taken after a prefix (text, an image, more text) continues exactly as the session it came from', async () => {
    const width = model.config.nEmbd;
    const image = Float32Array.from({ length: 3 * width }, (_, i) => Math.sin(i) * 0.5);
    const prefix = (s: ReturnType<LoadedModel['createSession']>): void => {
      s.evaluate(model.tokenize('the document says that the quick brown fox'));     // longer than window + batch: the ring wraps
      s.evaluateImage(image);
      s.evaluate(model.tokenize('and then'));
    };
    const original = model.createSession({ contextSize: 64, batchSize: 4 });
    prefix(original);
    const saved = original.snapshot();
    const continueFrom = async (s: ReturnType<LoadedModel['createSession']>): Promise<number[]> => {
      const out: number[] = [];
      for await (const t of s.generate(model.tokenize(' what next?'), { greedy: true, maxTokens: 6 })) out.push(t.token);
      return out;
    };
    const expected = await continueFrom(original);
    const restored = model.createSession({ contextSize: 64, batchSize: 4 });
    restored.evaluate(model.tokenize('something else entirely'));                        // replaced, not appended to
    restored.restore(Buffer.from(saved));                                               // as it comes back from SQLite
    expect(restored.tokens.filter((t) => t === IMAGE_POSITION)).toHaveLength(3);
    expect(await continueFrom(restored)).toEqual(expected);
    expect(Array.from(restored.evaluate([1]))).toEqual(Array.from(original.evaluate([1])));
  });

  it('refuses a snapshot of another shape or a damaged one, and keeps the session', () => {
    const session = model.createSession({ contextSize: 64, batchSize: 4 });
    session.evaluate(model.tokenize('hello'));
    const saved = session.snapshot();
    const other = model.createSession({ contextSize: 32, batchSize: 4 });
    other.evaluate(model.tokenize('kept'));
    const before = [...other.tokens];
    expect(() => other.restore(saved)).toThrow(SnapshotError);
    expect(() => other.restore(saved)).toThrow(/contextSize 64, this session has 32/);
    const same = model.createSession({ contextSize: 64, batchSize: 4 });
    expect(() => same.restore(saved.subarray(0, saved.length - 5))).toThrow(/truncated/);
    expect(() => same.restore(new Uint8Array(20))).toThrow(/not a Quire prompt snapshot/);
    expect(other.tokens).toEqual(before);
  });

  it('reports KV memory by layer kind', () => {
    const m = model.createSession({ contextSize: 64, batchSize: 8 }).memory();
    expect(m).toMatchObject({ globalLayers: 0, localLayers: 2, localCells: 12, bytesPerCell: 2 * 128 * 2 });
    expect(m.totalBytes).toBe(2 * 12 * 512);
  });
});

describe('sampler', () => {
  const logits = Float32Array.from([1, 5, 3, 4.5, -2]);
  it('greedy and temperature 0 take the argmax; top-k 1 too', () => {
    expect(argmax(logits)).toBe(1);
    expect(new Sampler({ greedy: true }).sample(logits, [])).toBe(1);
    expect(new Sampler({ temperature: 0 }).sample(logits, [])).toBe(1);
    expect(new Sampler({ topK: 1, seed: 1 }).sample(logits, [])).toBe(1);
  });
  it('top-k, top-p and min-p restrict the candidates; the repeat penalty lowers repeated tokens', () => {
    const draws = new Set(Array.from({ length: 200 }, (_, i) => new Sampler({ topK: 2, topP: 1, seed: i }).sample(logits, [])));
    expect([...draws].sort()).toEqual([1, 3]);
    const minP = new Set(Array.from({ length: 200 }, (_, i) => new Sampler({ topK: 0, topP: 1, minP: 0.5, seed: i }).sample(logits, [])));
    expect([...minP].sort()).toEqual([1, 3]);
    expect(new Sampler({ greedy: true, repeatPenalty: 2 }).sample(logits, [1])).toBe(3);
  });
});

describe('chat turns and streaming text', () => {
  it('renders Gemma 3 turns: system folded into the first user turn, assistant → model, trimmed content', () => {
    expect(renderGemma3Chat([{ role: 'system', content: 'Be brief.' }, { role: 'user', content: ' Hi ' }, { role: 'assistant', content: 'Hello' }, { role: 'user', content: [{ type: 'image' }, { type: 'text', text: ' What is this? ' }] }]))
      .toBe('<start_of_turn>user\nBe brief.\n\nHi<end_of_turn>\n<start_of_turn>model\nHello<end_of_turn>\n<start_of_turn>user\n<start_of_image>What is this?<end_of_turn>\n<start_of_turn>model\n');
    expect(() => renderGemma3Chat([{ role: 'assistant', content: 'x' }])).toThrow(ChatTemplateError);
    const ids = model.tokenizeChat([{ role: 'user', content: 'hi' }]);
    expect(ids.filter((t) => t === model.vocab.bosId)).toHaveLength(1);
    expect(ids).toContain(model.vocab.textToId.get('<start_of_turn>'));
  });

  it('never emits half a UTF-8 character', () => {
    const bytes = [...new TextEncoder().encode('é漢😀')].map((b) => model.vocab.byteIds[b]!);
    const decoder = new StreamingDecoder(model.vocab);
    const pieces = bytes.map((id) => decoder.push(id));
    expect(pieces.join('') + decoder.flush()).toBe('é漢😀');
    expect(pieces.every((p) => !p.includes('\ufffd'))).toBe(true);
    expect(pieces.filter((p) => p.length > 0)).toEqual(['é', '漢', '😀']);
  });
});

describe('q8_0 KV cache', () => {
  it('takes 34/64 of the f16 memory and keeps the next-token distribution close', () => {
    const tokens = model.tokenize('the quick brown fox jumps over the lazy dog again and again');
    const f16 = model.createSession({ contextSize: 64 });
    const q8 = model.createSession({ contextSize: 64, kvType: 'q8_0' });
    expect(q8.memory().totalBytes / f16.memory().totalBytes).toBeCloseTo(34 / 64, 10);
    const a = f16.evaluate(tokens, 'all');
    const b = q8.evaluate(tokens, 'all');
    const V = model.config.nVocab;
    let agree = 0;
    let worst = 0;
    for (let i = 0; i < tokens.length; i++) {
      const ra = a.subarray(i * V, (i + 1) * V);
      const rb = b.subarray(i * V, (i + 1) * V);
      if (argmax(ra) === argmax(rb)) agree++;
      const pa = softmax(ra);
      const pb = softmax(rb);
      for (let t = 0; t < V; t++) worst = Math.max(worst, Math.abs(pa[t]! - pb[t]!));
    }
    // 8-bit K/V (relative error ≈ 1/254 per value) moves probabilities by about a percent, not more.
    expect(agree).toBeGreaterThanOrEqual(tokens.length - 1);
    expect(worst).toBeLessThan(0.05);
    expect(worst).toBeGreaterThan(0); // the cache really is stored in 8 bits
  });
});

function softmax(logits: Float32Array): Float64Array {
  let max = -Infinity;
  for (const v of logits) max = Math.max(max, v);
  const out = Float64Array.from(logits, (v) => Math.exp(v - max));
  const sum = out.reduce((s, v) => s + v, 0);
  return out.map((v) => v / sum);
}
