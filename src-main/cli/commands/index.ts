// Every `quire` command, in the order `quire --help` lists them. Each command lives in its own file.
import type { Command } from '../command.js';
import { askCommand } from './ask.js';
import { benchCommand } from './bench.js';
import { chatCommand } from './chat.js';
import { embedImageCommand } from './embed-image.js';
import { evalCommand } from './eval.js';
import { figuresCommand } from './figures.js';
import { generateCommand } from './generate.js';
import { ingestCommand } from './ingest.js';
import { inspectCommand } from './inspect.js';
import { jobsCommand } from './jobs.js';
import { modelsCommand } from './models.js';
import { searchCommand } from './search.js';
import { serveCommand } from './serve.js';
import { summarizeCommand } from './summarize.js';
import { synthCommand } from './synth.js';
import { tokenizeCommand } from './tokenize.js';

export const commands: Command[] = [
  ingestCommand,
  searchCommand,
  figuresCommand,
  askCommand,
  summarizeCommand,
  jobsCommand,
  modelsCommand,
  serveCommand,
  inspectCommand,
  synthCommand,
  tokenizeCommand,
  generateCommand,
  evalCommand,
  chatCommand,
  embedImageCommand,
  benchCommand,
];
