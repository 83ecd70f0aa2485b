// `quire bench`: prompt-processing and generation speed of Quire's engine on one model file.
import { loadModel } from '../../../engine/runtime/index.js';
import { benchPrompt } from '../../../engine/tokenizer/index.js';
import { integerOption, parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';
import { loadFromFlags } from '../sampling-flags.js';
import { UsageError } from '../usage-error.js';

const usage = `usage: quire bench -m FILE [--threads N] [--pp N] [--tg N] [--backend native|reference] [--json]

Evaluates a prompt of N random tokens (--pp, default 512) in batches of 512, then generates --tg tokens
(default 128) one at a time, and prints tokens per second. With --json the last line is
{"pp_tps": …, "tg_tps": …, "peak_rss_mb": …}.`;

export const benchCommand: Command = {
  name: 'bench',
  summary: 'measure prompt and generation speed',
  usage,
  async run(args) {
    const { values } = parseCommandArgs(args, {
      model: { type: 'string', short: 'm' }, threads: { type: 'string' }, pp: { type: 'string' }, tg: { type: 'string' },
      backend: { type: 'string' }, json: { type: 'boolean' },
    }, false);
    if (!values.model) throw new UsageError('-m FILE is required');
    const pp = integerOption(values.pp, '--pp', 1) ?? 512;
    const tg = integerOption(values.tg, '--tg', 0) ?? 128;
    const model = await loadModel(values.model, loadFromFlags(values));
    const session = model.createSession({ contextSize: Math.min(model.config.contextLength, pp + tg + 16) });
    const tokens = benchPrompt(model.vocab, pp);
    const t0 = performance.now();
    session.evaluate(tokens);
    const t1 = performance.now();
    for (let i = 0; i < tg; i++) session.evaluate([tokens[1 + (i % (tokens.length - 1))] ?? tokens[0]!]);
    const t2 = performance.now();
    const result = {
      pp_tps: pp / ((t1 - t0) / 1000),
      tg_tps: tg > 0 ? tg / ((t2 - t1) / 1000) : 0,
      peak_rss_mb: process.resourceUsage().maxRSS / 1024,
    };
    if (!values.json) {
      process.stdout.write(`${model.path}: ${model.model.backend.name} backend\n` +
        `prompt ${pp} tokens: ${result.pp_tps.toFixed(1)} tok/s\ngeneration ${tg} tokens: ${result.tg_tps.toFixed(1)} tok/s\npeak RSS ${result.peak_rss_mb.toFixed(0)} MB\n`);
    }
    process.stdout.write(`${JSON.stringify(result)}\n`);
  },
};
