// Every `quire` command, in the order `quire --help` lists them. Each command lives in its own file.
import type { Command } from '../command.js';
import { inspectCommand } from './inspect.js';
import { synthCommand } from './synth.js';

export const commands: Command[] = [
  inspectCommand,
  synthCommand,
];
