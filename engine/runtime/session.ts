// A conversation's state on one loaded model: the tokens in its KV cache, chunked prefill, and generation as an
// async iterator of tokens with their text, cancellable with an AbortSignal.
import type { Gemma3Model } from '../model/gemma3.js';
import { HybridKvCache, type KvCacheType, type KvMemoryReport } from '../model/kv-cache.js';
import { StreamingDecoder, type Vocabulary } from '../tokenizer/index.js';
import { ContextOverflowError } from './errors.js';
import { Sampler, type SamplerOptions, type TokenProbability, topProbabilities } from './sampler.js';
import { SnapshotError, type SnapshotShape, decodeSessionState, encodeSessionState } from './session-snapshot.js';

/** What `tokens` holds at a position filled by image embeddings (not a vocabulary id; the sampler skips it). */
export const IMAGE_POSITION = -1;

export interface SessionOptions {
  /** Tokens the session can hold (default 4096, at most the model's trained context). */
  contextSize?: number;
  /** Tokens per forward pass during prefill (default 512). */
  batchSize?: number;
  /** KV cache storage: f16 (default, as llama.cpp) or q8_0 (0.53× the memory, slightly less exact). */
  kvType?: KvCacheType;
}

export interface GenerateOptions extends SamplerOptions {
  maxTokens?: number;
  signal?: AbortSignal;
  /** Also report the K most probable next tokens of the full softmax at every step. */
  topProbs?: number;
}

export interface GeneratedToken {
  token: number;
  /** Text that became complete with this token (may be empty in the middle of a UTF-8 character). */
  text: string;
  /** The model ended its turn: this is the end-of-generation token, and the last item. */
  eog?: true;
  top?: TokenProbability[];
}

export class Session {
  readonly contextSize: number;
  readonly batchSize: number;
  readonly kvType: KvCacheType;
  private cache: HybridKvCache;
  private readonly history: number[] = [];
  private nextImageBlock = 1;

  constructor(private readonly model: Gemma3Model, private readonly vocab: Vocabulary, options: SessionOptions = {}) {
    const trained = model.config.contextLength;
    this.contextSize = options.contextSize ?? Math.min(4096, trained);
    if (this.contextSize > trained) {
      throw new RangeError(`context ${this.contextSize} is larger than the ${trained} tokens this model was trained for`);
    }
    this.batchSize = options.batchSize ?? 512;
    this.kvType = options.kvType ?? 'f16';
    this.cache = this.newCache();
  }

  private newCache(): HybridKvCache {
    const backend = this.model.backend;
    return new HybridKvCache(this.model.config, this.contextSize, this.batchSize, this.kvType, backend.encodeF16?.bind(backend));
  }

  /** Tokens currently held by the session (IMAGE_POSITION where an image's embeddings sit). */
  get tokens(): readonly number[] {
    return this.history;
  }

  memory(): KvMemoryReport {
    return this.cache.memory();
  }

  /** The prompt state as bytes (tokens held and every layer's KV cells): restore() takes it back, here or elsewhere. */
  snapshot(): Uint8Array {
    return encodeSessionState({
      shape: this.snapshotShape(), history: Int32Array.from(this.history), nextImageBlock: this.nextImageBlock,
      layers: Array.from({ length: this.cache.layerCount }, (_, l) => this.cache.layer(l).state()),
    });
  }

  /**
   * Replaces this session's state with a snapshot() of a session of the same model and shape (context, batch and KV
   * type). The caller keys snapshots by model file; a mismatched or damaged one raises SnapshotError and leaves the
   * session as it was.
   */
  restore(data: Uint8Array): void {
    const state = decodeSessionState(data);
    const want = this.snapshotShape();
    for (const key of Object.keys(want) as (keyof SnapshotShape)[]) {
      if (state.shape[key] !== want[key]) throw new SnapshotError(`the snapshot was taken with ${key} ${state.shape[key]}, this session has ${want[key]}`);
    }
    if (state.layers.length !== want.nLayer || state.history.length > this.contextSize) throw new SnapshotError('the snapshot does not match this model');
    const cache = this.newCache();
    try {
      state.layers.forEach((layer, l) => cache.layer(l).load(layer));
    } catch (error) {
      throw new SnapshotError(`the snapshot does not match this model: ${(error as Error).message}`);
    }
    this.cache = cache;
    this.history.length = 0;
    this.history.push(...state.history);
    this.nextImageBlock = state.nextImageBlock;
  }

