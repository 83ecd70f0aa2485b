// Asking a document: plan what fits (whole document, or named + best-ranked pages, plus the figures the question
// points at as images), write the prompt as a cacheable document prefix and the conversation after it, stream the
// answer, map its [p. N] / [fig. N] markers to citations, and store both turns in the document's conversation.
// The prefix's prompt state is saved in the store, so a follow-up on the same context starts from it instead of
// prefilling the document again.
import type { SamplerOptions } from '../../../engine/runtime/sampler.js';
import type { Db } from '../../store/database.js';
import { type Citation, appendMessage, createConversation, listConversations, listMessages } from '../../store/conversations.js';
import { listFigures, listPages, resolveDocument } from '../../store/documents.js';
import { findSnapshot, saveSnapshot } from '../../store/prompt-snapshots.js';
import { searchPages } from '../../store/search.js';
import { readSettings } from '../../store/settings.js';
import type { EngineHost } from '../engine-host/index.js';
import { extractCitations } from './citations.js';
import { type ContextPlan, planContext } from './context-plan.js';
import { buildDocumentPrefix } from './document-prefix.js';
import { findReferences } from './references.js';
import { type PageRegion, regionCrop } from './region.js';
import { SCANNED_LABEL_SAMPLE } from './scanned-pages.js';

export interface AskOptions {
  /** The conversation to continue (default: the document's most recent one, or a new one). */
  conversationId?: number;
  /** Start a new conversation even if the document has one. */
  newConversation?: boolean;
  /** Most tokens of the answer (default 512); the context plan leaves room for them. */
  maxTokens?: number;
  sampling?: SamplerOptions;
  /** A region of a page the user selected: shown to the model as an image alongside the document. */
  region?: PageRegion;
  onToken?: (text: string) => void;
  signal?: AbortSignal;
}

export interface AskResult {
  answer: string;
  citations: Citation[];
  plan: ContextPlan;
  /** Earlier turns of the conversation that did not fit and were left out of the prompt (oldest first). */
  leftOutTurns: number;
  conversationId: number;
  stop: 'eog' | 'max-tokens' | 'cancelled';
  /** Tokens of the document prefix, and whether its saved prompt state was reused instead of prefilled. */
  prefixTokens: number;
  reusedPrefix: boolean;
  /** Tokens the engine actually prefilled for this question. */
  prefilledTokens: number;
  /** Images (figures, scanned pages, a region) that went through the vision encoder for this question (the rest came
   * from the cache). */
  encodedFigures: number;
  /** Included pages that are scans, read as images by the vision model. */
  scannedPages: number[];
  /** Included pages that are scans but could not be read: no vision model is loaded. */
  unreadScannedPages: number[];
  /** The selected region, when the question was about one. */
  region?: PageRegion;
}

export class NoVisionError extends Error {
  override readonly name = 'NoVisionError';
  constructor() {
    super('this model cannot see images: add it with its vision projector (mmproj) to ask about a region or a chart');
  }
}

export class NoModelLoadedError extends Error {
  override readonly name = 'NoModelLoadedError';
  constructor() {
    super('no model is loaded: load one before asking (quire ask -m MODEL.gguf …)');
  }
}

const INSTRUCTIONS = 'You answer questions about the document below, using only what it says. After each statement, cite where it ' +
  'comes from: [p. N] for page N, [fig. N] for figure N. If the document does not say, answer that it does not.';
const DEFAULT_ANSWER_TOKENS = 512;

interface Turn {
  question: string;
  answer: string;
}

const turnText = (turns: Turn[], question: string): string =>
  turns.map((t) => `${t.question}<end_of_turn>\n<start_of_turn>model\n${t.answer}<end_of_turn>\n<start_of_turn>user\n`).join('') +
  `${question}<end_of_turn>\n<start_of_turn>model\n`;

export class AskService {
  /** The context of each conversation's last answer (for follow-ups in the same session). */
  private readonly lastPlans = new Map<number, ContextPlan>();

  constructor(private readonly db: Db, private readonly engine: EngineHost) {}

