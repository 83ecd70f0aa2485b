// Gemma 3 chat turns, rendered the way the official template does (ENGINE-SPEC §5.5), without a Jinja engine:
// the system message is folded into the first user turn, `assistant` becomes `model`, content is trimmed.
// The leading BOS is left to the tokenizer (llama.cpp strips the template's "<bos>" text and adds id 2).

export type ChatContentPart = { type: 'text'; text: string } | { type: 'image' };

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string | ChatContentPart[];
}

export class ChatTemplateError extends Error {
  override readonly name = 'ChatTemplateError';
}

/** The marker that stands for one image block in rendered text; the runtime replaces it with image embeddings. */
export const IMAGE_PLACEHOLDER = '<start_of_image>';

function renderContent(content: string | ChatContentPart[]): string {
  if (typeof content === 'string') return content.trim();
  return content.map((part) => (part.type === 'image' ? IMAGE_PLACEHOLDER : part.text.trim())).join('');
}

export function renderGemma3Chat(messages: ChatMessage[], addGenerationPrompt = true): string {
  let firstUserPrefix = '';
  let loop = messages;
  if (messages[0]?.role === 'system') {
    const system = messages[0].content;
    firstUserPrefix = `${typeof system === 'string' ? system : system.find((p) => p.type === 'text')?.text ?? ''}\n\n`;
    loop = messages.slice(1);
  }
  let out = '';
  loop.forEach((message, index) => {
    if ((message.role === 'user') !== (index % 2 === 0) || message.role === 'system') {
      throw new ChatTemplateError(`Conversation roles must alternate user/assistant/user/assistant/… (message ${index + 1} is "${message.role}")`);
    }
    const role = message.role === 'assistant' ? 'model' : message.role;
    out += `<start_of_turn>${role}\n${index === 0 ? firstUserPrefix : ''}${renderContent(message.content)}<end_of_turn>\n`;
  });
  if (addGenerationPrompt) out += '<start_of_turn>model\n';
  return out;
}
