// The page's text in reading order: a recursive XY-cut. A region is split at a vertical gutter when both sides
// hold columns of prose, else at wide horizontal gaps (between a title and the columns, or between blocks); what is
// left is read line by line, top to bottom, left to right.
import type { TextRun } from '../store/records.js';

export const READING_RULES = {
  /** A gutter between columns is at least this wide (points). */
  minGutter: 10,
  /** A column is prose: its lines' median width is at least this fraction of the region's width (table cells are not). */
  minColumnLineFraction: 0.3,
  /** Each column holds at least this many lines. */
  minColumnLines: 3,
  /** A horizontal gap this many font sizes tall separates blocks. */
  blockGap: 1.2,
};

interface Line { top: number; bottom: number; left: number; right: number; runs: TextRun[] }

export function readingOrderText(runs: TextRun[]): string {
  return orderRegion(runs).map(lineText).join('\n');
}

function orderRegion(runs: TextRun[]): Line[] {
  if (runs.length === 0) return [];
  const columns = splitAtGutter(runs);
  if (columns) return columns.flatMap(orderRegion);
  const blocks = splitAtGaps(runs);
  if (blocks.length > 1) return blocks.flatMap(orderRegion);
  return groupLines(runs);
}

/** Left and right runs of the widest gutter whose sides are both columns of prose, or null. */
function splitAtGutter(runs: TextRun[]): [TextRun[], TextRun[]] | null {
  const left = Math.min(...runs.map((r) => r.box[0]));
  const right = Math.max(...runs.map((r) => r.box[2]));
  const regionWidth = right - left;
  const spans = runs.map((r) => [r.box[0], r.box[2]] as const).sort((a, b) => a[0] - b[0]);
  let best: { x: number; width: number } | null = null;
  let reach = spans[0]![1];
  for (const [x0, x1] of spans.slice(1)) {
    if (x0 - reach >= READING_RULES.minGutter && (!best || x0 - reach > best.width)) best = { x: (x0 + reach) / 2, width: x0 - reach };
    reach = Math.max(reach, x1);
  }
  if (!best) return null;
  const sides: [TextRun[], TextRun[]] = [runs.filter((r) => r.box[2] <= best.x), runs.filter((r) => r.box[0] >= best.x)];
  const isColumn = (side: TextRun[]) => {
    const lines = groupLines(side);
    const widths = lines.map((l) => l.right - l.left).sort((a, b) => a - b);
    return lines.length >= READING_RULES.minColumnLines && widths[widths.length >> 1]! >= READING_RULES.minColumnLineFraction * regionWidth;
  };
  return isColumn(sides[0]) && isColumn(sides[1]) ? sides : null;
}

/** Splits into blocks at horizontal gaps taller than blockGap font sizes, top to bottom. */
function splitAtGaps(runs: TextRun[]): TextRun[][] {
  const sorted = [...runs].sort((a, b) => a.box[1] - b.box[1]);
  const blocks: TextRun[][] = [[sorted[0]!]];
  let bottom = sorted[0]!.box[3];
  for (const r of sorted.slice(1)) {
    if (r.box[1] - bottom > READING_RULES.blockGap * r.fontSize) blocks.push([]);
    blocks.at(-1)!.push(r);
    bottom = Math.max(bottom, r.box[3]);
  }
  return blocks;
}

/** Lines: runs overlapping vertically by more than half the smaller height, top to bottom. */
function groupLines(runs: TextRun[]): Line[] {
  const lines: Line[] = [];
  for (const run of [...runs].sort((a, b) => a.box[1] - b.box[1] || a.box[0] - b.box[0])) {
    const h = run.box[3] - run.box[1];
    const line = lines.find((l) => Math.min(l.bottom, run.box[3]) - Math.max(l.top, run.box[1]) > 0.5 * Math.min(h, l.bottom - l.top));
    if (line) {
      line.runs.push(run);
      line.top = Math.min(line.top, run.box[1]);
      line.bottom = Math.max(line.bottom, run.box[3]);
      line.left = Math.min(line.left, run.box[0]);
      line.right = Math.max(line.right, run.box[2]);
    } else {
      lines.push({ top: run.box[1], bottom: run.box[3], left: run.box[0], right: run.box[2], runs: [run] });
    }
  }
  return lines.sort((a, b) => a.top - b.top);
}

function lineText(line: Line): string {
  let out = '';
  let prevEnd = -Infinity;
  for (const r of [...line.runs].sort((a, b) => a.box[0] - b.box[0])) {
    // A visible gap between runs is a word break even when the PDF has no space character there.
    if (out !== '' && r.box[0] - prevEnd > 0.15 * r.fontSize && !out.endsWith(' ') && !r.text.startsWith(' ')) out += ' ';
    out += r.text;
    prevEnd = r.box[2];
  }
  return out.trim();
}
