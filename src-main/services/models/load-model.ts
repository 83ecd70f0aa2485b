// Loading a registered model into the app's engine slot with the user's settings (context, threads, KV cache type):
// the context is the setting capped at the model's trained context, and a load that the memory estimate says cannot
// fit is refused before any process starts — with the context that would fit — instead of dying halfway through.
import type { Db } from '../../store/database.js';
import { findModel } from '../../store/models.js';
import { readSettings, writeSettings } from '../../store/settings.js';
import type { EngineSlot, LoadedInfo } from '../engine-host/index.js';
import { estimateMemory } from './estimate.js';
import { inspectModelFiles } from './model-files.js';
import { ModelRegistryError } from './registry.js';

export class ModelTooLargeError extends Error {
  override readonly name = 'ModelTooLargeError';
}

const mib = (bytes: number): string => `${Math.round(bytes / 2 ** 20)} MiB`;

export async function loadRegisteredModel(db: Db, slot: EngineSlot, name: string, isBusy?: () => boolean): Promise<LoadedInfo> {
  const entry = findModel(db, name);
  if (!entry) throw new ModelRegistryError(`no model named "${name}": add it in Models first`);
  const settings = readSettings(db);
  const files = inspectModelFiles(entry.modelPath, entry.mmprojPath);   // a moved or damaged file fails here, clearly
  const contextSize = Math.min(settings.contextSize, files.config.contextLength);
  const estimate = estimateMemory(files, contextSize, { kvType: settings.kvType });
  if (!estimate.fits) {
    throw new ModelTooLargeError(`${name} needs about ${mib(estimate.totalBytes)} at a ${contextSize}-token context and ${mib(estimate.availableBytes)} is free` +
      (estimate.largestFittingContext > 0 ? `: set the context to ${estimate.largestFittingContext} or less in Settings` : ': close other programs or choose a smaller model'));
  }
  const info = await slot.load(name, {
    model: entry.modelPath, ...(entry.mmprojPath ? { mmproj: entry.mmprojPath } : {}), contextSize, kvType: settings.kvType,
    ...(settings.threads > 0 ? { threads: settings.threads } : {}),
  }, isBusy);
  writeSettings(db, { model: name });
  return info;
}
