// loadModel(file) → a model with its tokenizer, ready to create sessions.
import type { Backend } from '../backend/backend.js';
import { ReferenceBackend } from '../backend/reference/index.js';
import { FileByteSource, type GgufFile, readGguf } from '../gguf/index.js';
import { type Gemma3Config, readGemma3Config } from '../model/config.js';
import { Gemma3Model } from '../model/gemma3.js';
import { kvMemory, type KvCacheType, type KvMemoryReport } from '../model/kv-cache.js';
import { loadGemma3Weights } from '../model/weights.js';
import { SpmTokenizer, Vocabulary, detokenize, renderGemma3Chat, type ChatMessage } from '../tokenizer/index.js';
import { Session, type SessionOptions } from './session.js';

export interface LoadOptions {
  backend?: Backend;
}

export class LoadedModel {
  readonly tokenizer: SpmTokenizer;

  constructor(
    readonly path: string,
    readonly file: GgufFile,
    readonly config: Gemma3Config,
    readonly vocab: Vocabulary,
    readonly model: Gemma3Model,
  ) {
    this.tokenizer = new SpmTokenizer(vocab);
  }

  tokenize(text: string, options: { addSpecial?: boolean; parseSpecial?: boolean } = {}): number[] {
    return this.tokenizer.tokenize(text, options.addSpecial ?? true, options.parseSpecial ?? false);
  }

  detokenize(ids: number[], renderSpecial = false): string {
    return detokenize(this.vocab, ids, renderSpecial);
  }

  /** Chat messages as Gemma 3 turns, tokenized with one BOS and the turn markers parsed as special tokens. */
  tokenizeChat(messages: ChatMessage[], addGenerationPrompt = true): number[] {
    return this.tokenize(renderGemma3Chat(messages, addGenerationPrompt), { addSpecial: true, parseSpecial: true });
  }

  createSession(options: SessionOptions = {}): Session {
    return new Session(this.model, this.vocab, options);
  }

  /** The KV cache a session of this size would reserve, without creating it. */
  estimateKvMemory(contextSize: number, batchSize = 512, kvType: KvCacheType = 'f16'): KvMemoryReport {
    return kvMemory(this.config, contextSize, batchSize, kvType);
  }
}

export async function loadModel(path: string, options: LoadOptions = {}): Promise<LoadedModel> {
  const source = new FileByteSource(path);
  try {
    const file = readGguf(source);
    const config = readGemma3Config(file.metadata);
    const vocab = Vocabulary.fromGguf(file.metadata);
    const weights = loadGemma3Weights(file, source, config);
    const model = new Gemma3Model(config, weights, options.backend ?? new ReferenceBackend());
    return new LoadedModel(path, file, config, vocab, model);
  } finally {
    source.close();
  }
}
