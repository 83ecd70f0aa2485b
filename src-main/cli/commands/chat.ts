// `quire chat`: an interactive conversation in the terminal, one session, the whole history in context; with DOC, a
// conversation about a document (chat-document.ts), or --export to write the document's conversation to a file.
import { writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { ContextOverflowError, loadModel } from '../../../engine/runtime/index.js';
import { exportConversation } from '../../services/ask/export-conversation.js';
import { parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';
import { samplingFromFlags, samplingUsage, loadFromFlags, sessionFromFlags } from '../sampling-flags.js';
import { UsageError } from '../usage-error.js';
import { askFlags } from './ask.js';
import { chatAboutDocument } from './chat-document.js';
import { DATA_OPTION_HELP, openDataStore } from '../data-dir.js';

const CLOSING_TOKENS = 4;

const usage = `usage: quire chat [DOC] -m FILE [--mmproj FILE] [--system TEXT] [options]
       quire chat DOC --export FILE.md|FILE.json

Type a message and press Enter; the model answers. Ctrl-C stops an answer; Ctrl-D (or /exit) ends the chat.
With DOC (an ingested document's id or prefix), every message is a question about that document, answered with
citations as \`quire ask\` does, and the conversation is stored with the document (--new starts a new one).
  --system TEXT           a system prompt (folded into the first user turn, as Gemma 3 does; without DOC)
  --mmproj FILE           the vision projector, for questions about figures (with DOC)
  -n N                    most tokens per answer (with DOC; default 512)
  --export FILE           write the document's latest conversation, with its sources, to FILE (Markdown, or JSON
                          when FILE ends in .json) and exit; no model needed
  ${DATA_OPTION_HELP}
${samplingUsage}`;

export const chatCommand: Command = {
  name: 'chat',
  summary: 'chat with a model in the terminal',
  usage,
  async run(args) {
    const { values, positionals } = parseCommandArgs(args, { ...askFlags, system: { type: 'string' }, export: { type: 'string' } });
    if (values.export) {
      if (!positionals[0]) throw new UsageError('--export needs the document: quire chat DOC --export FILE');
      const { db } = openDataStore(values.data);
      try {
        writeFileSync(values.export, exportConversation(db, positionals[0], /\.json$/i.test(values.export) ? 'json' : 'md'));
      } finally {
        db.close();
      }
      process.stdout.write(`wrote ${values.export}\n`);
      return;
    }
    if (!values.model) throw new UsageError('-m FILE is required');
    if (positionals.length > 1) throw new UsageError('give at most one document');
    if (positionals[0]) return chatAboutDocument(positionals[0], values);
    const sampling = samplingFromFlags(values);
    const model = await loadModel(values.model, loadFromFlags(values));
    const session = model.createSession(sessionFromFlags(values));
    const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
    let answering: AbortController | undefined;
    rl.on('SIGINT', () => (answering ? answering.abort() : rl.close()));
    process.stdout.write(`Chatting with ${model.path} (${session.contextSize}-token context). Ctrl-D to quit.\n`);
    process.stdout.write('> ');
    // The async iterator buffers lines that arrive while an answer streams (piped input arrives all at once).
    for await (const line of rl) {
      if (line.trim() === '/exit') break;
      if (!line.trim()) {
        process.stdout.write('> ');
        continue;
      }
      // The session already holds the earlier turns: the first turn is rendered whole (BOS, system prompt),
      // later ones add only their own user turn and the model prompt.
      const fresh = session.tokens.length === 0
        ? model.tokenizeChat([...(values.system ? [{ role: 'system' as const, content: values.system }] : []), { role: 'user', content: line }])
        : model.tokenize(`<start_of_turn>user\n${line.trim()}<end_of_turn>\n<start_of_turn>model\n`, { addSpecial: false, parseSpecial: true });
      answering = new AbortController();
      // Leave room to close the turn (<end_of_turn>\n) so the next question still lines up with the template.
      const maxTokens = session.contextSize - session.tokens.length - fresh.length - CLOSING_TOKENS;
      if (maxTokens < 1) {
        process.stdout.write(`[the conversation fills the ${session.contextSize}-token context; start a new chat or use a larger --ctx-size]\n`);
        break;
      }
      try {
        for await (const t of session.generate(fresh, { ...sampling, maxTokens, signal: answering.signal })) process.stdout.write(t.text);
      } catch (error) {
        if (error instanceof ContextOverflowError) {
          process.stdout.write(`\n[${error.message}]\n> `);
          continue;
        }
        if (!answering.signal.aborted) throw error;
        process.stdout.write(' [stopped]');
      }
      answering = undefined;
      process.stdout.write('\n');
      // Close the model turn in the cache as the template renders it (the sampled <end_of_turn> was not evaluated).
      session.evaluate(model.tokenize('<end_of_turn>\n', { addSpecial: false, parseSpecial: true }));
      process.stdout.write('> ');
    }
    rl.close();
  },
};
