// What of a document goes into the prompt: the whole document when it fits the token budget, otherwise the pages
// the question names, then the pages full-text search ranks highest, as many as fit — and the figures the question
// points at, as images. Whatever is left out is reported, never dropped silently.
import type { QuestionReferences } from './references.js';

export interface PlanPage {
  pageNumber: number;
  /** Tokens of the page as it is written into the prompt. */
  tokens: number;
}

export interface PlanFigure {
  id: number;
  pageNumber: number;
  /** 1-based position among the document's figures (what "figure 2" means). */
  number: number;
}

export interface PlanInput {
  pages: PlanPage[];
  figures: PlanFigure[];
  references: QuestionReferences;
  /** Page numbers by relevance to the question, best first (FTS5/BM25). */
  ranked: number[];
  /** Tokens the document part of the prompt may take. */
  budget: number;
  /** Tokens one figure takes (image block and its label), or undefined when no vision projector is loaded. */
  figureTokens: number | undefined;
}

export interface LeftOutFigure {
  figure: PlanFigure;
  reason: 'no-vision' | 'budget' | 'not-found';
}

export interface ContextPlan {
  wholeDocument: boolean;
  /** Included pages, in document order. */
  pages: number[];
  leftOutPages: number[];
  figures: PlanFigure[];
  leftOutFigures: LeftOutFigure[];
  /** Figure numbers the question names that the document does not have. */
  missingFigures: number[];
  tokens: number;
}

function wantedFigures(input: PlanInput): { wanted: PlanFigure[]; missing: number[] } {
  const { figures, references } = input;
  const wanted: PlanFigure[] = [];
  const missing: number[] = [];
  const add = (f: PlanFigure): void => {
    if (!wanted.includes(f)) wanted.push(f);
  };
  for (const n of references.figures) {
    const f = figures.find((x) => x.number === n);
    if (f) add(f);
    else missing.push(n);
  }
  for (const p of references.figurePages) for (const f of figures.filter((x) => x.pageNumber === p)) add(f);
  // "the chart" in a document with a single figure can only mean that one.
  if (wanted.length === 0 && references.anyFigure && figures.length === 1) add(figures[0]!);
  return { wanted, missing };
}

export function planContext(input: PlanInput): ContextPlan {
  let left = input.budget;
  const { wanted, missing } = wantedFigures(input);
  const figures: PlanFigure[] = [];
  const leftOutFigures: LeftOutFigure[] = [];
  for (const f of wanted) {
    if (input.figureTokens === undefined) leftOutFigures.push({ figure: f, reason: 'no-vision' });
    else if (input.figureTokens <= left) {
      figures.push(f);
      left -= input.figureTokens;
    } else leftOutFigures.push({ figure: f, reason: 'budget' });
  }

  const all = input.pages.reduce((n, p) => n + p.tokens, 0);
  if (all <= left) {
    return {
      wholeDocument: true, pages: input.pages.map((p) => p.pageNumber), leftOutPages: [], figures, leftOutFigures, missingFigures: missing,
      tokens: input.budget - left + all,
    };
  }
  // Named pages, then the pages of the chosen figures, then by relevance, then the rest in reading order.
  const byNumber = new Map(input.pages.map((p) => [p.pageNumber, p]));
  const order = [...input.references.pages, ...figures.map((f) => f.pageNumber), ...input.ranked, ...input.pages.map((p) => p.pageNumber)];
  const chosen = new Set<number>();
  for (const n of order) {
    const page = byNumber.get(n);
    if (!page || chosen.has(n) || page.tokens > left) continue;
    chosen.add(n);
    left -= page.tokens;
  }
  const pages = input.pages.map((p) => p.pageNumber).filter((n) => chosen.has(n));
  return {
    wholeDocument: false, pages, leftOutPages: input.pages.map((p) => p.pageNumber).filter((n) => !chosen.has(n)), figures, leftOutFigures,
    missingFigures: missing, tokens: input.budget - left,
  };
}
