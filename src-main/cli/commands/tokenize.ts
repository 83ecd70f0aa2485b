// `quire tokenize`: the token ids of a text, as the model's tokenizer produces them (with one BOS).
import { readGgufFile } from '../../../engine/gguf/index.js';
import { SpmTokenizer, Vocabulary } from '../../../engine/tokenizer/index.js';
import { parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';
import { UsageError } from '../usage-error.js';

const usage = `usage: quire tokenize -m FILE [--json] [--no-bos] [--special] TEXT

Prints the token ids of TEXT, space-separated (with --json: [{"id", "piece"}]).
  --no-bos    do not add the BOS token
  --special   parse control-token text such as <start_of_turn> as special tokens`;

export const tokenizeCommand: Command = {
  name: 'tokenize',
  summary: 'print the token ids of a text',
  usage,
  run(args) {
    const { values, positionals } = parseCommandArgs(args, {
      model: { type: 'string', short: 'm' }, json: { type: 'boolean' }, 'no-bos': { type: 'boolean' }, special: { type: 'boolean' },
    });
    if (!values.model) throw new UsageError('-m FILE is required');
    if (positionals.length !== 1) throw new UsageError('give the text as one argument (quote it)');
    const vocab = Vocabulary.fromGguf(readGgufFile(values.model).metadata);
    const ids = new SpmTokenizer(vocab).tokenize(positionals[0]!, !values['no-bos'], values.special ?? false);
    if (values.json) process.stdout.write(`${JSON.stringify(ids.map((id) => ({ id, piece: vocab.texts[id] })))}\n`);
    else process.stdout.write(`${ids.join(' ')}\n`);
  },
};
