// `quire ask DOC QUESTION`: one question about an ingested document, answered with page and figure citations and
// stored in the document's conversation (a follow-up continues it: `quire ask DOC "and then?"`, or `quire chat DOC`).
import { type AskResult, AskService, ranges } from '../../services/ask/ask-service.js';
import { integerOption, parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';
import { DATA_OPTION_HELP, openDataStore } from '../data-dir.js';
import { engineFromFlags } from '../engine-from-flags.js';
import { samplingFlagSpec, samplingFromFlags, samplingUsage } from '../sampling-flags.js';
import { UsageError } from '../usage-error.js';

const usage = `usage: quire ask DOC QUESTION… -m MODEL.gguf [--mmproj MMPROJ.gguf] [options]

Answers QUESTION from the document DOC (its id from \`quire ingest\`, or a unique prefix): the whole document when it
fits the context, otherwise the pages the question names and the pages most relevant to it — and says which were
left out. Figures the question points at ("the chart on page 3", "figure 2") go in as images when --mmproj is given.
The answer streams, then its sources: [p. N] page citations with the passage, [fig. N] figure citations.

  -m FILE          the Gemma 3 model
  --mmproj FILE    its vision projector (needed for questions about figures)
  --new            start a new conversation instead of continuing the document's latest one
  -n N             most tokens of the answer (default 512)
  --json           print one JSON object: answer, citations, context plan, conversation
  ${DATA_OPTION_HELP}
${samplingUsage}`;

export const askFlags = {
  model: { type: 'string', short: 'm' }, mmproj: { type: 'string' }, n: { type: 'string', short: 'n' }, json: { type: 'boolean' },
  data: { type: 'string' }, new: { type: 'boolean' }, ...samplingFlagSpec,
} as const;

/** The context plan and the sources of an answer, as a person reads them. */
export function describeAnswer(result: AskResult): string {
  const p = result.plan;
  const lines = [p.wholeDocument
    ? `Context: the whole document (${p.pages.length} pages).`
    : `Context: pages ${ranges(p.pages)}; left out: pages ${ranges(p.leftOutPages)} (they did not fit the context).`];
  for (const f of p.leftOutFigures) lines.push(`Figure ${f.figure.number} (page ${f.figure.pageNumber}) left out: ${f.reason === 'no-vision' ? 'no --mmproj projector loaded' : f.reason === 'budget' ? 'no room in the context' : 'it has no stored image'}.`);
  for (const n of p.missingFigures) lines.push(`The document has no figure ${n}.`);
  if (result.scannedPages.length) lines.push(`Scanned pages ${ranges(result.scannedPages)} were read as images.`);
  if (result.unreadScannedPages.length) lines.push(`Pages ${ranges(result.unreadScannedPages)} are scans and no --mmproj projector is loaded: they were not read.`);
  if (result.leftOutTurns) lines.push(`The ${result.leftOutTurns} oldest turns of this conversation did not fit and were left out.`);
  if (result.citations.length) lines.push('Sources:');
  for (const c of result.citations) {
    lines.push(c.figureId !== undefined ? `  [fig.] page ${c.pageNumber}, figure #${c.figureId}` : `  [p. ${c.pageNumber}] ${c.quote ? `"${c.quote}"` : ''}`);
  }
  return lines.join('\n');
}

export const askCommand: Command = {
  name: 'ask',
  summary: 'ask a question about an ingested document',
  usage,
  async run(args) {
    const { values, positionals } = parseCommandArgs(args, askFlags);
    const [doc, ...words] = positionals;
    if (!doc || words.length === 0) throw new UsageError('give a document and a question');
    const maxTokens = integerOption(values.n, '-n', 1) ?? 512;
    const { db } = openDataStore(values.data);
    const engine = await engineFromFlags(values).catch((e: unknown) => {
      db.close();
      throw e;
    });
    const abort = new AbortController();
    const onSigint = (): void => abort.abort();
    process.on('SIGINT', onSigint);
    try {
      const ask = new AskService(db, engine);
      const result = await ask.ask(doc, words.join(' '), {
        maxTokens, sampling: samplingFromFlags(values), signal: abort.signal, ...(values.new ? { newConversation: true } : {}),
        ...(values.json ? {} : { onToken: (t: string) => process.stdout.write(t) }),
      });
      if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
      else process.stdout.write(`${result.stop === 'cancelled' ? ' [stopped]' : ''}\n\n${describeAnswer(result)}\n`);
    } finally {
      process.off('SIGINT', onSigint);
      engine.close();
      db.close();
    }
  },
};
