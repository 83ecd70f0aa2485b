// Models: the registry (list, add, verify, estimate, remove), downloads with progress (only when the offline switch
// is off — the one network request Quire makes, and only on the user's word), and loading one into the engine.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { estimateMemory } from '../../services/models/estimate.js';
import { loadRegisteredModel } from '../../services/models/load-model.js';
import { inspectModelFiles } from '../../services/models/model-files.js';
import { addModel, downloadModel, verifyModel } from '../../services/models/registry.js';
import { findModel, listModels, removeModel } from '../../store/models.js';
import { readSettings, writeSettings } from '../../store/settings.js';
import { NotReadyError, method, modelName, noArgs, path } from '../api-context.js';
import { v } from '../validate.js';
import { batchRunning } from './batch.js';

export class OfflineError extends Error {
  override readonly name = 'OfflineError';
  constructor() {
    super('Quire is offline: turn the offline switch off in Settings to download a model');
  }
}

const url = v.string({ min: 8, max: 4096, pattern: /^https?:\/\//i });
const sha256 = v.string({ min: 64, max: 64, pattern: /^[0-9a-fA-F]{64}$/ });

export const modelMethods = {
  'models.list': method(noArgs, (_a, { db }) => listModels(db)),
  'models.add': method(v.object({ path, mmproj: v.optional(path), name: v.optional(modelName) }), ({ path: model, mmproj, name }, { db }) =>
    addModel(db, model, { ...(mmproj ? { mmproj } : {}), ...(name ? { name } : {}) })),
  'models.verify': method(v.object({ name: modelName }), ({ name }, { db }) => verifyModel(db, name)),
  'models.remove': method(v.object({ name: modelName }), ({ name }, { db, engines }) => {
    const status = engines.status();
    if (status.state !== 'empty' && status.model === name) throw new NotReadyError(`${name} is loaded: unload it first`);
    if (readSettings(db).model === name) writeSettings(db, { model: null });
    return removeModel(db, name);                                          // the registry entry only: files stay
  }),
  'models.estimate': method(v.object({ name: modelName, contextSize: v.optional(v.integer({ min: 16, max: 1 << 20 })) }), ({ name, contextSize }, { db }) => {
    const entry = findModel(db, name);
    if (!entry) throw new NotReadyError(`no model named "${name}"`);
    const files = inspectModelFiles(entry.modelPath, entry.mmprojPath);
    const settings = readSettings(db);
    return estimateMemory(files, contextSize ?? Math.min(settings.contextSize, files.config.contextLength), { kvType: settings.kvType });
  }),
  'models.status': method(noArgs, (_a, { engines }) => engines.status()),
  'models.load': method(v.object({ name: modelName }), ({ name }, { db, engines }) => loadRegisteredModel(db, engines, name, batchRunning)),
  'models.unload': method(noArgs, (_a, { db, engines }) => {
    engines.unload(batchRunning);
    writeSettings(db, { model: null });
    return engines.status();
  }),
  'models.download': method(v.object({
    url, sha256, size: v.optional(v.integer({ min: 1 })), mmprojUrl: v.optional(url), mmprojSha256: v.optional(sha256), name: v.optional(modelName),
  }), async (req, ctx) => {
    if (readSettings(ctx.db).offline) throw new OfflineError();
    const dir = join(ctx.dataDir, 'models');
    mkdirSync(dir, { recursive: true });
    let last = 0;
    return downloadModel(ctx.db, {
      ...req, sha256: req.sha256.toLowerCase(), ...(req.mmprojSha256 ? { mmprojSha256: req.mmprojSha256.toLowerCase() } : {}), dir, signal: ctx.signal,
      onProgress: (file, received, total) => {
        const now = Date.now();
        if (now - last < 100 && received !== total) return;                 // at most ten progress events a second
        last = now;
        ctx.emit({ type: 'progress', file, received, total: total ?? null });
      },
    });
  }),
};
