// `quire generate`: continue a prompt (or answer it as a chat turn) and stream the text.
import { checkProjectorFitsModel, loadVisionModel } from '../../../engine/vision/index.js';
import { feedImagePrompt, loadModel } from '../../../engine/runtime/index.js';
import { IMAGE_PLACEHOLDER } from '../../../engine/tokenizer/index.js';
import { decodeImage } from '../../vision/decode-image.js';
import { integerOption, parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';
import { samplingFlagSpec, samplingFromFlags, samplingUsage, loadFromFlags, sessionFromFlags } from '../sampling-flags.js';
import { UsageError } from '../usage-error.js';

const usage = `usage: quire generate -m FILE -p TEXT [options]

  -m, --model FILE        a Gemma 3 GGUF
  -p, --prompt TEXT       the prompt
  -n, --max-tokens N      stop after N tokens (default: until the model ends its turn or the context is full)
  --chat                  wrap the prompt as a user turn of the chat template
  --mmproj FILE --image IMAGE
                          show the model an image (with its vision projector): it goes before the prompt text,
                          as <start_of_image> + 256 image tokens + <end_of_image>, as llama.cpp lays it out
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
      chat: { type: 'boolean' }, json: { type: 'boolean' }, mmproj: { type: 'string' }, image: { type: 'string' }, 'top-probs': { type: 'string' }, ...samplingFlagSpec,
    }, false);
    void positionals;
    if (!values.model) throw new UsageError('-m FILE is required');
    if (values.prompt === undefined) throw new UsageError('-p TEXT is required');
    const sampling = samplingFromFlags(values);
    const maxTokens = integerOption(values['max-tokens'], '--max-tokens', 1);
    const topProbs = values.json ? integerOption(values['top-probs'], '--top-probs', 1) ?? 5 : undefined;
    if (Boolean(values.mmproj) !== Boolean(values.image)) throw new UsageError('--mmproj FILE and --image IMAGE go together');
    const model = await loadModel(values.model, loadFromFlags(values));
    const images: Float32Array[] = [];
    if (values.mmproj && values.image) {
      const vision = loadVisionModel(values.mmproj, model.model.backend);
      checkProjectorFitsModel(vision.config, model.config);
      images.push(vision.encode(await decodeImage(values.image)));
    }
    const text = images.length > 0 ? `${IMAGE_PLACEHOLDER}${values.prompt}` : values.prompt;
    const tokens = values.chat
      ? model.tokenizeChat([{ role: 'user', content: text }])
      : model.tokenize(text, { parseSpecial: images.length > 0 });
    const session = model.createSession(sessionFromFlags(values));
    const prompt = feedImagePrompt(session, model.vocab, tokens, images);
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
