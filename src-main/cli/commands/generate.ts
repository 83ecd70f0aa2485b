// `quire generate`: continue a prompt (or answer it as a chat turn) and stream the text.
import { checkProjectorFitsModel, loadVisionModel, panAndScanPrompt } from '../../../engine/vision/index.js';
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
  --pan-and-scan          with --image: also show 2–4 crops of a wide or tall image, worded and resized as
                          Hugging Face's Gemma 3 processor does (each part stretched to 896×896)
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
      chat: { type: 'boolean' }, json: { type: 'boolean' }, mmproj: { type: 'string' }, image: { type: 'string' }, 'pan-and-scan': { type: 'boolean' }, 'top-probs': { type: 'string' }, ...samplingFlagSpec,
    }, false);
    void positionals;
    if (!values.model) throw new UsageError('-m FILE is required');
    if (values.prompt === undefined) throw new UsageError('-p TEXT is required');
    const sampling = samplingFromFlags(values);
    const maxTokens = integerOption(values['max-tokens'], '--max-tokens', 1);
    const topProbs = values.json ? integerOption(values['top-probs'], '--top-probs', 1) ?? 5 : undefined;
    if (Boolean(values.mmproj) !== Boolean(values.image)) throw new UsageError('--mmproj FILE and --image IMAGE go together');
    const model = await loadModel(values.model, loadFromFlags(values));
    if (values['pan-and-scan'] && !values.image) throw new UsageError('--pan-and-scan needs --image');
    const images: Float32Array[] = [];
    let imageText = '';
    if (values.mmproj && values.image) {
      const vision = loadVisionModel(values.mmproj, model.model.backend);
      checkProjectorFitsModel(vision.config, model.config);
      const image = await decodeImage(values.image);
      if (values['pan-and-scan']) {
        // HF wraps every image block in blank lines: "\n\n<start_of_image>…<end_of_image>\n\n".
        const { embeddings, crops } = vision.encodePanAndScan(image);
        images.push(...embeddings);
        imageText = panAndScanPrompt(crops).map((part) => ('text' in part ? part.text : `\n\n${IMAGE_PLACEHOLDER}\n\n`)).join('');
      } else {
        images.push(vision.encode(image));
        imageText = IMAGE_PLACEHOLDER;
      }
    }
    const text = `${imageText}${values.prompt}`;
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
