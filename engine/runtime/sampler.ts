// Next-token selection. The chain follows llama.cpp's order: repetition penalty → top-k → top-p → min-p →
// temperature → draw. Defaults are Gemma 3's recommended settings (ENGINE-SPEC §9): temperature 1, top-k 64,
// top-p 0.95, min-p 0, no repetition penalty.
import { Random } from '../util/random.js';

export interface SamplerOptions {
  greedy?: boolean;
  temperature?: number;
  topK?: number;
  topP?: number;
  minP?: number;
  repeatPenalty?: number;
  repeatLastN?: number;
  seed?: number;
}

export const GEMMA3_SAMPLING_DEFAULTS = { temperature: 1, topK: 64, topP: 0.95, minP: 0, repeatPenalty: 1, repeatLastN: 64 } as const;

export interface TokenProbability {
  token: number;
  p: number;
}

/** The full softmax of `logits` (in double), and its K most probable tokens. */
export function topProbabilities(logits: Float32Array, k: number): TokenProbability[] {
  let max = -Infinity;
  for (const v of logits) if (v > max) max = v;
  let sum = 0;
  for (const v of logits) sum += Math.exp(v - max);
  const top: TokenProbability[] = [];
  for (let i = 0; i < logits.length; i++) {
    const p = Math.exp(logits[i]! - max) / sum;
    if (top.length < k || p > top[top.length - 1]!.p) {
      top.push({ token: i, p });
      top.sort((a, b) => b.p - a.p || a.token - b.token);
      if (top.length > k) top.pop();
    }
  }
  return top;
}

export function argmax(logits: Float32Array): number {
  let best = 0;
  for (let i = 1; i < logits.length; i++) if (logits[i]! > logits[best]!) best = i;
  return best;
}

export class Sampler {
  private readonly random: Random;
  private readonly o: Required<Omit<SamplerOptions, 'seed'>>;

  constructor(options: SamplerOptions = {}) {
    this.o = { greedy: false, ...GEMMA3_SAMPLING_DEFAULTS, ...stripUndefined(options) } as Required<Omit<SamplerOptions, 'seed'>>;
    this.random = new Random(options.seed ?? Date.now() >>> 0, 'sampler');
    if (this.o.temperature < 0) throw new RangeError(`temperature must be ≥ 0, got ${this.o.temperature}`);
  }

  sample(logits: Float32Array, history: readonly number[]): number {
    const o = this.o;
    const scores = Float32Array.from(logits);
    if (o.repeatPenalty !== 1) {
      for (const t of new Set(history.slice(-o.repeatLastN))) {
        if (t < 0) continue;  // an image position (Session's IMAGE_POSITION), not a token
        scores[t] = scores[t]! > 0 ? scores[t]! / o.repeatPenalty : scores[t]! * o.repeatPenalty;
      }
    }
    if (o.greedy || o.temperature === 0) return argmax(scores);
    let candidates = Array.from(scores, (logit, token) => ({ token, logit })).sort((a, b) => b.logit - a.logit);
    if (o.topK > 0) candidates = candidates.slice(0, o.topK);
    const probs = (list: typeof candidates): number[] => {
      const max = list[0]!.logit;
      const e = list.map((c) => Math.exp(c.logit - max));
      const s = e.reduce((a, b) => a + b, 0);
      return e.map((v) => v / s);
    };
    if (o.topP < 1) {
      const p = probs(candidates);
      let cumulative = 0;
      let keep = candidates.length;
      for (let i = 0; i < p.length; i++) {
        cumulative += p[i]!;
        if (cumulative >= o.topP) {
          keep = i + 1;
          break;
        }
      }
      candidates = candidates.slice(0, keep);
    }
    if (o.minP > 0) {
      const p = probs(candidates);
      const threshold = p[0]! * o.minP;
      candidates = candidates.filter((_, i) => p[i]! >= threshold);
    }
    const scaled = candidates.map((c) => ({ token: c.token, logit: c.logit / o.temperature }));
    const p = probs(scaled);
    let r = (this.random.nextSigned() + 1) / 2;
    for (let i = 0; i < p.length; i++) {
      r -= p[i]!;
      if (r <= 0) return scaled[i]!.token;
    }
    return scaled[scaled.length - 1]!.token;
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
