// Limits of ingestion, in a module without pdf.js so the CLI can print them without loading it (~1 s).

/** Files with more pages are refused up front unless the caller raises the limit. */
export const DEFAULT_MAX_PAGES = 5000;
