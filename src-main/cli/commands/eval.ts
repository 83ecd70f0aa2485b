// `quire eval`: BOS + the prompt in one pass; for every position, the most probable next tokens.
import { loadModel, topProbabilities } from '../../../engine/runtime/index.js';
import { integerOption, parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';
import { UsageError } from '../usage-error.js';
import { loadFromFlags } from '../sampling-flags.js';

const usage = `usage: quire eval -m FILE -p TEXT [--top K] [--json]

Feeds BOS + TEXT in one pass and prints, for every position, the K most probable next tokens (default 5).
With --json, one line per position: {"pos", "token", "top": [{"token", "p"}]}.
  --backend native|reference, --threads N   as for generate`;

export const evalCommand: Command = {
  name: 'eval',
  summary: 'next-token probabilities at every position of a prompt',
  usage,
  async run(args) {
    const { values } = parseCommandArgs(args, {
      model: { type: 'string', short: 'm' }, prompt: { type: 'string', short: 'p' }, top: { type: 'string' }, json: { type: 'boolean' },
      backend: { type: 'string' }, threads: { type: 'string' },
    }, false);
    if (!values.model) throw new UsageError('-m FILE is required');
    if (values.prompt === undefined) throw new UsageError('-p TEXT is required');
    const k = integerOption(values.top, '--top', 1) ?? 5;
    const model = await loadModel(values.model, loadFromFlags(values));
    const tokens = model.tokenize(values.prompt);
    const session = model.createSession({ contextSize: Math.min(model.config.contextLength, Math.max(tokens.length, 16)) });
    const logits = session.evaluate(tokens, 'all');
    const V = model.config.nVocab;
    tokens.forEach((token, pos) => {
      const top = topProbabilities(logits.subarray(pos * V, (pos + 1) * V), k);
      if (values.json) {
        process.stdout.write(`${JSON.stringify({ pos, token, top })}\n`);
      } else {
        const shown = top.map((e) => `${JSON.stringify(model.detokenize([e.token], true))} ${e.p.toFixed(4)}`).join('  ');
        process.stdout.write(`${String(pos).padStart(4)} ${JSON.stringify(model.detokenize([token], true)).padEnd(16)} → ${shown}\n`);
      }
    });
  },
};
