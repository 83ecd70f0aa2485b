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
