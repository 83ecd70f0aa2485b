// The pure parts of asking: what a question points at, the context plan under a token budget, and citations.
import { describe, expect, it } from 'vitest';
import { ranges } from '../../src-main/services/ask/ask-service.js';
import { bestSpan, extractCitations } from '../../src-main/services/ask/citations.js';
import { planContext, type PlanInput } from '../../src-main/services/ask/context-plan.js';
import { findReferences } from '../../src-main/services/ask/references.js';

describe('question references', () => {
  it.each([
    ['What does the chart on page 3 show?', { pages: [3], figures: [], figurePages: [3], anyFigure: true }],
    ['Compare figure 2 and fig. 4', { pages: [], figures: [2, 4], figurePages: [], anyFigure: true }],
    ['Summarize pages 2-4 and p. 7', { pages: [2, 3, 4, 7], figures: [], figurePages: [], anyFigure: false }],
    ['What is the second chart about?', { pages: [], figures: [2], figurePages: [], anyFigure: true }],
    ['Explain the graph', { pages: [], figures: [], figurePages: [], anyFigure: true }],
    ['Who are the parties?', { pages: [], figures: [], figurePages: [], anyFigure: false }],
    ['the figures on pp. 5 and 6', { pages: [5, 6], figures: [], figurePages: [5, 6], anyFigure: true }],
  ])('%s', (question, expected) => {
    expect(findReferences(question)).toEqual(expected);
  });
});

describe('context plan', () => {
  const pages = Array.from({ length: 10 }, (_, i) => ({ pageNumber: i + 1, tokens: 100 }));
  const figures = [{ id: 11, pageNumber: 3, number: 1 }, { id: 12, pageNumber: 6, number: 2 }];
  const base: PlanInput = { pages, figures, references: findReferences('anything'), ranked: [], budget: 2000, figureTokens: 260 };

  it('takes the whole document when it fits', () => {
    const plan = planContext(base);
    expect(plan).toMatchObject({ wholeDocument: true, leftOutPages: [], figures: [], tokens: 1000 });
  });

  it('otherwise named pages first, then figure pages, then by rank — within the budget — and reports the rest', () => {
    const plan = planContext({ ...base, budget: 660, references: findReferences('the chart on page 6 and page 9'), ranked: [2, 4, 8] });
    expect(plan.figures.map((f) => f.id)).toEqual([12]);
    expect(plan.pages).toEqual([2, 4, 6, 9]);                              // 260 for the figure + 4 pages of 100 ≤ 660
    expect(plan.leftOutPages).toEqual([1, 3, 5, 7, 8, 10]);
    expect(plan.tokens).toBe(660);
  });

  it('says why a figure is left out: no projector, no room, or no such figure', () => {
    expect(planContext({ ...base, references: findReferences('figure 1'), figureTokens: undefined }).leftOutFigures).toEqual([{ figure: figures[0], reason: 'no-vision' }]);
    expect(planContext({ ...base, references: findReferences('figure 1'), budget: 100 }).leftOutFigures).toEqual([{ figure: figures[0], reason: 'budget' }]);
    expect(planContext({ ...base, references: findReferences('figure 7') }).missingFigures).toEqual([7]);
  });

  it('"the chart" means the only figure when there is one', () => {
    expect(planContext({ ...base, figures: [figures[1]!], references: findReferences('what does the chart show') }).figures).toEqual([figures[1]]);
  });
});

describe('citations', () => {
  const pages = [
    { pageNumber: 2, text: 'The term is three years. Either party may terminate with notice. Fees are due monthly.' },
    { pageNumber: 5, text: 'Liability is capped at the fees paid.' },
  ];
  it('maps [p. N] to the best-matching sentence of that page and [fig. N] to the figure', () => {
    const answer = 'The agreement runs for three years [p. 2]. Liability is capped at fees paid [p. 5]. Sales rose [fig. 1]. Made up [p. 9].';
    const citations = extractCitations(answer, 'doc', pages, [{ number: 1, id: 40, pageNumber: 3 }]);
    expect(citations).toEqual([
      { documentId: 'doc', pageNumber: 2, span: [0, 24], quote: 'The term is three years.' },
      { documentId: 'doc', pageNumber: 5, span: [0, 37], quote: 'Liability is capped at the fees paid.' },
      { documentId: 'doc', pageNumber: 3, figureId: 40 },
    ]);
  });

  it('finds no span when nothing matches, and merges repeats', () => {
    expect(bestSpan('alpha beta.', 'gamma')).toBeUndefined();
    const answer = 'Terminate with notice [p. 2]. Terminate with notice [p. 2].';
    expect(extractCitations(answer, 'doc', pages, [])).toHaveLength(1);
  });

  it('writes page lists compactly', () => {
    expect(ranges([1, 2, 3, 5, 7, 8])).toBe('1–3, 5, 7–8');
    expect(ranges([])).toBe('none');
  });
});
