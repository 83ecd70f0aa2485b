// SentencePiece-style tokenization exactly as llama.cpp does it for vocab type SPM (ENGINE-SPEC §5.1):
// special/user-defined tokens are cut out first (longest first), then each remaining fragment has spaces escaped
// to ▁ and is merged pairwise by highest score (leftmost on ties), with byte fallback for what never formed a token.
import { TokenAttr, type Vocabulary } from './vocabulary.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

type Fragment = { text: string } | { token: number };

interface Symbol {
  start: number; // byte offset in the fragment
  n: number; // byte length (0 once merged away)
  prev: number;
  next: number;
}

interface Bigram {
  left: number;
  right: number;
  score: number;
  size: number;
}

/** A binary max-heap of bigrams: highest score first, then leftmost. */
class BigramQueue {
  private heap: Bigram[] = [];
  get size(): number {
    return this.heap.length;
  }
  private before(a: Bigram, b: Bigram): boolean {
    return a.score > b.score || (a.score === b.score && a.left < b.left);
  }
  push(b: Bigram): void {
    const h = this.heap;
    h.push(b);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(h[i]!, h[parent]!)) break;
      [h[i], h[parent]] = [h[parent]!, h[i]!];
      i = parent;
    }
  }
  pop(): Bigram {
    const h = this.heap;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let best = i;
        if (l < h.length && this.before(h[l]!, h[best]!)) best = l;
        if (r < h.length && this.before(h[r]!, h[best]!)) best = r;
        if (best === i) break;
        [h[i], h[best]] = [h[best]!, h[i]!];
        i = best;
      }
    }
    return top;
  }
}

export class SpmTokenizer {
  /** Special and user-defined tokens, longest text first (llama.cpp's cache_special_tokens). */
  private readonly specials: { id: number; text: string; attr: number }[];

  constructor(private readonly vocab: Vocabulary) {
    const specials: { id: number; text: string; attr: number; bytes: number }[] = [];
    vocab.texts.forEach((text, id) => {
      const attr = vocab.attrs[id]!;
      if (text.length > 0 && (attr === TokenAttr.CONTROL || attr === TokenAttr.USER_DEFINED || attr === TokenAttr.UNKNOWN)) {
        specials.push({ id, text, attr, bytes: encoder.encode(text).length });
      }
    });
    specials.sort((a, b) => b.bytes - a.bytes || a.id - b.id);
    this.specials = specials;
  }

  /** Token ids for `text`; `addSpecial` adds BOS (and EOS) as the file asks; `parseSpecial` lets control-token text match. */
  tokenize(text: string, addSpecial = true, parseSpecial = false): number[] {
    const output: number[] = [];
    if (addSpecial && this.vocab.addBos) output.push(this.vocab.bosId);
    let previousSpecial = true;
    for (const fragment of this.partition(text, parseSpecial)) {
      if ('token' in fragment) {
        output.push(fragment.token);
        previousSpecial = true;
        continue;
      }
      const prefixed = this.vocab.addSpacePrefix && previousSpecial ? ` ${fragment.text}` : fragment.text;
      this.tokenizeFragment(prefixed.replaceAll(' ', '\u2581'), output);
      previousSpecial = false;
    }
    if (addSpecial && this.vocab.addEos) output.push(this.vocab.eosId);
    return output;
  }

  private partition(text: string, parseSpecial: boolean): Fragment[] {
    let fragments: Fragment[] = text.length > 0 ? [{ text }] : [];
    for (const special of this.specials) {
      if (!parseSpecial && (special.attr === TokenAttr.CONTROL || special.attr === TokenAttr.UNKNOWN)) continue;
      if (!fragments.some((f) => 'text' in f && f.text.includes(special.text))) continue;
      const next: Fragment[] = [];
      for (const f of fragments) {
        if (!('text' in f)) {
          next.push(f);
          continue;
        }
        let from = 0;
        for (let at = f.text.indexOf(special.text); at >= 0; at = f.text.indexOf(special.text, from)) {
          if (at > from) next.push({ text: f.text.slice(from, at) });
          next.push({ token: special.id });
          from = at + special.text.length;
        }
        if (from < f.text.length) next.push({ text: f.text.slice(from) });
      }
      fragments = next;
    }
    return fragments;
  }

  private tokenizeFragment(text: string, output: number[]): void {
    const bytes = encoder.encode(text);
    const symbols: Symbol[] = [];
    for (let offset = 0; offset < bytes.length;) {
      const n = Math.min(bytes.length - offset, utf8Length(bytes[offset]!));
      symbols.push({ start: offset, n, prev: symbols.length - 1, next: offset + n < bytes.length ? symbols.length + 1 : -1 });
      offset += n;
    }
    const queue = new BigramQueue();
    const revMerge = new Map<string, [number, number]>();
    const textOf = (start: number, n: number): string => decoder.decode(bytes.subarray(start, start + n));
    const tryAddBigram = (left: number, right: number): void => {
      if (left < 0 || right < 0) return;
      const l = symbols[left]!;
      const r = symbols[right]!;
      const merged = textOf(l.start, l.n + r.n);
      const id = this.vocab.textToId.get(merged);
      if (id === undefined) return;
      queue.push({ left, right, score: this.vocab.scores[id]!, size: l.n + r.n });
      revMerge.set(merged, [left, right]);
    };
    for (let i = 1; i < symbols.length; i++) tryAddBigram(i - 1, i);
    while (queue.size > 0) {
      const bigram = queue.pop();
      const left = symbols[bigram.left]!;
      const right = symbols[bigram.right]!;
      if (left.n === 0 || right.n === 0 || left.n + right.n !== bigram.size) continue; // stale
      left.n += right.n;
      right.n = 0;
      left.next = right.next;
      if (right.next >= 0) symbols[right.next]!.prev = bigram.left;
      tryAddBigram(left.prev, bigram.left);
      tryAddBigram(bigram.left, left.next);
    }
    const resegment = (index: number): void => {
      const s = symbols[index]!;
      const piece = textOf(s.start, s.n);
      const id = this.vocab.textToId.get(piece);
      if (id !== undefined) {
        output.push(id);
        return;
      }
      const merge = revMerge.get(piece);
      if (merge) {
        resegment(merge[0]);
        resegment(merge[1]);
        return;
      }
      for (let j = 0; j < s.n; j++) {
        const byteId = this.vocab.byteIds[bytes[s.start + j]!]!;
        output.push(byteId >= 0 ? byteId : this.vocab.unkId);
      }
    };
    for (let i = 0; i !== -1 && i < symbols.length; i = symbols[i]!.next) resegment(i);
  }
}

/** Bytes in the UTF-8 sequence a lead byte starts (llama.cpp's unicode_len_utf8; stray bytes count as one). */
function utf8Length(lead: number): number {
  if (lead < 0x80) return 1;
  if ((lead & 0xe0) === 0xc0) return 2;
  if ((lead & 0xf0) === 0xe0) return 3;
  if ((lead & 0xf8) === 0xf0) return 4;
  return 1;
}
