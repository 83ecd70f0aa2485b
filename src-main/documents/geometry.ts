// Affine matrices ([a, b, c, d, e, f] as in PDF) and boxes ([x0, y0, x1, y1]).
import type { Box } from '../store/records.js';

export type { Box };
export type Matrix = [number, number, number, number, number, number];

export const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];

/** m1 × m2: apply m2 first, then m1 (the PDF convention `cm` uses with the CTM on the left). */
export function multiply(m1: readonly number[], m2: readonly number[]): Matrix {
  const [a1, b1, c1, d1, e1, f1] = m1 as Matrix;
  const [a2, b2, c2, d2, e2, f2] = m2 as Matrix;
  return [
    a1 * a2 + c1 * b2, b1 * a2 + d1 * b2,
    a1 * c2 + c1 * d2, b1 * c2 + d1 * d2,
    a1 * e2 + c1 * f2 + e1, b1 * e2 + d1 * f2 + f1,
  ];
}

export function applyPoint(m: readonly number[], x: number, y: number): [number, number] {
  return [m[0]! * x + m[2]! * y + m[4]!, m[1]! * x + m[3]! * y + m[5]!];
}

/** The axis-aligned box around the image of box under m. */
export function transformBox(m: readonly number[], [x0, y0, x1, y1]: Box): Box {
  const pts = [applyPoint(m, x0, y0), applyPoint(m, x1, y0), applyPoint(m, x0, y1), applyPoint(m, x1, y1)];
  const xs = pts.map((p) => p[0]);
  const ys = pts.map((p) => p[1]);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

export const width = (b: Box): number => b[2] - b[0];
export const height = (b: Box): number => b[3] - b[1];
export const area = (b: Box): number => Math.max(0, width(b)) * Math.max(0, height(b));

export function union(a: Box, b: Box): Box {
  return [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])];
}

export function expand(b: Box, by: number): Box {
  return [b[0] - by, b[1] - by, b[2] + by, b[3] + by];
}

export function intersects(a: Box, b: Box): boolean {
  return a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];
}

export function intersection(a: Box, b: Box): Box {
  return [Math.max(a[0], b[0]), Math.max(a[1], b[1]), Math.min(a[2], b[2]), Math.min(a[3], b[3])];
}

export function iou(a: Box, b: Box): number {
  const inter = intersects(a, b) ? area(intersection(a, b)) : 0;
  const total = area(a) + area(b) - inter;
  return total > 0 ? inter / total : 0;
}

export function clip(b: Box, to: Box): Box {
  return [Math.max(b[0], to[0]), Math.max(b[1], to[1]), Math.min(b[2], to[2]), Math.min(b[3], to[3])];
}
