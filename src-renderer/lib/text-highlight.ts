// Where a quoted passage sits in a page's text-layer items, so the Reader can mark exactly those characters.
// Pure logic (no DOM): the items are pdf.js's text-content strings, one per text-layer span.

/** The characters [start, end) of items[item] that belong to the quote. */
export interface ItemRange {
  item: number;
  start: number;
  end: number;
}

/** The items' letters and digits, folded, each with the item and the UTF-16 slice it came from. */
interface FoldedText {
  text: string;
  item: number[];
  start: number[];
  end: number[];
}

// Only letters and digits take part in the match: the quote comes from the stored page text, where line breaks,
// hyphenation, ligatures, curly quotes and the spaces between text items can all differ from the text layer's items.
const KEEP = /[\p{L}\p{N}]/u;

/** Lower case, without accents, ligatures expanded (NFKD: "ﬁ" → "fi"), only letters and digits. */
function foldChar(ch: string): string {
  let out = '';
  for (const c of ch.normalize('NFKD').toLowerCase()) if (KEEP.test(c)) out += c;
  return out;
}

function fold(items: readonly string[]): FoldedText {
  const folded: FoldedText = { text: '', item: [], start: [], end: [] };
  items.forEach((s, i) => {
    for (let k = 0; k < s.length; ) {
      const width = s.codePointAt(k)! > 0xffff ? 2 : 1;
      for (const c of foldChar(s.slice(k, k + width))) {
        folded.text += c;
        folded.item.push(i);
        folded.start.push(k);
        folded.end.push(k + width);
      }
      k += width;
    }
  });
  return folded;
}

/** The quote as it is compared: folded like the items. */
export const foldQuote = (quote: string): string => [...quote].map(foldChar).join('');

/**
 * The first place the quote occurs in the items, as one range per item it touches (in item order), or [] when it
 * does not occur (or has no letters or digits). Case, whitespace, punctuation, hyphenation and accents are ignored.
 */
export function findQuoteSpans(items: readonly string[], quote: string): ItemRange[] {
  const needle = foldQuote(quote);
  if (!needle) return [];
  const hay = fold(items);
  const at = hay.text.indexOf(needle);
  if (at < 0) return [];
  const ranges: ItemRange[] = [];
  for (let j = at; j < at + needle.length; j++) {
    const last = ranges.at(-1);
    if (last && last.item === hay.item[j]) last.end = Math.max(last.end, hay.end[j]!);
    else ranges.push({ item: hay.item[j]!, start: hay.start[j]!, end: hay.end[j]! });
  }
  return ranges;
}
