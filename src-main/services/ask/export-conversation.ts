// A conversation about a document as a file the user keeps: Markdown to read (each answer followed by its sources —
// page and quoted words, or figure and page) or JSON for other tools (every message with its citations as stored).
import { type Message, listConversations, listMessages } from '../../store/conversations.js';
import type { Db } from '../../store/database.js';
import { listFigures, resolveDocument } from '../../store/documents.js';
import type { DocumentRecord } from '../../store/records.js';

export interface ConversationExport {
  document: Pick<DocumentRecord, 'id' | 'title' | 'path' | 'pageCount'>;
  conversation: { id: number; title: string; createdAt: string };
  messages: Message[];
  /** Figure id → its number in the document, for "figure N" in the Markdown. */
  figureNumbers: Map<number, number>;
}

const quoteBlock = (text: string): string => text.split('\n').map((l) => `> ${l}`).join('\n');

export function conversationMarkdown(e: ConversationExport): string {
  const name = e.document.title ?? e.document.path.split(/[\\/]/).pop() ?? e.document.path;
  const out = [`# ${e.conversation.title || 'Conversation'}`, '', `About **${name}** (${e.document.pageCount} pages), started ${e.conversation.createdAt}.`, ''];
  for (const m of e.messages) {
    if (m.role === 'user') {
      out.push('## Question', '', ...(m.region ? [`*About the region selected on page ${m.region.pageNumber}.*`, ''] : []), quoteBlock(m.content), '');
    }
    else if (m.role === 'assistant') {
      out.push('**Answer**', '', m.content, '');
      if (m.citations.length) {
        out.push('Sources:');
        for (const c of m.citations) {
          const figure = c.figureId !== undefined ? e.figureNumbers.get(c.figureId) : undefined;
          out.push(c.figureId !== undefined ? `- figure ${figure ?? '?'}, page ${c.pageNumber}` : `- page ${c.pageNumber}${c.quote ? `: “${c.quote}”` : ''}`);
        }
        out.push('');
      }
    }
  }
  return out.join('\n');
}

export function conversationJson(e: ConversationExport): string {
  return JSON.stringify({
    document: e.document, conversation: e.conversation,
    messages: e.messages.map((m) => ({ role: m.role, content: m.content, createdAt: m.createdAt, ...(m.region ? { region: m.region } : {}), citations: m.citations.map((c) => ({ ...c, ...(c.figureId !== undefined ? { figureNumber: e.figureNumbers.get(c.figureId) } : {}) })) })),
  }, null, 2);
}

/** The document's conversation (the latest, or the one named) as Markdown or JSON. */
export function exportConversation(db: Db, documentRef: string, format: 'md' | 'json', conversationId?: number): string {
  const doc = resolveDocument(db, documentRef);
  const conversations = listConversations(db, doc.id);
  const conversation = conversationId ? conversations.find((c) => c.id === conversationId) : conversations.at(-1);
  if (!conversation) throw new RangeError(conversationId ? `this document has no conversation ${conversationId}` : 'this document has no conversation yet');
  const data: ConversationExport = {
    document: { id: doc.id, title: doc.title, path: doc.path, pageCount: doc.pageCount }, conversation, messages: listMessages(db, conversation.id),
    figureNumbers: new Map(listFigures(db, doc.id).map((f) => [f.id, f.number])),
  };
  return format === 'md' ? conversationMarkdown(data) : conversationJson(data);
}
