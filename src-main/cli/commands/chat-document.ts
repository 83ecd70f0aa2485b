// `quire chat DOC`: a conversation about one document in the terminal — each line is asked with the document as
// context (AskService), the answer streams with its sources, and every turn is stored in the document's conversation.
import { createInterface } from 'node:readline';
import { AskService } from '../../services/ask/ask-service.js';
import { integerOption } from '../args.js';
import { openDataStore } from '../data-dir.js';
import { engineFromFlags } from '../engine-from-flags.js';
import { samplingFromFlags } from '../sampling-flags.js';
import { describeAnswer } from './ask.js';

export async function chatAboutDocument(doc: string, values: Record<string, string | boolean | undefined>): Promise<void> {
  const { db } = openDataStore(values.data as string | undefined);
  const engine = await engineFromFlags(values).catch((e: unknown) => {
    db.close();
    throw e;
  });
  const ask = new AskService(db, engine);
  const maxTokens = integerOption(values.n as string | undefined, '-n', 1) ?? 512;
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
  let answering: AbortController | undefined;
  let conversationId: number | undefined;
  rl.on('SIGINT', () => (answering ? answering.abort() : rl.close()));
  process.stdout.write(`Asking ${doc}. Ctrl-C stops an answer; Ctrl-D (or /exit) ends.\n> `);
  try {
    for await (const line of rl) {
      if (line.trim() === '/exit') break;
      if (line.trim()) {
        answering = new AbortController();
        const result = await ask.ask(doc, line.trim(), {
          maxTokens, sampling: samplingFromFlags(values), signal: answering.signal, onToken: (t) => process.stdout.write(t),
          ...(conversationId !== undefined ? { conversationId } : values.new ? { newConversation: true } : {}),
        });
        conversationId = result.conversationId;
        answering = undefined;
        process.stdout.write(`${result.stop === 'cancelled' ? ' [stopped]' : ''}\n${describeAnswer(result)}\n`);
      }
      process.stdout.write('> ');
    }
  } finally {
    rl.close();
    engine.close();
    db.close();
  }
}
