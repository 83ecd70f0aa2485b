// The Reader's quote matcher: a cited passage found in pdf.js text items despite case, spacing, line breaks,
// hyphenation and ligatures, reported as exact character ranges per item.
import { describe, expect, it } from 'vitest';
import { findQuoteSpans, foldQuote } from '../../src-renderer/lib/text-highlight.js';

/** The text each range covers, to check ranges by what they mark. */
const marked = (items: string[], quote: string): string[] =>
  findQuoteSpans(items, quote).map((r) => items[r.item]!.slice(r.start, r.end));

describe('findQuoteSpans', () => {
  it('marks the part of one item that holds the quote', () => {
    const items = ['Apple yields rose by twelve percent this season.'];
    expect(findQuoteSpans(items, 'twelve percent')).toEqual([{ item: 0, start: 21, end: 35 }]);
  });

  it('spans several items, including a line break between them', () => {
    const items = ['Page 3 marker3', '', 'alpha delta orchard', 'ledger quartz'];
    expect(findQuoteSpans(items, 'orchard\nledger')).toEqual([
      { item: 2, start: 12, end: 19 },
      { item: 3, start: 0, end: 6 },
    ]);
  });

  it('ignores case and runs of whitespace', () => {
    expect(marked(['The Bar  Chart below'], 'the bar chart')).toEqual(['The Bar  Chart']);
  });

  it('joins a word hyphenated across a line break', () => {
    expect(marked(['the harvest was docu-', 'mented in full'], 'documented')).toEqual(['docu', 'mented']);
  });

  it('matches an item split inside a word, with no space between the items', () => {
    expect(marked(['Quar', 'terly report'], 'Quarterly report')).toEqual(['Quar', 'terly report']);
  });

  it('matches ligatures, accents and curly quotes against plain text', () => {
    expect(marked(['the ﬁrst “café” entry'], 'first "cafe" entry')).toEqual(['ﬁrst “café” entry']);
  });

  it('finds the first occurrence', () => {
    expect(findQuoteSpans(['one two', 'one two'], 'one two')).toEqual([{ item: 0, start: 0, end: 7 }]);
  });

  it('returns no ranges when the quote is absent or has nothing to match', () => {
    expect(findQuoteSpans(['alpha delta'], 'gamma')).toEqual([]);
    expect(findQuoteSpans(['alpha delta'], ' — ')).toEqual([]);
    expect(findQuoteSpans([], 'alpha')).toEqual([]);
  });

  it('keeps ranges on UTF-16 boundaries for characters outside the BMP', () => {
    const items = ['x 𝐀𝐁 y'];                                   // mathematical bold letters: two code units each
    expect(marked(items, 'ab')).toEqual(['𝐀𝐁']);
  });
});

describe('foldQuote', () => {
  it('keeps only lower-case letters and digits', () => {
    expect(foldQuote(' Page 3 — “Marker”, ﬁne.')).toBe('page3markerfine');
  });
});
