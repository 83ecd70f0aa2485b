// Token ids back to text, as llama.cpp's token_to_piece does for SPM vocabularies (▁ → space, <0xXX> → the raw
// byte, control tokens only when asked), and a streaming decoder that never emits half a UTF-8 character.
import { TokenAttr, type Vocabulary } from './vocabulary.js';

const encoder = new TextEncoder();

export function tokenBytes(vocab: Vocabulary, id: number, renderSpecial = false): Uint8Array {
  const attr = vocab.attrs[id];
  const text = vocab.texts[id];
  if (attr === undefined || text === undefined) return new Uint8Array(0);
  if (attr === TokenAttr.BYTE) {
    const match = /^<0x([0-9A-Fa-f]{2})>$/.exec(text);
    return match ? Uint8Array.of(parseInt(match[1]!, 16)) : new Uint8Array(0);
  }
  if (attr === TokenAttr.CONTROL || attr === TokenAttr.UNKNOWN) return renderSpecial ? encoder.encode(text) : new Uint8Array(0);
  if (attr === TokenAttr.USER_DEFINED) return encoder.encode(text);
  if (attr === TokenAttr.NORMAL) return encoder.encode(text.replaceAll('\u2581', ' '));
  return new Uint8Array(0); // UNUSED and unknown types are suppressed, as llama.cpp does
}

export function detokenize(vocab: Vocabulary, ids: number[], renderSpecial = false): string {
  const decoder = new StreamingDecoder(vocab, renderSpecial);
  return ids.map((id) => decoder.push(id)).join('') + decoder.flush();
}

/** Feeds tokens one at a time; each push returns the text that is now complete. */
export class StreamingDecoder {
  private pending = new Uint8Array(0);
  private readonly decoder = new TextDecoder('utf-8', { ignoreBOM: true });

  constructor(private readonly vocab: Vocabulary, private readonly renderSpecial = false) {}

  push(id: number): string {
    const bytes = tokenBytes(this.vocab, id, this.renderSpecial);
    const all = new Uint8Array(this.pending.length + bytes.length);
    all.set(this.pending);
    all.set(bytes, this.pending.length);
    const complete = completeUtf8Prefix(all);
    this.pending = all.slice(complete);
    return this.decoder.decode(all.subarray(0, complete));
  }

  /** Whatever is left (an incomplete sequence decodes to U+FFFD). */
  flush(): string {
    const rest = this.decoder.decode(this.pending);
    this.pending = new Uint8Array(0);
    return rest;
  }
}

/** Length of the prefix that does not end inside a UTF-8 sequence that could still be completed. */
function completeUtf8Prefix(bytes: Uint8Array): number {
  const n = bytes.length;
  for (let back = 1; back <= Math.min(3, n); back++) {
    const b = bytes[n - back]!;
    if ((b & 0xc0) === 0x80) continue; // continuation byte: look further back for the lead
    const need = b >= 0xf0 && b < 0xf8 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > back ? n - back : n;
  }
  return n;
}
