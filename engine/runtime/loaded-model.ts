// loadModel(file) → a model with its tokenizer, ready to create sessions.
import type { Backend } from '../backend/backend.js';
import { NativeBackend } from '../backend/native-backend.js';
import { native, nativeLoadError } from '../backend/native/index.js';
import { openModelFile } from '../backend/native/open-file.js';
import { ReferenceBackend } from '../backend/reference/index.js';
import { type GgufFile, ggufFingerprint, readGguf } from '../gguf/index.js';
import { type Gemma3Config, readGemma3Config } from '../model/config.js';
import { Gemma3Model } from '../model/gemma3.js';
import { kvMemory, type KvCacheType, type KvMemoryReport } from '../model/kv-cache.js';
import { loadGemma3Weights } from '../model/weights.js';
import { SpmTokenizer, Vocabulary, detokenize, renderGemma3Chat, type ChatMessage } from '../tokenizer/index.js';
import { Session, type SessionOptions } from './session.js';

export interface LoadOptions {
  /** 'native' (default when the addon is built), 'reference', or a Backend instance. */
  backend?: Backend | 'native' | 'reference';
  /** Threads for the native backend (default: the physical cores). */
  threads?: number;
  /** Called once when the native backend was asked for (or is the default) but is not available. */
  onWarning?: (message: string) => void;
}

/** The backend loadModel would use for these options (native unless asked otherwise or not built). */
export function chooseBackend(options: LoadOptions): Backend {
  if (typeof options.backend === 'object') return options.backend;
  if (options.backend === 'reference') return new ReferenceBackend();
  if (native) return new NativeBackend(options.threads !== undefined ? { threads: options.threads } : {});
  options.onWarning?.(`the native backend is not available (${nativeLoadError ?? 'not built'}); using the slower TypeScript backend`);
  return new ReferenceBackend();
}

export class LoadedModel {
  readonly tokenizer: SpmTokenizer;

  constructor(
    readonly path: string,
    readonly file: GgufFile,
    readonly config: Gemma3Config,
    readonly vocab: Vocabulary,
    readonly model: Gemma3Model,
    /** ggufFingerprint of the file: keys saved prompt states. */
    readonly fingerprint: string,
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
  const backend = chooseBackend(options);
  // With the addon, the file is memory-mapped and tensors are views into it; otherwise they are read into memory.
  const source = openModelFile(path);
  try {
    const file = readGguf(source);
    const config = readGemma3Config(file.metadata);
    const vocab = Vocabulary.fromGguf(file.metadata);
    const weights = loadGemma3Weights(file, source, config);
    const model = new Gemma3Model(config, weights, backend);
    return new LoadedModel(path, file, config, vocab, model, ggufFingerprint(file, source));
  } finally {
    source.close();
  }
}
