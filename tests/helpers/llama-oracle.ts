// llama.cpp (node-llama-cpp 3.21.1, CPU) as the oracle: one Llama per test file, models loaded per test.
import { type Llama, type LlamaModel, getLlama } from 'node-llama-cpp';

let llama: Promise<Llama> | undefined;

export function oracle(): Promise<Llama> {
  llama ??= getLlama({ gpu: false, build: 'never', progressLogs: false, logLevel: 'error' as never });
  return llama;
}

export async function loadOracleModel(path: string): Promise<LlamaModel> {
  return (await oracle()).loadModel({ modelPath: path });
}

export interface NextTokenDistribution {
  token: number;
  probabilities: Map<number, number>;
}

/**
 * Evaluates `tokens` and then samples `steps` tokens, returning the full next-token distribution of each step
 * (temperature 1 and no truncation, so the probabilities are the plain softmax of the logits).
 */
export async function nextTokenDistributions(model: LlamaModel, tokens: number[], steps: number): Promise<NextTokenDistribution[]> {
  const context = await model.createContext({ contextSize: 256, flashAttention: false, threads: 2 });
  try {
    const sequence = context.getSequence();
    const out: NextTokenDistribution[] = [];
    const iterator = sequence.evaluateWithMetadata(tokens as never, { probabilities: true }, { temperature: 1, topK: 0, topP: 1, minP: 0, seed: 1 });
    for await (const item of iterator) {
      out.push({ token: item.token as number, probabilities: item.probabilities as Map<number, number> });
      if (out.length >= steps) break;
    }
    return out;
  } finally {
    await context.dispose();
  }
}

/**
 * Teacher-forced distributions: feeds `tokens` in one controlled evaluation and returns, for every position, the
 * full next-token distribution llama.cpp computed there (sorted, most probable first).
 */
export async function teacherForcedDistributions(model: LlamaModel, tokens: number[], contextSize = 512): Promise<Map<number, number>[]> {
  const context = await model.createContext({ contextSize, flashAttention: false, threads: 2, batchSize: Math.max(256, tokens.length) });
  try {
    const sequence = context.getSequence();
    const input = tokens.map((t) => [t, { generateNext: { probabilities: true, options: { temperature: 1, topK: 0, topP: 1, minP: 0 } } }] as const);
    const out = await sequence.controlledEvaluate(input as never);
    return out.map((o, i) => {
      const p = o?.next.probabilities;
      if (!p) throw new Error(`llama.cpp returned no probabilities at position ${i}`);
      return p as Map<number, number>;
    });
  } finally {
    await context.dispose();
  }
}
