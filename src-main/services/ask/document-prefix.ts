// The document part of a question's prompt — the cacheable prefix every question about the same context shares:
// the header, a note of what was left out, the chosen pages in order (a scanned page as its image), the chosen figures
// and the selected region as images. Images come from the token cache or are encoded once; the prefix is keyed by
// its text and image hashes and the session's context size, which is what a saved prompt state is found by.
import { createHash } from 'node:crypto';
import type { Db } from '../../store/database.js';
import type { PageRecord } from '../../store/records.js';
import type { EngineHost, LoadedInfo, PromptPart } from '../engine-host/index.js';
import type { ContextPlan } from './context-plan.js';
import { type FigureCrop, FigureNotRenderedError, figureTokens } from './figure-tokens.js';
import { scannedPageImage, scannedPageLabel } from './scanned-pages.js';

export interface PrefixInput {
  db: Db;
  engine: EngineHost;
  info: LoadedInfo;
  pdfPath: string;
  header: string;
  /** Its figure list is updated: a figure whose image is missing moves to leftOutFigures. */
  plan: ContextPlan;
  /** The document's pages by number. */
  pages: ReadonlyMap<number, PageRecord>;
  figures: (FigureCrop & { id: number })[];
  pageText: (pageNumber: number) => string;
  /** Whether a page goes in as its image (a scan, with a projector loaded). */
  asImage: (page: PageRecord) => boolean;
  region?: { pageNumber: number; crop: FigureCrop };
  /** "Only pages … are included" (when the whole document did not fit). */
  note?: string;
}

export interface DocumentPrefix {
  prompt: PromptPart[];
  tokens: number;
  key: string;
  /** Images that went through the vision encoder (the rest came from the cache). */
  encodedImages: number;
}

type Segment = { text: string } | { image: Float32Array; sha: string };

export async function buildDocumentPrefix(input: PrefixInput): Promise<DocumentPrefix> {
  const { info, plan } = input;
  let encodedImages = 0;
  const imageOf = async (crop: FigureCrop): Promise<Segment> => {
    const { embeddings, cached } = await figureTokens(input.db, input.engine, crop, { ...info.vision!, width: info.nEmbd });
    if (!cached) encodedImages++;
    return { image: embeddings, sha: crop.cropSha256! };
  };

  const segments: Segment[] = [{ text: input.header }];
  if (input.note) segments.push({ text: input.note });
  let text = '\n';                                                               // pages in order; a scan as its image
  for (const n of plan.pages) {
    const page = input.pages.get(n)!;
    if (!input.asImage(page)) {
      text += input.pageText(n);
      continue;
    }
    segments.push({ text: text + scannedPageLabel(n) }, await imageOf(await scannedPageImage(input.pdfPath, page)));
    text = '<end_of_image>\n\n';
  }
  segments.push({ text });
  for (const f of plan.figures) {
    try {
      const image = await imageOf(input.figures.find((x) => x.id === f.id)!);
      segments.push({ text: `[fig. ${f.number}] (page ${f.pageNumber})\n<start_of_image>` }, image, { text: '<end_of_image>\n\n' });
    } catch (error) {
      if (!(error instanceof FigureNotRenderedError)) throw error;
      plan.leftOutFigures.push({ figure: f, reason: 'not-found' });
    }
  }
  plan.figures = plan.figures.filter((f) => !plan.leftOutFigures.some((l) => l.figure.id === f.id));
  if (input.region) {
    segments.push({ text: `[the region the user selected] (page ${input.region.pageNumber})\n<start_of_image>` }, await imageOf(input.region.crop),
      { text: '<end_of_image>\n\n' });
  }

  const prompt: PromptPart[] = [];
  for (const [i, s] of segments.entries()) {
    if ('image' in s) prompt.push({ image: s.image });
    else prompt.push({ tokens: await input.engine.request('tokenize', { text: s.text, addSpecial: i === 0, parseSpecial: true }) });
  }
  return {
    prompt, encodedImages,
    tokens: prompt.reduce((n, p) => n + ('tokens' in p ? p.tokens.length : p.image.length / info.nEmbd), 0),
    // Keyed by the prefix and the session's shape: a snapshot only restores into a session of the same context size.
    key: createHash('sha256').update(JSON.stringify([info.contextSize, segments.map((s) => ('image' in s ? { image: s.sha } : s))])).digest('hex'),
  };
}
