// Citations in an answer: the model is asked to write [p. N] after what it took from page N and [fig. N] after what
// it read from figure N. Each marker becomes a Citation that maps back to the store — the page and the span of its
// text that best matches the sentence that cites it, or the figure's id and box.
import type { Citation } from '../../store/conversations.js';

export interface CitablePage {
  pageNumber: number;
  text: string;
}

export interface CitableFigure {
  /** 1-based number of the figure in the prompt ("[fig. N]"). */
  number: number;
  id: number;
  pageNumber: number;
}

const MARKER = /\[(?:(p{1,2}\.?|pages?)\s*(\d+)|(fig(?:ure)?\.?)\s*(\d+))\]/gi;

const words = (s: string): string[] => s.toLowerCase().match(/[\p{L}\p{N}]{3,}/gu) ?? [];

/** The sentence (or clause) of `text` that shares the most words with `claim`, as a [start, end) character span. */
export function bestSpan(text: string, claim: string): [number, number] | undefined {
  const want = new Set(words(claim));
  let best: [number, number] | undefined;
  let bestScore = 0;
  for (const m of text.matchAll(/[^.!?\n]+[.!?]?/g)) {
    const score = words(m[0]).filter((w) => want.has(w)).length;
    if (score > bestScore) {
      bestScore = score;
      const lead = m[0].length - m[0].trimStart().length;
      best = [m.index + lead, m.index + m[0].trimEnd().length];
    }
  }
  return best;
}

/**
 * Citations for every marker of `answer` that names a page or figure the prompt contained (others are dropped:
 * a citation must point at something the model was shown). Repeats of the same page+span or figure are merged.
 */
export function extractCitations(answer: string, documentId: string, pages: CitablePage[], figures: CitableFigure[]): Citation[] {
  const out: Citation[] = [];
  const seen = new Set<string>();
  for (const m of answer.matchAll(MARKER)) {
    const before = answer.slice(0, m.index);
    const claim = before.slice(Math.max(before.search(/[^.!?\n]*$/), 0));       // the sentence the marker closes
    let citation: Citation | undefined;
    if (m[2]) {
      const page = pages.find((p) => p.pageNumber === Number(m[2]));
      if (page) {
        const span = bestSpan(page.text, claim);
        citation = { documentId, pageNumber: page.pageNumber, ...(span ? { span, quote: page.text.slice(span[0], span[1]) } : {}) };
      }
    } else {
      const figure = figures.find((f) => f.number === Number(m[4]));
      if (figure) citation = { documentId, pageNumber: figure.pageNumber, figureId: figure.id };
    }
    if (!citation) continue;
    const key = JSON.stringify([citation.pageNumber, citation.span ?? null, citation.figureId ?? null]);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(citation);
  }
  return out;
}
