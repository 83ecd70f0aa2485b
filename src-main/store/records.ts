// The shapes Quire persists for a document. Coordinates are PDF points in the page as displayed: origin top-left,
// y down, /Rotate applied — so a box times the render scale is a pixel box in the rendered page.

/** [x0, y0, x1, y1] with x0 ≤ x1 and y0 ≤ y1. */
export type Box = [number, number, number, number];

/** One piece of text as pdf.js reports it, with where it sits on the page. */
export interface TextRun {
  text: string;
  box: Box;
  /** Start of the baseline. */
  origin: [number, number];
  fontSize: number;
}

export interface PageRecord {
  pageNumber: number;
  width: number;
  height: number;
  rotation: 0 | 90 | 180 | 270;
  text: string;
  runs: TextRun[];
  hasTextLayer: boolean;
  /** No text layer but a raster image covering most of the page: a scan, to be read by the vision model. */
  scanned: boolean;
  error: string | null;
}

export type FigureKind = 'raster' | 'vector';

export interface FigureRecord {
  pageNumber: number;
  ordinal: number;
  kind: FigureKind;
  box: Box;
  cropPng: Buffer | null;
  cropScale: number | null;
  cropSha256: string | null;
}

export interface DocumentRecord {
  id: string;
  sha256: string;
  path: string;
  byteSize: number;
  pageCount: number;
  title: string | null;
  status: 'ingesting' | 'ready';
  addedAt: string;
  ingestedAt: string | null;
}
