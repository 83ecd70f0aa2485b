// `quire models list|add|verify|estimate|download|remove`: the registry of model entries (a Gemma 3 model and its
// vision projector as one unit).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { estimateMemory } from '../../services/models/estimate.js';
import { inspectModelFiles } from '../../services/models/model-files.js';
import { ModelRegistryError, addModel, downloadModel, verifyModel } from '../../services/models/registry.js';
import { findModel, listModels, removeModel } from '../../store/models.js';
import { integerOption, parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';
import { DATA_OPTION_HELP, openDataStore } from '../data-dir.js';
import { UsageError } from '../usage-error.js';

const usage = `usage: quire models list [--json]
       quire models add MODEL.gguf [--mmproj MMPROJ.gguf] [--name NAME]
       quire models verify NAME
       quire models estimate NAME [--ctx-size N] [--kv-type f16|q8_0]
       quire models download URL --sha256 HEX [--size BYTES] [--mmproj-url URL --mmproj-sha256 HEX] [--name NAME]
       quire models remove NAME

add checks the files as the engine loads them (structure, tensor bounds, Gemma 3 keys, the projector's width)
and records their SHA-256; verify checks them again. estimate gives the memory for weights, KV cache and vision at a
context size against the memory free now, and the largest context that fits. download fetches over HTTP(S) with
resume into a .part file, checks size and SHA-256, and only then adds the entry (files go to the data folder's
models/). Quire makes no network request except this one.
  ${DATA_OPTION_HELP}`;

const mib = (b: number): string => `${(b / 2 ** 20).toFixed(b < 2 ** 24 ? 1 : 0)} MiB`;

export const modelsCommand: Command = {
  name: 'models',
  summary: 'list, add, verify, estimate or download models',
  usage,
  async run(args) {
    const { values, positionals } = parseCommandArgs(args, {
      json: { type: 'boolean' }, mmproj: { type: 'string' }, name: { type: 'string' }, 'ctx-size': { type: 'string' }, 'kv-type': { type: 'string' },
      sha256: { type: 'string' }, size: { type: 'string' }, 'mmproj-url': { type: 'string' }, 'mmproj-sha256': { type: 'string' }, data: { type: 'string' },
    });
    const [action = 'list', arg] = positionals;
    const { db, dataDir } = openDataStore(values.data);
    const hashing = (file: string, done: number): void => {
      if (process.stderr.isTTY) process.stderr.write(`\rhashing ${file}: ${mib(done)}`);
    };
    try {
      switch (action) {
        case 'list': {
          const entries = listModels(db);
          for (const m of entries) {
            process.stdout.write(values.json ? `${JSON.stringify(m)}\n`
              : `${m.name}  ${mib(m.modelBytes)}${m.mmprojPath ? ` + vision ${mib(m.mmprojBytes ?? 0)}` : ''}  ${m.modelPath}\n`);
          }
          if (!entries.length && !values.json) process.stderr.write('no models yet: quire models add MODEL.gguf [--mmproj MMPROJ.gguf]\n');
          return;
        }
        case 'add': {
          if (!arg) throw new UsageError('give the model file: quire models add MODEL.gguf');
          const entry = await addModel(db, arg, { ...(values.mmproj ? { mmproj: values.mmproj } : {}), ...(values.name ? { name: values.name } : {}), onHashProgress: hashing });
          process.stdout.write(`added ${entry.name}: ${entry.modelPath} (sha256 ${entry.modelSha256})${entry.mmprojPath ? ` with ${entry.mmprojPath}` : ''}\n`);
          return;
        }
        case 'verify': {
          if (!arg) throw new UsageError('give the model name: quire models verify NAME');
          const report = await verifyModel(db, arg, hashing);
          process.stdout.write(report.ok ? `${arg}: ok (headers, tensor bounds and SHA-256 match)\n` : `${arg}: PROBLEMS\n${report.problems.map((p) => `  ${p}`).join('\n')}\n`);
          if (!report.ok) process.exitCode = 1;
          return;
        }
        case 'estimate': {
          const entry = arg ? findModel(db, arg) : undefined;
          if (!entry) throw new UsageError(arg ? `no model named "${arg}"` : 'give the model name: quire models estimate NAME');
          const files = inspectModelFiles(entry.modelPath, entry.mmprojPath);
          const ctx = integerOption(values['ctx-size'], '--ctx-size', 16) ?? Math.min(4096, files.config.contextLength);
          if (ctx > files.config.contextLength) throw new UsageError(`--ctx-size ${ctx} is more than the ${files.config.contextLength} tokens this model was trained for`);
          const kvType = values['kv-type'] ?? 'f16';
          if (kvType !== 'f16' && kvType !== 'q8_0') throw new UsageError('--kv-type must be f16 or q8_0');
          const e = estimateMemory(files, ctx, { kvType });
          if (values.json) {
            process.stdout.write(`${JSON.stringify(e)}\n`);
            return;
          }
          process.stdout.write([
            `${entry.name} at ${ctx} tokens (${kvType} KV cache):`,
            `  weights   ${mib(e.weightBytes)}`, `  KV cache  ${mib(e.kvBytes)}`, `  vision    ${mib(e.visionBytes)}`,
            `  runtime   ${mib(e.overheadBytes)}`, `  total     ${mib(e.totalBytes)} of ${mib(e.availableBytes)} available now — ${e.fits ? 'fits' : 'DOES NOT FIT'}`,
            e.largestFittingContext ? `  largest context that fits: ${e.largestFittingContext} tokens (trained: ${files.config.contextLength})` : '  not even a 1024-token context fits in the memory available now',
          ].join('\n') + '\n');
          return;
        }
        case 'download': {
          if (!arg) throw new UsageError('give the URL: quire models download URL --sha256 HEX');
          if (!values.sha256) throw new UsageError('give --sha256 HEX: Quire registers only files it has verified');
          const size = integerOption(values.size, '--size', 1);
          const dir = join(dataDir, 'models');
          mkdirSync(dir, { recursive: true });
          const abort = new AbortController();
          const onSigint = (): void => abort.abort();
          process.on('SIGINT', onSigint);
          try {
            const entry = await downloadModel(db, {
              url: arg, sha256: values.sha256, dir, signal: abort.signal, ...(size ? { size } : {}), ...(values.name ? { name: values.name } : {}),
              ...(values['mmproj-url'] ? { mmprojUrl: values['mmproj-url'] } : {}), ...(values['mmproj-sha256'] ? { mmprojSha256: values['mmproj-sha256'] } : {}),
              onProgress: (file, r, t) => process.stderr.write(`\r${file}: ${mib(r)}${t ? ` of ${mib(t)} (${Math.floor((100 * r) / t)}%)` : ''}   `),
            });
            process.stderr.write('\n');
            process.stdout.write(`downloaded and added ${entry.name}: ${entry.modelPath} (sha256 verified)\n`);
          } finally {
            process.off('SIGINT', onSigint);
          }
          return;
        }
        case 'remove': {
          if (!arg) throw new UsageError('give the model name');
          if (!removeModel(db, arg)) throw new ModelRegistryError(`no model named "${arg}"`);
          process.stdout.write(`removed ${arg} from the registry (its files were left where they are)\n`);
          return;
        }
        default:
          throw new UsageError(`unknown models action "${action}": list, add, verify, estimate, download or remove`);
      }
    } finally {
      db.close();
    }
  },
};
