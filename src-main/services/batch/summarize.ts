// One document's result for a template: the whole document in one prompt when it fits the context; otherwise
// map-reduce — consecutive pages grouped into sections that fit, each section summarized (and cached in the store),
// then the partial summaries combined, in rounds if they do not fit together either. Field templates decode the
// final step under their JSON schema; every value cites the page it was read from.
import type { Db } from '../../store/database.js';
import type { Citation } from '../../store/conversations.js';
import { listPages, resolveDocument } from '../../store/documents.js';
import { findSummaryPart, saveSummaryPart } from '../../store/summary-parts.js';
import { bestSpan, extractCitations } from '../ask/citations.js';
import type { EngineHost, LoadedInfo } from '../engine-host/index.js';
import type { Template } from './templates.js';

export interface SummaryOptions {
  /** Most tokens of each generated summary (default 384). */
  maxTokens?: number;
  seed?: number;
  signal?: AbortSignal;
}

export interface FieldResult {
  value: string;
  page: number | null;
  citation?: Citation;
}

export interface DocumentSummary {
  documentId: string;
  title: string;
  template: string;
  /** The summary (text templates) or undefined. */
  text?: string;
  /** The fields (field templates) or undefined. */
  fields?: Record<string, FieldResult>;
  citations: Citation[];
  /** 1 when the document went in whole; otherwise the number of sections of the map step. */
  sections: number;
  /** Sections whose partial summary came from the store. */
  cachedSections: number;
}

interface Section {
  first: number;
  last: number;
  part: number;
  text: string;
}

const HEADER_SLACK = 48;

/** One document's result, with the engine's session held throughout (see EngineHost.withSession). */
export function summarizeDocument(db: Db, engine: EngineHost, documentRef: string, template: Template, options: SummaryOptions = {}): Promise<DocumentSummary> {
  return engine.withSession(() => summarizeNow(db, engine, documentRef, template, options));
}

async function summarizeNow(db: Db, engine: EngineHost, documentRef: string, template: Template, options: SummaryOptions): Promise<DocumentSummary> {
  const info = engine.loaded;
  if (!info) throw new Error('no model is loaded');
  const doc = resolveDocument(db, documentRef);
  const pages = listPages(db, doc.id).filter((p) => p.text.trim());
  const maxTokens = options.maxTokens ?? 384;
  const instructionsTokens = (await engine.request('countTokens', { texts: [template.instructions] }))[0]!;
  const budget = info.contextSize - maxTokens - instructionsTokens - HEADER_SLACK;
  if (budget < 64) throw new RangeError(`the ${info.contextSize}-token context leaves no room for a document after the instructions and a ${maxTokens}-token answer`);
  const pageBlocks = pages.map((p) => ({ pageNumber: p.pageNumber, text: `[p. ${p.pageNumber}]\n${p.text.trim()}\n\n` }));
  const counts = await engine.request('countTokens', { texts: pageBlocks.map((b) => b.text) });
  const total = counts.reduce((a, b) => a + b, 0);
  const sampling = { ...(options.seed !== undefined ? { seed: options.seed } : {}), temperature: 0.7 };
  const title = doc.title ?? doc.path;

  let material: string;
  let sections = 1;
  let cachedSections = 0;
  if (total <= budget) {
    material = pageBlocks.map((b) => b.text).join('');
  } else {
    const plan = await splitSections(engine, pageBlocks, counts, budget);
    sections = plan.length;
    const partials: string[] = [];
    for (const s of plan) {
      options.signal?.throwIfAborted();
      const key = { documentId: doc.id, templateSha256: template.sha256, modelFingerprint: info.fingerprint, firstPage: s.first, lastPage: s.last, part: s.part };
      let partial = findSummaryPart(db, key);
      if (partial !== undefined) cachedSections++;
      else {
        partial = await complete(engine, `Summarize pages ${s.first}–${s.last} of "${title}" for this task: ${template.instructions}\nKeep every page citation as [p. N].`, s.text, maxTokens, sampling, options.signal);
        saveSummaryPart(db, key, partial);
      }
      partials.push(`Section pages ${s.first}–${s.last}:\n${partial}\n\n`);
    }
    material = await reduce(engine, info, partials, budget, maxTokens, sampling, options.signal);
  }

  const instructions = `${template.instructions}\n\nDocument: "${title}".\n\n`;
  if (template.fields) {
    await engine.request('reset', {});
    const prompt = await chatPrompt(engine, instructions, material, '');
    const { fields } = await engine.request('generateJson', { prompt: [{ tokens: prompt }], keys: template.fields.map((f) => f.key), sampling, maxValueTokens: 48 });
    const out: Record<string, FieldResult> = {};
    const citations: Citation[] = [];
    for (const f of template.fields) {
      const v = fields[f.key]!;
      const page = v.page !== null ? pages.find((p) => p.pageNumber === v.page) : undefined;
      const span = page && v.value ? bestSpan(page.text, v.value) : undefined;
      const citation: Citation | undefined = page ? { documentId: doc.id, pageNumber: page.pageNumber, ...(span ? { span, quote: page.text.slice(span[0], span[1]) } : {}) } : undefined;
      if (citation) citations.push(citation);
      out[f.key] = { value: v.value, page: page ? page.pageNumber : null, ...(citation ? { citation } : {}) };
    }
    return { documentId: doc.id, title, template: template.name, fields: out, citations, sections, cachedSections };
  }
  const text = await complete(engine, instructions, material, maxTokens, sampling, options.signal);
  return {
    documentId: doc.id, title, template: template.name, text, sections, cachedSections,
    citations: extractCitations(text, doc.id, pages.map((p) => ({ pageNumber: p.pageNumber, text: p.text })), []),
  };
}

