// `quire serve`: the app's API and renderer for any browser, on 127.0.0.1 with a per-launch token (see
// src-main/server/quire-server.ts). With -m the model is loaded in an engine process for chat and batch.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { EngineHost } from '../../services/engine-host/index.js';
import { startServer } from '../../server/quire-server.js';
import { integerOption, parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';
import { DATA_OPTION_HELP, openDataStore } from '../data-dir.js';
import { engineFromFlags } from '../engine-from-flags.js';
import { samplingFlagSpec } from '../sampling-flags.js';

const RENDERER_DIR = fileURLToPath(new URL('../../../out/renderer', import.meta.url));

const usage = `usage: quire serve [--port N] [-m MODEL.gguf [--mmproj MMPROJ.gguf]] [--data DIR]

Serves Quire's API (HTTP + WebSocket) and its renderer on 127.0.0.1 only, and prints the URL to open — it carries a
token made for this launch; without it the server answers nothing. Ctrl-C stops it.
  --port N        the port (default: any free one)
  -m FILE         load this model for chat and batch (optional: the library works without one)
  ${DATA_OPTION_HELP}`;

export const serveCommand: Command = {
  name: 'serve',
  summary: 'serve the app to a browser on 127.0.0.1 (token-protected)',
  usage,
  async run(args) {
    const { values } = parseCommandArgs(args, { port: { type: 'string' }, model: { type: 'string', short: 'm' }, mmproj: { type: 'string' }, data: { type: 'string' }, ...samplingFlagSpec }, false);
    const port = integerOption(values.port, '--port', 1);
    const { db } = openDataStore(values.data);
    let engine: EngineHost | undefined;
    if (values.model) engine = await engineFromFlags(values);
    const rendererDir = existsSync(RENDERER_DIR) ? RENDERER_DIR : undefined;
    const server = await startServer({ ...(port ? { port } : {}), ...(rendererDir ? { rendererDir } : {}), context: { db, engine: () => engine } });
    process.stdout.write(`Quire is serving on ${server.url}\n`);
    if (!rendererDir) process.stdout.write('(the renderer is not built yet: the API answers, the page does not)\n');
    await new Promise<void>((resolve) => process.once('SIGINT', resolve));
    await server.close();
    engine?.close();
    db.close();
  },
};
