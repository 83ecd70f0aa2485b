// `quire generate`: continue a prompt (or answer it as a chat turn) and stream the text.
import { loadModel } from '../../../engine/runtime/index.js';
import { integerOption, parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';
import { samplingFlagSpec, samplingFromFlags, samplingUsage, loadFromFlags, sessionFromFlags } from '../sampling-flags.js';
import { UsageError } from '../usage-error.js';

const usage = `usage: quire generate -m FILE -p TEXT [options]

  -m, --model FILE        a Gemma 3 GGUF
  -p, --prompt TEXT       the prompt
  -n, --max-tokens N      stop after N tokens (default: until the model ends its turn or the context is full)
  --chat                  wrap the prompt as a user turn of the chat template
  --json                  one JSON line per token: {"token", "text", "top": [{"token", "p"}]}
  --top-probs K           with --json, the K most probable next tokens of the full softmax (default 5)
${samplingUsage}`;

export const generateCommand: Command = {
  name: 'generate',
  summary: 'generate text from a prompt',
  usage,
  async run(args) {
    const { values, positionals } = parseCommandArgs(args, {
      model: { type: 'string', short: 'm' }, prompt: { type: 'string', short: 'p' }, 'max-tokens': { type: 'string', short: 'n' },
      chat: { type: 'boolean' }, json: { type: 'boolean' }, 'top-probs': { type: 'string' }, ...samplingFlagSpec,
    }, false);
    void positionals;
    if (!values.model) throw new UsageError('-m FILE is required');
    if (values.prompt === undefined) throw new UsageError('-p TEXT is required');
    const sampling = samplingFromFlags(values);
    const maxTokens = integerOption(values['max-tokens'], '--max-tokens', 1);
    const topProbs = values.json ? integerOption(values['top-probs'], '--top-probs', 1) ?? 5 : undefined;
    const model = await loadModel(values.model, loadFromFlags(values));
    const prompt = values.chat ? model.tokenizeChat([{ role: 'user', content: values.prompt }]) : model.tokenize(values.prompt);
    const session = model.createSession(sessionFromFlags(values));
    const abort = new AbortController();
    process.once('SIGINT', () => abort.abort());
    try {
      for await (const t of session.generate(prompt, { ...sampling, signal: abort.signal, ...(maxTokens ? { maxTokens } : {}), ...(topProbs ? { topProbs } : {}) })) {
        if (values.json) process.stdout.write(`${JSON.stringify({ token: t.token, text: t.text, ...(t.eog ? { eog: true } : {}), top: t.top })}\n`);
        else process.stdout.write(t.text);
      }
    } catch (error) {
      if (!abort.signal.aborted) throw error;
    }
    if (!values.json) process.stdout.write('\n');
  },
};
