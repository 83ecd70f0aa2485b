// A document's conversation: its history, asking (streamed tokens; optionally about a region the user lassoed on a
// page; sampling follows Settings unless the call gives a seed), and exporting it as Markdown or JSON.
import { AskService } from '../../services/ask/ask-service.js';
import { exportConversation } from '../../services/ask/export-conversation.js';
import { listConversations, listMessages } from '../../store/conversations.js';
import { resolveDocument } from '../../store/documents.js';
import { readSettings } from '../../store/settings.js';
import { type ApiContext, documentId, engineOf, method } from '../api-context.js';
import { v } from '../validate.js';

const coordinate = v.number({ min: 0, max: 100_000 });

// One AskService per engine: it remembers each conversation's last context, so a follow-up reuses it.
const services = new WeakMap<object, AskService>();
function askService(ctx: ApiContext): AskService {
  const engine = engineOf(ctx);
  let service = services.get(engine);
  if (!service) services.set(engine, (service = new AskService(ctx.db, engine)));
  return service;
}

export const chatMethods = {
  'chat.history': method(v.object({ documentId }), ({ documentId: id }, { db }) => {
    const doc = resolveDocument(db, id);
    return listConversations(db, doc.id).map((c) => ({ ...c, messages: listMessages(db, c.id) }));
  }),
  'chat.ask': method(v.object({
    documentId, question: v.string({ min: 1, max: 4000 }), conversationId: v.optional(v.integer({ min: 1 })), maxTokens: v.optional(v.integer({ min: 1, max: 4096 })),
    seed: v.optional(v.integer({ min: 0, max: 2 ** 31 })),
    region: v.optional(v.object({ pageNumber: v.integer({ min: 1, max: 100_000 }), box: v.array(coordinate, { min: 4, max: 4 }) })),
  }), ({ documentId: id, question, conversationId, maxTokens, seed, region }, ctx) => {
    const s = readSettings(ctx.db);
    const fixedSeed = seed ?? s.seed;
    return askService(ctx).ask(id, question, {
      ...(conversationId ? { conversationId } : {}), ...(maxTokens ? { maxTokens } : {}),
      ...(region ? { region: { pageNumber: region.pageNumber, box: region.box as [number, number, number, number] } } : {}),
      sampling: { temperature: s.temperature, topK: s.topK, topP: s.topP, ...(fixedSeed !== null ? { seed: fixedSeed } : {}) },
      signal: ctx.signal, onToken: (text) => ctx.emit({ type: 'token', text }),
    });
  }),
  'chat.export': method(v.object({ documentId, conversationId: v.optional(v.integer({ min: 1 })), format: v.literal('md', 'json') }),
    ({ documentId: id, conversationId, format }, { db }) => exportConversation(db, id, format, conversationId)),
};
