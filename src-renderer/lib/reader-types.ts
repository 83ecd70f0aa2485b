// The shapes the Reader shares with the rest of the app: citation highlights and asked-about regions.

/** A rectangle on a page in PDF points at scale 1, origin top-left: [x0, y0, x1, y1]. */
export type Box = [number, number, number, number];

/** Where a citation points: a box, a quoted passage, or (with neither) the whole page. */
export interface Highlight {
  page: number;
  box?: Box;
  quote?: string;
}

/** A region the reader drew with the lasso, to ask about. */
export interface Region {
  pageNumber: number;
  box: Box;
}