/** Consecutive pages grouped within the budget; a page longer than the budget is cut into parts at sentence ends. */
async function splitSections(engine: EngineHost, blocks: { pageNumber: number; text: string }[], counts: number[], budget: number): Promise<Section[]> {
  const out: Section[] = [];
  let current: Section | undefined;
  let used = 0;
  for (const [i, b] of blocks.entries()) {
    if (counts[i]! > budget) {
      if (current) out.push(current);
      current = undefined;
      used = 0;
      const pieces = await cutToFit(engine, b.text, counts[i]!, budget);
      pieces.forEach((text, part) => out.push({ first: b.pageNumber, last: b.pageNumber, part, text }));
      continue;
    }
    if (current && used + counts[i]! <= budget) {
      current.last = b.pageNumber;
      current.text += b.text;
      used += counts[i]!;
    } else {
      if (current) out.push(current);
      current = { first: b.pageNumber, last: b.pageNumber, part: 0, text: b.text };
      used = counts[i]!;
    }
  }
  if (current) out.push(current);
  return out;
}

async function cutToFit(engine: EngineHost, text: string, tokens: number, budget: number): Promise<string[]> {
  const parts = Math.ceil(tokens / budget) + 1;
  const sentences = text.match(/[^.!?\n]+[.!?\n]*/g) ?? [text];
  const size = Math.ceil(text.length / parts);
  const out: string[] = [];
  let piece = '';
  for (const s of sentences) {
    if (piece && piece.length + s.length > size) {
      out.push(piece);
      piece = '';
    }
    piece += s;
  }
  if (piece) out.push(piece);
  // A sentence longer than a part would still overflow: cut such pieces by characters, checked with real counts.
  const counts = await engine.request('countTokens', { texts: out });
  return out.flatMap((p, i) => (counts[i]! <= budget ? [p] : p.match(new RegExp(`[\\s\\S]{1,${Math.max(1, Math.floor(p.length * budget / counts[i]! * 0.9))}}`, 'g'))!));
}

/** Partial summaries combined until they fit one prompt (each round summarizes groups that fit). */
async function reduce(engine: EngineHost, info: LoadedInfo, partials: string[], budget: number, maxTokens: number, sampling: { seed?: number; temperature: number }, signal?: AbortSignal): Promise<string> {
  let items = partials;
  for (let round = 0; round < 8; round++) {
    const counts = await engine.request('countTokens', { texts: items });
    if (counts.reduce((a, b) => a + b, 0) <= budget) return items.join('');
    const groups: string[][] = [[]];
    let used = 0;
    items.forEach((item, i) => {
      if (used + counts[i]! > budget && groups.at(-1)!.length) {
        groups.push([]);
        used = 0;
      }
      groups.at(-1)!.push(item);
      used += counts[i]!;
    });
    const next: string[] = [];
    for (const g of groups) next.push(`${await complete(engine, 'Combine these partial summaries into one, keeping every page citation [p. N].', g.join(''), maxTokens, sampling, signal)}\n\n`);
    items = next;
  }
  throw new RangeError(`the partial summaries do not fit a ${info.contextSize}-token context even after 8 rounds of combining`);
}

async function chatPrompt(engine: EngineHost, instructions: string, material: string, suffix: string): Promise<number[]> {
  return engine.request('tokenize', { text: `<start_of_turn>user\n${instructions}${material}<end_of_turn>\n<start_of_turn>model\n${suffix}`, addSpecial: true, parseSpecial: true });
}

/** One fresh prompt → generated text. */
async function complete(engine: EngineHost, instructions: string, material: string, maxTokens: number, sampling: { seed?: number; temperature: number }, signal?: AbortSignal): Promise<string> {
  await engine.request('reset', {});
  const prompt = await chatPrompt(engine, `${instructions}\n\n`, material, '');
  const result = await engine.request('generate', { prompt: [{ tokens: prompt }], maxTokens, sampling }, signal ? { signal } : {});
  return result.text.trim();
}
