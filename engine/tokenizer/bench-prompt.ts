// The benchmark prompt: BOS, then pseudo-random ordinary tokens (no control tokens) from a fixed seed, so that
// `quire bench` and the llama.cpp side of `npm run bench:engine` evaluate exactly the same tokens.
import { TokenAttr, type Vocabulary } from './vocabulary.js';

export function benchPrompt(vocab: Vocabulary, length: number): number[] {
  const ordinary: number[] = [];
  vocab.attrs.forEach((attr, id) => {
    if (attr === TokenAttr.NORMAL) ordinary.push(id);
  });
  let state = 12345;
  const tokens = Array.from({ length }, () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return ordinary[state % ordinary.length]!;
  });
  tokens[0] = vocab.bosId;
  return tokens;
}
