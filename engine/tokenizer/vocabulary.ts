// The vocabulary as llama.cpp loads it from a "llama" (SentencePiece) GGUF: texts, scores, token types and the
// special ids. ref: ENGINE-SPEC §3.2, §5
import { GgufFormatError } from '../errors.js';
import { type GgufMetadata, GgufType, getArray, getBool, getInteger, getString } from '../gguf/index.js';

export enum TokenAttr {
  NORMAL = 1,
  UNKNOWN = 2,
  CONTROL = 3,
  USER_DEFINED = 4,
  UNUSED = 5,
  BYTE = 6,
}

/** Texts llama.cpp treats as end-of-generation (and re-types as CONTROL when a file marks them otherwise). */
const EOG_TEXTS = new Set(['<|eot_id|>', '<|im_end|>', '<|end|>', '<end_of_turn>', '<|endoftext|>', '<EOT>', '_<EOT>', '<|end_of_text|>', '</s>', '<eos>']);

export class Vocabulary {
  readonly size: number;
  readonly textToId = new Map<string, number>();
  readonly eogIds = new Set<number>();
  readonly byteIds = new Int32Array(256).fill(-1);

  constructor(
    readonly texts: string[],
    readonly scores: Float32Array,
    readonly attrs: Int32Array,
    readonly bosId: number,
    readonly eosId: number,
    readonly unkId: number,
    readonly addBos: boolean,
    readonly addEos: boolean,
    readonly addSpacePrefix: boolean,
    readonly chatTemplate: string | undefined,
  ) {
    this.size = texts.length;
    // Later duplicates win, as in llama.cpp's token_to_id map.
    texts.forEach((t, id) => this.textToId.set(t, id));
    for (let b = 0; b < 256; b++) {
      const id = this.textToId.get(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`);
      if (id !== undefined) this.byteIds[b] = id;
    }
    if (eosId >= 0) this.eogIds.add(eosId);
    texts.forEach((t, id) => {
      if (!EOG_TEXTS.has(t)) return;
      this.eogIds.add(id);
      if (attrs[id] !== TokenAttr.CONTROL) attrs[id] = TokenAttr.CONTROL;
    });
  }

  isEog(id: number): boolean {
    return this.eogIds.has(id);
  }

  static fromGguf(md: GgufMetadata): Vocabulary {
    const model = getString(md, 'tokenizer.ggml.model');
    if (model !== 'llama') {
      throw new GgufFormatError('bad-metadata-type', 'tokenizer.ggml.model', '"llama" (SentencePiece, as Gemma 3 uses)', JSON.stringify(model ?? null), -1);
    }
    const tokens = getArray(md, 'tokenizer.ggml.tokens');
    if (!tokens || tokens.itemType !== GgufType.STRING) {
      throw new GgufFormatError('bad-metadata-type', 'tokenizer.ggml.tokens', 'an array of strings', tokens ? 'another array' : 'nothing', -1);
    }
    const n = tokens.items.length;
    const scoresArray = getArray(md, 'tokenizer.ggml.scores');
    const scores = new Float32Array(n);
    if (scoresArray && scoresArray.itemType === GgufType.FLOAT32 && scoresArray.items.length === n) scores.set(scoresArray.items as Float32Array);
    const typesArray = getArray(md, 'tokenizer.ggml.token_type');
    const attrs = new Int32Array(n).fill(TokenAttr.NORMAL);
    if (typesArray && typesArray.items.length === n && typesArray.itemType !== GgufType.STRING && typesArray.itemType !== GgufType.ARRAY) {
      for (let i = 0; i < n; i++) attrs[i] = Number((typesArray.items as ArrayLike<number>)[i]);
    }
    const id = (key: string, fallback: number): number => getInteger(md, key) ?? fallback;
    return new Vocabulary(
      tokens.items, scores, attrs,
      id('tokenizer.ggml.bos_token_id', 1), id('tokenizer.ggml.eos_token_id', 2), id('tokenizer.ggml.unknown_token_id', 0),
      getBool(md, 'tokenizer.ggml.add_bos_token') ?? true,
      getBool(md, 'tokenizer.ggml.add_eos_token') ?? false,
      getBool(md, 'tokenizer.ggml.add_space_prefix') ?? true,
      getString(md, 'tokenizer.chat_template'),
    );
  }
}
