// The messages between the engine host (main process) and the engine process. Requests carry an id; the engine
// answers each with events (streamed tokens) and then exactly one `done` or `error`. Typed arrays travel as they are
// (Node's advanced serialization; Electron's structured clone), so image embeddings and snapshots are not copied
// through JSON.
import type { KvCacheType, KvMemoryReport } from '../../../engine/model/kv-cache.js';
import type { JsonFieldsResult } from '../../../engine/runtime/json-fields.js';
import type { SamplerOptions } from '../../../engine/runtime/sampler.js';
import type { ChatMessage } from '../../../engine/tokenizer/index.js';
import type { PanAndScanOptions } from '../../../engine/vision/pan-and-scan.js';
import type { RgbImage } from '../../../engine/vision/preprocess.js';

export interface LoadRequest {
  model: string;
  mmproj?: string;
  threads?: number;
  backend?: 'native' | 'reference';
  contextSize?: number;
  batchSize?: number;
  kvType?: KvCacheType;
}

export interface LoadedInfo {
  model: string;
  fingerprint: string;
  contextSize: number;
  trainedContext: number;
  nEmbd: number;
  vision?: { path: string; fingerprint: string; tokensPerImage: number };
}

/** Something to append to the session: tokens, or one image's projected embeddings (a bidirectional block). */
export type PromptPart = { tokens: number[] } | { image: Float32Array };

export interface GenerateRequest {
  /** Appended before sampling (may be empty when the session already ends where the answer starts). */
  prompt: PromptPart[];
  sampling?: SamplerOptions;
  maxTokens?: number;
}

export interface GenerateResult {
  tokens: number[];
  text: string;
  /** Why it stopped: an end-of-generation token, the token limit, or a cancel. */
  stop: 'eog' | 'max-tokens' | 'cancelled';
}

export interface EngineState {
  tokens: number;
  contextSize: number;
  kv: KvMemoryReport;
  rssBytes: number;
}

/** op → [request payload, result]. */
export interface EngineOps {
  load: [LoadRequest, LoadedInfo];
  tokenize: [{ text: string; addSpecial?: boolean; parseSpecial?: boolean }, number[]];
  /** Tokens of each text on its own (no BOS, special markers as text): what the planner budgets with. */
  countTokens: [{ texts: string[] }, number[]];
  tokenizeChat: [{ messages: ChatMessage[]; addGenerationPrompt?: boolean }, number[]];
  reset: [Record<string, never>, null];
  evaluate: [{ prompt: PromptPart[] }, { tokens: number }];
  generate: [GenerateRequest, GenerateResult];
  /** The prompt, then one JSON object of these fields ({value, page} each), decoded under that schema. */
  generateJson: [{ prompt: PromptPart[]; keys: string[]; sampling?: SamplerOptions; maxValueTokens?: number }, JsonFieldsResult];
  embedImage: [{ image: RgbImage; panAndScan?: PanAndScanOptions | false }, { embeddings: Float32Array[]; crops: number; fingerprint: string }];
  snapshot: [Record<string, never>, { data: Uint8Array; tokens: number }];
  restore: [{ data: Uint8Array }, { tokens: number }];
  state: [Record<string, never>, EngineState];
}

export type EngineOp = keyof EngineOps;

export type EngineRequest = { [K in EngineOp]: { id: number; op: K; payload: EngineOps[K][0] } }[EngineOp] | { id: number; op: 'cancel'; target: number };

export type EngineReply =
  | { id: number; type: 'token'; token: number; text: string }
  | { id: number; type: 'progress'; done: number; total: number }
  | { id: number; type: 'done'; result: unknown }
  | { id: number; type: 'error'; error: { name: string; message: string } };
