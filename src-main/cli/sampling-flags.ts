// Sampling flags shared by `quire generate` and `quire chat`.
import type { LoadOptions, SamplerOptions, SessionOptions } from '../../engine/runtime/index.js';
import { integerOption, numberOption } from './args.js';
import { UsageError } from './usage-error.js';

export const samplingFlagSpec = {
  greedy: { type: 'boolean' },
  temp: { type: 'string' },
  'top-k': { type: 'string' },
  'top-p': { type: 'string' },
  'min-p': { type: 'string' },
  'repeat-penalty': { type: 'string' },
  seed: { type: 'string' },
  'ctx-size': { type: 'string' },
  'kv-type': { type: 'string' },
  backend: { type: 'string' },
  threads: { type: 'string' },
} as const;

export const samplingUsage = `  --greedy                always take the most probable token
  --temp F --top-k N --top-p F --min-p F --repeat-penalty F
                          sampling (defaults: Gemma 3's recommended temp 1, top-k 64, top-p 0.95, min-p 0)
  --seed N                random seed for sampling
  --ctx-size N            context size in tokens (default 4096, at most the model's)
  --kv-type f16|q8_0      KV cache storage (default f16; q8_0 takes 0.53× the memory)
  --backend native|reference   compute backend (default native when built)
  --threads N             threads for the native backend (default: the physical cores)`;

export function samplingFromFlags(values: Record<string, string | boolean | undefined>): SamplerOptions {
  const o: SamplerOptions = {};
  if (values.greedy) o.greedy = true;
  const set = <K extends keyof SamplerOptions>(key: K, v: SamplerOptions[K] | undefined): void => {
    if (v !== undefined) o[key] = v;
  };
  set('temperature', numberOption(values.temp as string | undefined, '--temp'));
  set('topK', integerOption(values['top-k'] as string | undefined, '--top-k'));
  set('topP', numberOption(values['top-p'] as string | undefined, '--top-p'));
  set('minP', numberOption(values['min-p'] as string | undefined, '--min-p'));
  set('repeatPenalty', numberOption(values['repeat-penalty'] as string | undefined, '--repeat-penalty'));
  set('seed', integerOption(values.seed as string | undefined, '--seed'));
  return o;
}

/** Session options from --ctx-size and --kv-type. */
export function sessionFromFlags(values: Record<string, string | boolean | undefined>): SessionOptions {
  const o: SessionOptions = {};
  const contextSize = integerOption(values['ctx-size'] as string | undefined, '--ctx-size', 16);
  if (contextSize !== undefined) o.contextSize = contextSize;
  const kvType = values['kv-type'];
  if (kvType !== undefined) {
    if (kvType !== 'f16' && kvType !== 'q8_0') throw new UsageError(`--kv-type must be f16 or q8_0, got "${String(kvType)}"`);
    o.kvType = kvType;
  }
  return o;
}

/** Model-loading options from --backend and --threads; a missing native backend is reported once on stderr. */
export function loadFromFlags(values: Record<string, string | boolean | undefined>): LoadOptions {
  const backend = values.backend;
  if (backend !== undefined && backend !== 'native' && backend !== 'reference') {
    throw new UsageError(`--backend must be native or reference, got "${String(backend)}"`);
  }
  const o: LoadOptions = { onWarning: (message) => process.stderr.write(`quire: warning: ${message}\n`) };
  if (backend) o.backend = backend;
  const threads = integerOption(values.threads as string | undefined, '--threads', 1);
  if (threads !== undefined) o.threads = threads;
  return o;
}
