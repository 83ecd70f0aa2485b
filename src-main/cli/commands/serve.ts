// `quire serve`: the app's API and renderer for any browser, on 127.0.0.1 with a per-launch token (see
// src-main/server/quire-server.ts). With -m that model is loaded in an engine process for chat and batch; without it, the model last loaded
// in the app (Models) is loaded again.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { basename } from 'node:path';
import { EngineSlot, childEngineConnection } from '../../services/engine-host/index.js';
import { loadRegisteredModel } from '../../services/models/load-model.js';
import { readSettings } from '../../store/settings.js';
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
  -m FILE         load this model for chat and batch (default: the one last loaded in the app's Models screen;
                  the library works without one)
  ${DATA_OPTION_HELP}`;

export const serveCommand: Command = {
  name: 'serve',
  summary: 'serve the app to a browser on 127.0.0.1 (token-protected)',
  usage,
  async run(args) {
    const { values } = parseCommandArgs(args, { port: { type: 'string' }, model: { type: 'string', short: 'm' }, mmproj: { type: 'string' }, data: { type: 'string' }, ...samplingFlagSpec }, false);
    const port = integerOption(values.port, '--port', 1);
    const { db, dataDir } = openDataStore(values.data);
    const connect = (): ReturnType<typeof childEngineConnection> => childEngineConnection();
    const engines = values.model ? EngineSlot.holding(await engineFromFlags(values), basename(String(values.model)), connect) : new EngineSlot(connect);
    const rendererDir = existsSync(RENDERER_DIR) ? RENDERER_DIR : undefined;
    const server = await startServer({ ...(port ? { port } : {}), ...(rendererDir ? { rendererDir } : {}), context: { db, dataDir, engines } });
    process.stdout.write(`Quire is serving on ${server.url}\n`);
    if (!rendererDir) process.stdout.write('(the renderer is not built yet: the API answers, the page does not)\n');
    // Without -m, the model the user loaded last comes back (in the background: the page works meanwhile).
    const last = readSettings(db).model;
    if (!values.model && last) {
      process.stdout.write(`loading ${last}…\n`);
      loadRegisteredModel(db, engines, last).then(() => process.stdout.write(`${last} is loaded\n`),
        (error: Error) => process.stderr.write(`quire serve: could not load ${last}: ${error.message}\n`));
    }
    await new Promise<void>((resolve) => process.once('SIGINT', resolve));
    await server.close();
    engines.close();
    db.close();
  },
};
