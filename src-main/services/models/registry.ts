// The model registry's operations: add local files after validating them (as the engine would load them) and
// recording their SHA-256; verify an entry later (header, tensor bounds, checksum); download one with resume.
import { basename, resolve } from 'node:path';
import type { Db } from '../../store/database.js';
import { type ModelEntry, findModel, saveModel } from '../../store/models.js';
import { downloadFile, sha256File } from './download.js';
import { inspectModelFiles } from './model-files.js';

export class ModelRegistryError extends Error {
  override readonly name = 'ModelRegistryError';
}

export interface AddOptions {
  name?: string;
  mmproj?: string;
  sourceUrl?: string;
  onHashProgress?: (file: string, done: number) => void;
}

export function defaultModelName(path: string): string {
  return basename(path).replace(/\.gguf$/i, '');
}

export async function addModel(db: Db, modelPath: string, options: AddOptions = {}): Promise<ModelEntry> {
  const model = resolve(modelPath);
  const mmproj = options.mmproj ? resolve(options.mmproj) : null;
  const files = inspectModelFiles(model, mmproj);                      // throws with the engine's own clear errors
  const name = options.name ?? defaultModelName(model);
  if (!/^[\w.@+-]{1,100}$/.test(name)) throw new ModelRegistryError(`"${name}" is not a usable name (letters, digits, . _ - + @)`);
  const modelSha256 = await sha256File(model, (d) => options.onHashProgress?.(model, d));
  const mmprojSha256 = mmproj ? await sha256File(mmproj, (d) => options.onHashProgress?.(mmproj, d)) : null;
  saveModel(db, {
    name, modelPath: model, modelSha256, modelBytes: files.fileBytes, mmprojPath: mmproj, mmprojSha256,
    mmprojBytes: files.vision?.fileBytes ?? null, sourceUrl: options.sourceUrl ?? null,
  });
  return findModel(db, name)!;
}

export interface VerifyReport {
  name: string;
  ok: boolean;
  problems: string[];
}

/** Re-reads the headers (structure, tensor bounds, keys), then re-hashes both files against the recorded SHA-256. */
export async function verifyModel(db: Db, name: string, onHashProgress?: (file: string, done: number) => void): Promise<VerifyReport> {
  const entry = findModel(db, name);
  if (!entry) throw new ModelRegistryError(`no model named "${name}" (see quire models list)`);
  const problems: string[] = [];
  try {
    inspectModelFiles(entry.modelPath, entry.mmprojPath);
  } catch (error) {
    problems.push((error as Error).message);
  }
  for (const [path, expected] of [[entry.modelPath, entry.modelSha256], [entry.mmprojPath, entry.mmprojSha256]] as const) {
    if (!path || !expected) continue;
    try {
      const actual = await sha256File(path, (d) => onHashProgress?.(path, d));
      if (actual !== expected) problems.push(`${path}: SHA-256 ${actual} differs from the ${expected} recorded when it was added`);
    } catch (error) {
      problems.push(`${path}: ${(error as Error).message}`);
    }
  }
  return { name, ok: problems.length === 0, problems };
}

export interface DownloadRequest {
  url: string;
  sha256: string;
  size?: number;
  mmprojUrl?: string;
  mmprojSha256?: string;
  name?: string;
  /** Folder the files are saved in. */
  dir: string;
  onProgress?: (file: string, received: number, total: number | undefined) => void;
  signal?: AbortSignal;
}

/** Downloads the model (and projector), verifies size and SHA-256, and only then registers the entry. */
export async function downloadModel(db: Db, req: DownloadRequest): Promise<ModelEntry> {
  const fileName = (url: string): string => {
    const base = basename(new URL(url).pathname);
    if (!/^[\w.@+-]+$/.test(base)) throw new ModelRegistryError(`cannot make a file name from ${url}`);
    return base;
  };
  const model = resolve(req.dir, fileName(req.url));
  await downloadFile(req.url, model, {
    sha256: req.sha256, ...(req.size !== undefined ? { size: req.size } : {}), ...(req.signal ? { signal: req.signal } : {}),
    onProgress: (r, t) => req.onProgress?.(model, r, t),
  });
  let mmproj: string | undefined;
  if (req.mmprojUrl) {
    if (!req.mmprojSha256) throw new ModelRegistryError('give --mmproj-sha256 with --mmproj-url');
    mmproj = resolve(req.dir, fileName(req.mmprojUrl));
    await downloadFile(req.mmprojUrl, mmproj, { sha256: req.mmprojSha256, ...(req.signal ? { signal: req.signal } : {}), onProgress: (r, t) => req.onProgress?.(mmproj!, r, t) });
  }
  return addModel(db, model, { ...(req.name ? { name: req.name } : {}), ...(mmproj ? { mmproj } : {}), sourceUrl: req.url });
}
