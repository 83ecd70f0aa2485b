// Wraps the quoted characters of pdf.js text-layer spans in <mark> elements, and takes them out again, so a quote
// highlight changes without re-rendering the text layer.
import type { ItemRange } from './text-highlight';

/** The marks made, in reading order. `spans` is the text layer's textDivs (parallel to its item strings). */
export function markRanges(spans: readonly HTMLElement[], ranges: readonly ItemRange[]): HTMLElement[] {
  const marks: HTMLElement[] = [];
  for (const r of ranges) {
    const span = spans[r.item];
    const text = span?.firstChild;
    // pdf.js never appends the spans of empty items; a span holds its item's text as one text node.
    if (!span?.isConnected || !(text instanceof Text) || r.end > text.length) continue;
    const quoted = text.splitText(r.start);
    quoted.splitText(r.end - r.start);
    const mark = document.createElement('mark');
    mark.dataset.testid = 'highlight-text';
    quoted.replaceWith(mark);
    mark.append(quoted);
    marks.push(mark);
  }
  return marks;
}

/** Puts the spans back as they were: one text node each (pdf.js measured them that way). */
export function unmark(marks: readonly HTMLElement[]): void {
  for (const mark of marks) {
    const span = mark.parentElement;
    mark.replaceWith(...mark.childNodes);
    span?.normalize();
  }
}
