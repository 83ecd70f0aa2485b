// What a question points at: pages ("page 3", "p. 3", "pages 2–4") and figures ("figure 2", "fig. 2", "the chart on
// page 3", "the second chart"). The planner puts those first; the rest of the context is chosen by relevance.

export interface QuestionReferences {
  /** Pages named in the question (1-based, in order of mention, no repeats). */
  pages: number[];
  /** Figures named by number ("figure 2": the 2nd figure of the document, 1-based). */
  figures: number[];
  /** Pages whose figures are asked about ("the chart on page 3", "figures on p. 4"). */
  figurePages: number[];
  /** The question is about figures in general ("the chart", "this graph") without saying which. */
  anyFigure: boolean;
}

const FIGURE_WORD = String.raw`(?:figures?|figs?\.?|charts?|graphs?|plots?|diagrams?|images?|pictures?|tables?)`;
const PAGE_WORD = String.raw`(?:pages?|pp?\.)`;
const ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth'];

function pushUnique(list: number[], n: number): void {
  if (Number.isSafeInteger(n) && n > 0 && !list.includes(n)) list.push(n);
}

/** "3", "3-5", "3–5", "3 and 4", "3, 4" after a page word → the pages. */
function pagesIn(spec: string): number[] {
  const out: number[] = [];
  for (const part of spec.split(/\s*(?:,|and|&)\s*/)) {
    const range = /^(\d+)\s*[-–—]\s*(\d+)$/.exec(part.trim());
    if (range) {
      const [a, b] = [Number(range[1]), Number(range[2])];
      for (let p = a; p <= Math.min(b, a + 50); p++) pushUnique(out, p);
    } else if (/^\d+$/.test(part.trim())) {
      pushUnique(out, Number(part.trim()));
    }
  }
  return out;
}

export function findReferences(question: string): QuestionReferences {
  const q = question.toLowerCase();
  const refs: QuestionReferences = { pages: [], figures: [], figurePages: [], anyFigure: false };
  const pageList = String.raw`(\d+(?:\s*(?:[-–—,&]|and)\s*\d+)*)`;
  // A figure on a page: "chart on page 3", "figures on pp. 3-4", "the graph in p. 2".
  for (const m of q.matchAll(new RegExp(`${FIGURE_WORD}\\s+(?:on|in|at|from)\\s+(?:the\\s+)?${PAGE_WORD}\\s*${pageList}`, 'g'))) {
    for (const p of pagesIn(m[1]!)) {
      pushUnique(refs.figurePages, p);
      pushUnique(refs.pages, p);
    }
  }
  for (const m of q.matchAll(new RegExp(`\\b${PAGE_WORD}\\s*${pageList}`, 'g'))) for (const p of pagesIn(m[1]!)) pushUnique(refs.pages, p);
  // A figure by number: "figure 2", "fig. 2", "chart 3".
  for (const m of q.matchAll(new RegExp(`\\b${FIGURE_WORD}\\s*(\\d+)\\b`, 'g'))) pushUnique(refs.figures, Number(m[1]));
  // By ordinal: "the second chart".
  for (const m of q.matchAll(new RegExp(`\\b(${ORDINALS.join('|')})\\s+${FIGURE_WORD}`, 'g'))) pushUnique(refs.figures, ORDINALS.indexOf(m[1]!) + 1);
  refs.anyFigure = new RegExp(`\\b${FIGURE_WORD}\\b`).test(q);
  return refs;
}
