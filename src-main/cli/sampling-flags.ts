// Sampling flags shared by `quire generate` and `quire chat`.
import type { SamplerOptions } from '../../engine/runtime/index.js';
import { integerOption, numberOption } from './args.js';

export const samplingFlagSpec = {
  greedy: { type: 'boolean' },
  temp: { type: 'string' },
  'top-k': { type: 'string' },
  'top-p': { type: 'string' },
  'min-p': { type: 'string' },
  'repeat-penalty': { type: 'string' },
  seed: { type: 'string' },
  'ctx-size': { type: 'string' },
} as const;

export const samplingUsage = `  --greedy                always take the most probable token
  --temp F --top-k N --top-p F --min-p F --repeat-penalty F
                          sampling (defaults: Gemma 3's recommended temp 1, top-k 64, top-p 0.95, min-p 0)
  --seed N                random seed for sampling
  --ctx-size N            context size in tokens (default 4096, at most the model's)`;

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
