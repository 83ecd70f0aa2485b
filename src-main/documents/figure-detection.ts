// Finds figures on a page: raster images, and vector drawings — clusters of painted paths (bars, lines, axes,
// gridlines) grown to take in the short text labels inside and beside them. Decorations too small to be a
// figure and page-sized borders or backgrounds are left out.
import type { FigureKind, TextRun } from '../store/records.js';
import { area, clip, expand, height, intersects, union, width, type Box } from './geometry.js';
import type { GraphicElement } from './page-graphics.js';

export interface DetectedFigure {
  kind: FigureKind;
  box: Box;
}

/** Tunables in points; defaults suit letter/A4 pages. */
export const FIGURE_RULES = {
  /** A figure is at least this wide and tall (a bullet, a rule or an icon is smaller). */
  minSide: 24,
  /** Elements covering this fraction of the page in both directions are borders or backgrounds. */
  pageFraction: 0.85,
  /** Paths closer than this belong to one drawing. */
  joinGap: 8,
  /** A vector cluster needs this many paths, or this many path segments (one polyline chart is one path). */
  minPaths: 3,
  minSegments: 8,
  /** Lines within this distance of a cluster's edge are part of a frame around it. */
  frameBand: 6,
  /** Labels are taken in when within this many font sizes of the figure. */
  labelReach: 1.5,
  maxLabelReach: 18,
  /** Longer text is body text, not a label. */
  maxLabelChars: 40,
};

export function detectFigures(elements: GraphicElement[], runs: TextRun[], page: { width: number; height: number }): DetectedFigure[] {
  const pageBox: Box = [0, 0, page.width, page.height];
  const visible = elements
    .map((e) => ({ ...e, box: clip(e.box, pageBox) }))
    .filter((e) => width(e.box) >= 0 && height(e.box) >= 0)
    .filter((e) => !(width(e.box) >= FIGURE_RULES.pageFraction * page.width && height(e.box) >= FIGURE_RULES.pageFraction * page.height));

  const rasters: DetectedFigure[] = visible
    .filter((e) => e.kind === 'image' && isBigEnough(e.box))
    .map((e) => ({ kind: 'raster', box: e.box }));

  const vectors: DetectedFigure[] = clusterPaths(visible.filter((e) => e.kind === 'path'))
    .filter((c) => isBigEnough(c.box) && (c.members.length >= FIGURE_RULES.minPaths || c.segments >= FIGURE_RULES.minSegments))
    .filter((c) => !isFrame(c))
    .map((c) => ({ kind: 'vector', box: takeInLabels(c.box, runs) }));

  // A drawing around or over a raster image (axes over an embedded plot) is part of that image's figure.
  return mergeOverlapping([...rasters, ...vectors]).sort((a, b) => a.box[1] - b.box[1] || a.box[0] - b.box[0]);
}

function isBigEnough(box: Box): boolean {
  return width(box) >= FIGURE_RULES.minSide && height(box) >= FIGURE_RULES.minSide;
}

interface Cluster { box: Box; members: Box[]; segments: number }

/**
 * A frame is lines along the edges of its own box and nothing inside: a page border drawn as four lines, or a rule
 * box around a paragraph. A table or chart has rules or marks inside too.
 */
function isFrame(c: Cluster): boolean {
  const band = FIGURE_RULES.frameBand;
  const [x0, y0, x1, y1] = c.box;
  return c.members.every((m) => (width(m) <= band || height(m) <= band)
    && (m[2] <= x0 + band || m[0] >= x1 - band || m[3] <= y0 + band || m[1] >= y1 - band));
}

/**
 * Past this many paths (maps, CAD drawings, dense scatter plots), paths are first pooled per joinGap-sized grid cell
 * of their centre, so clustering stays fast even when every path overlaps every other.
 */
export const MAX_PATHS_UNPOOLED = 4000;

function poolPaths(paths: GraphicElement[]): GraphicElement[] {
  const cell = FIGURE_RULES.joinGap;
  const pools = new Map<string, GraphicElement>();
  for (const p of paths) {
    const key = `${Math.floor((p.box[0] + p.box[2]) / 2 / cell)},${Math.floor((p.box[1] + p.box[3]) / 2 / cell)}`;
    const pool = pools.get(key);
    if (pool) {
      pool.box = union(pool.box, p.box);
      pool.segments += p.segments;
    } else {
      pools.set(key, { ...p });
    }
  }
  return [...pools.values()];
}

/** Union-find over paths whose boxes come within joinGap of each other (sweep along x to skip far pairs). */
function clusterPaths(allPaths: GraphicElement[]): Cluster[] {
  const paths = allPaths.length > MAX_PATHS_UNPOOLED ? poolPaths(allPaths) : allPaths;
  const half = FIGURE_RULES.joinGap / 2;
  const boxes = paths.map((p) => expand(p.box, half));
  const order = boxes.map((_, i) => i).sort((a, b) => boxes[a]![0] - boxes[b]![0]);
  const parent = boxes.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  for (let a = 0; a < order.length; a++) {
    const i = order[a]!;
    for (let b = a + 1; b < order.length; b++) {
      const j = order[b]!;
      if (boxes[j]![0] > boxes[i]![2]) break;
      if (intersects(boxes[i]!, boxes[j]!)) parent[find(i)] = find(j);
    }
  }
  const clusters = new Map<number, Cluster>();
  paths.forEach((p, i) => {
    const root = find(i);
    const c = clusters.get(root);
    if (c) {
      c.box = union(c.box, p.box);
      c.members.push(p.box);
      c.segments += p.segments;
    } else {
      clusters.set(root, { box: p.box, members: [p.box], segments: p.segments });
    }
  });
  return [...clusters.values()];
}

/** Grows the box over short text runs inside or near it; repeats so a stacked axis title joins after its tick labels. */
function takeInLabels(box: Box, runs: TextRun[]): Box {
  const labels = runs.filter((r) => r.text.trim().length <= FIGURE_RULES.maxLabelChars);
  let grown = box;
  for (let pass = 0; pass < 3; pass++) {
    let changed = false;
    for (const r of labels) {
      const reach = Math.min(FIGURE_RULES.labelReach * r.fontSize, FIGURE_RULES.maxLabelReach);
      if (width(r.box) > Math.max(width(grown), 1)) continue;
      if (!intersects(expand(grown, reach), r.box)) continue;
      const next = union(grown, r.box);
      if (area(next) > area(grown)) {
        grown = next;
        changed = true;
      }
    }
    if (!changed) break;
  }
  return grown;
}

function mergeOverlapping(figures: DetectedFigure[]): DetectedFigure[] {
  const out = [...figures];
  for (let merged = true; merged;) {
    merged = false;
    outer: for (let i = 0; i < out.length; i++) {
      for (let j = i + 1; j < out.length; j++) {
        if (!intersects(out[i]!.box, out[j]!.box)) continue;
        const kind: FigureKind = out[i]!.kind === 'raster' || out[j]!.kind === 'raster' ? 'raster' : 'vector';
        out[i] = { kind, box: union(out[i]!.box, out[j]!.box) };
        out.splice(j, 1);
        merged = true;
        break outer;
      }
    }
  }
  return out;
}