  /** One question, with the engine's session held for the whole of it (see EngineHost.withSession). */
  ask(documentRef: string, question: string, options: AskOptions = {}): Promise<AskResult> {
    return this.engine.withSession(() => this.askNow(documentRef, question, options));
  }

  private async askNow(documentRef: string, question: string, options: AskOptions): Promise<AskResult> {
    const info = this.engine.loaded ?? (() => {
      throw new NoModelLoadedError();
    })();
    const doc = resolveDocument(this.db, documentRef);
    const pages = listPages(this.db, doc.id);
    const figures = listFigures(this.db, doc.id);
    const conversationId = options.conversationId ?? (options.newConversation ? undefined : listConversations(this.db, doc.id).at(-1)?.id) ??
      createConversation(this.db, doc.id, question.slice(0, 80));
    const history = pairs(listMessages(this.db, conversationId));

    const byNumber = new Map(pages.map((p) => [p.pageNumber, p]));
    const pageText = (n: number): string => `[p. ${n}]\n${byNumber.get(n)!.text.trim()}\n\n`;
    const header = `<start_of_turn>user\n${INSTRUCTIONS}\n\nDocument: "${doc.title ?? doc.path}", ${doc.pageCount} pages.\n`;
    const counts = await this.engine.request('countTokens', {
      texts: [header, turnText(history, question), ...pages.map((p) => pageText(p.pageNumber)), '[fig. 00] (page 000)\n<start_of_image><end_of_image>\n\n', SCANNED_LABEL_SAMPLE],
    });
    const [headerTokens, turnsTokens, ...pageTokens] = counts as [number, number, ...number[]];
    const scannedLabelTokens = pageTokens.pop()!;
    const figureLabelTokens = pageTokens.pop()!;
    // A scanned page goes in as an image when a projector is loaded: it costs the image's tokens, not its (empty) text's.
    const asImage = (p: { scanned: boolean }): boolean => p.scanned && !!info.vision;
    const answerTokens = options.maxTokens ?? DEFAULT_ANSWER_TOKENS;
    const noteTokens = 64;                                                        // the "pages left out" line
    let budget = info.contextSize - answerTokens - headerTokens - turnsTokens - noteTokens - 2;
    let leftOutTurns = 0;
    while (budget < 0 && leftOutTurns < history.length) {                        // oldest turns go first, and are reported
      const kept = history.slice(leftOutTurns + 1);
      budget += turnsTokens - (await this.engine.request('countTokens', { texts: [turnText(kept, question)] }))[0]!;
      leftOutTurns++;
    }
    // A selected region is shown whatever else fits: its image comes off the budget first.
    const region = options.region && await (async () => {
      if (!info.vision) throw new NoVisionError();
      return { ...options.region!, crop: await regionCrop(doc.path, options.region!) };
    })();
    if (region) budget -= info.vision!.tokensPerImage + figureLabelTokens;
    if (budget < 0) throw new RangeError(`the question alone needs more than the ${info.contextSize}-token context leaves after the ${answerTokens}-token answer`);

    const references = findReferences(question);
    let plan = planContext({
      pages: pages.map((p, i) => ({ pageNumber: p.pageNumber, tokens: asImage(p) ? info.vision!.tokensPerImage + scannedLabelTokens : pageTokens[i]! })),
      figures,
      references,
      ranked: searchPages(this.db, question, { documentId: doc.id, anyWord: true, limit: 100 }).map((h) => h.pageNumber),
      budget,
      figureTokens: info.vision ? info.vision.tokensPerImage + figureLabelTokens : undefined,
    });
    // A follow-up that names nothing outside the previous turn's context keeps that context, so its saved prefix
    // state is reused instead of prefilling another selection of pages.
    const previous = this.lastPlans.get(conversationId);
    if (previous && !plan.wholeDocument && history.length > 0 && previous.tokens <= budget &&
      references.pages.every((n) => previous.pages.includes(n)) && references.figures.every((n) => previous.figures.some((f) => f.number === n))) {
      plan = structuredClone(previous);
    }

    const prefix = await buildDocumentPrefix({
      db: this.db, engine: this.engine, info, pdfPath: doc.path, header, plan, pages: byNumber, figures, pageText, asImage,
      ...(region ? { region } : {}),
      ...(plan.wholeDocument ? {} : { note: `Only pages ${ranges(plan.pages)} are included here; pages ${ranges(plan.leftOutPages)} were left out.\n` }),
    });
    const { tokens: prefixTokens, key: prefixKey, encodedImages: encodedFigures } = prefix;

    // Prefill progress reports cumulative tokens per request: the last report of each is what it evaluated.
    let prefilled = 0;
    const onProgress = (done: number): void => {
      prefilled = done;
    };
    let prefilledTokens = 0;
    const snapshot = findSnapshot(this.db, info.fingerprint, prefixKey);
    let reusedPrefix = false;
    if (snapshot) {
      try {
        await this.engine.request('restore', { data: snapshot.data });
        reusedPrefix = true;
      } catch {
        reusedPrefix = false;                                                     // another shape of session: prefill
      }
    }
    if (!reusedPrefix) {
      await this.engine.request('reset', {});
      await this.engine.request('evaluate', { prompt: prefix.prompt }, { ...(options.signal ? { signal: options.signal } : {}) });
      prefilledTokens += prefixTokens;
      const { data } = await this.engine.request('snapshot', {});
      saveSnapshot(this.db, { modelFingerprint: info.fingerprint, prefixSha256: prefixKey, nTokens: prefixTokens, documentId: doc.id, conversationId, data: Buffer.from(data) },
        readSettings(this.db).snapshotCacheMb * 2 ** 20);
    }
    const turns = await this.engine.request('tokenize', { text: turnText(history.slice(leftOutTurns), question), addSpecial: false, parseSpecial: true });
    prefilled = 0;
    const result = await this.engine.request('generate', {
      prompt: [{ tokens: turns }], maxTokens: answerTokens, ...(options.sampling ? { sampling: options.sampling } : {}),
    }, {
      onProgress, ...(options.signal ? { signal: options.signal } : {}),
      onToken: (_token, text) => options.onToken?.(text),
    });
    prefilledTokens += prefilled + 1;                                             // the last prompt token is evaluated by generation

    const answer = result.text.trim();
    const citations = extractCitations(answer, doc.id, plan.pages.map((n) => ({ pageNumber: n, text: byNumber.get(n)!.text })), plan.figures);
    this.db.transaction(() => {
      appendMessage(this.db, conversationId, { role: 'user', content: question, ...(region ? { region: { pageNumber: region.pageNumber, box: region.box } } : {}) });
      appendMessage(this.db, conversationId, { role: 'assistant', content: answer, citations });
    })();
    this.lastPlans.set(conversationId, structuredClone(plan));
    const scans = plan.pages.filter((n) => byNumber.get(n)!.scanned);
    return {
      answer, citations, plan, leftOutTurns, conversationId, stop: result.stop, prefixTokens, reusedPrefix, prefilledTokens, encodedFigures,
      scannedPages: info.vision ? scans : [], unreadScannedPages: info.vision ? [] : scans,
      ...(region ? { region: { pageNumber: region.pageNumber, box: region.box } } : {}),
    };
  }
}

/** The conversation as question/answer pairs (a trailing question without an answer is skipped). */
function pairs(messages: { role: string; content: string }[]): Turn[] {
  const out: Turn[] = [];
  for (let i = 0; i + 1 < messages.length; i++) {
    if (messages[i]!.role === 'user' && messages[i + 1]!.role === 'assistant') out.push({ question: messages[i]!.content, answer: messages[++i]!.content });
  }
  return out;
}

/** [1, 2, 3, 5, 7, 8] → "1–3, 5, 7–8". */
export function ranges(numbers: number[]): string {
  const out: string[] = [];
  for (let i = 0; i < numbers.length; i++) {
    let j = i;
    while (j + 1 < numbers.length && numbers[j + 1] === numbers[j]! + 1) j++;
    out.push(j > i ? `${numbers[i]}–${numbers[j]}` : `${numbers[i]}`);
    i = j;
  }
  return out.join(', ') || 'none';
}