  private snapshotShape(): SnapshotShape {
    const { nLayer, nEmbd } = this.model.config;
    return { contextSize: this.contextSize, batchSize: this.batchSize, kvType: this.kvType, nLayer, nEmbd };
  }

  reset(): void {
    this.history.length = 0;
    this.nextImageBlock = 1;
    this.cache = this.newCache();
  }

  /**
   * Appends `tokens` to the session in chunks of batchSize and returns logits: of every new position
   * ([tokens.length, nVocab]) with 'all', or of the last one with 'last'.
   */
  evaluate(tokens: number[], logits: 'all' | 'last' = 'last'): Float32Array {
    if (tokens.length === 0) throw new RangeError('nothing to evaluate');
    if (this.history.length + tokens.length > this.contextSize) {
      throw new ContextOverflowError(tokens.length, this.contextSize, this.history.length);
    }
    const nVocab = this.model.config.nVocab;
    const out = new Float32Array((logits === 'all' ? tokens.length : 1) * nVocab);
    for (let start = 0; start < tokens.length; start += this.batchSize) {
      const chunk = tokens.slice(start, start + this.batchSize);
      const isLast = start + chunk.length === tokens.length;
      const result = this.model.forward({ tokens: chunk, startPos: this.history.length, logits: logits === 'all' ? 'all' : 'last' }, this.cache);
      this.history.push(...chunk);
      if (logits === 'all') out.set(result, start * nVocab);
      else if (isLast) out.set(result);
    }
    return out;
  }

  /**
   * Appends an image's embeddings (rows of the model's width, as the projector returns them — not scaled by √d) at
   * consecutive positions, as one batch whose rows attend to each other in both directions (ENGINE-SPEC §6.5); the
   * caller places the <start_of_image> and <end_of_image> tokens around it. Returns the logits after the last row.
   */
  evaluateImage(embeddings: Float32Array): Float32Array {
    const width = this.model.config.nEmbd;
    const rows = embeddings.length / width;
    if (!Number.isInteger(rows) || rows < 1) throw new RangeError(`image embeddings must be whole rows of ${width} values, got ${embeddings.length}`);
    if (rows > this.batchSize) {
      throw new RangeError(`an image of ${rows} embeddings must be evaluated in one batch: use a batch size of at least ${rows} (this session has ${this.batchSize})`);
    }
    if (this.history.length + rows > this.contextSize) throw new ContextOverflowError(rows, this.contextSize, this.history.length);
    const block = this.nextImageBlock++;
    const logits = this.model.forward({
      tokens: new Array<null>(rows).fill(null), embeddings, startPos: this.history.length,
      blocks: new Int32Array(rows).fill(block), logits: 'last',
    }, this.cache);
    for (let i = 0; i < rows; i++) this.history.push(IMAGE_POSITION);
    return logits;
  }

  /** Evaluates `prompt` (when non-empty) and then samples up to maxTokens, stopping at an end-of-generation token. */
  async *generate(prompt: number[], options: GenerateOptions = {}): AsyncGenerator<GeneratedToken> {
    const sampler = new Sampler(options);
    const decoder = new StreamingDecoder(this.vocab);
    const maxTokens = options.maxTokens ?? this.contextSize - this.history.length - prompt.length;
    if (prompt.length > 0 && this.history.length + prompt.length >= this.contextSize) {
      throw new ContextOverflowError(prompt.length + 1, this.contextSize, this.history.length);
    }
    let logits = prompt.length > 0 ? this.evaluate(prompt) : undefined;
    if (!logits) throw new RangeError('generate needs a prompt');
    for (let i = 0; i < maxTokens; i++) {
      options.signal?.throwIfAborted();
      const top = options.topProbs ? topProbabilities(logits, options.topProbs) : undefined;
      const token = sampler.sample(logits, this.history);
      if (this.vocab.isEog(token)) {
        yield { token, text: decoder.flush(), eog: true, ...(top ? { top } : {}) };
        return;
      }
      yield { token, text: decoder.push(token), ...(top ? { top } : {}) };
      if (this.history.length >= this.contextSize) throw new ContextOverflowError(1, this.contextSize, this.history.length);
      await new Promise<void>((resolve) => setImmediate(resolve)); // let cancellation and I/O in between tokens
      logits = this.evaluate([token]);
    }
  }
}
