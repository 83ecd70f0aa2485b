// Registered models (migration 007).
import type { Db } from './database.js';

export interface ModelEntry {
  name: string;
  modelPath: string;
  modelSha256: string;
  modelBytes: number;
  mmprojPath: string | null;
  mmprojSha256: string | null;
  mmprojBytes: number | null;
  sourceUrl: string | null;
  addedAt: string;
}

const COLUMNS = `name, model_path AS modelPath, model_sha256 AS modelSha256, model_bytes AS modelBytes, mmproj_path AS mmprojPath,
  mmproj_sha256 AS mmprojSha256, mmproj_bytes AS mmprojBytes, source_url AS sourceUrl, added_at AS addedAt`;

export function saveModel(db: Db, m: Omit<ModelEntry, 'addedAt'>): void {
  db.prepare(`
    INSERT OR REPLACE INTO models (name, model_path, model_sha256, model_bytes, mmproj_path, mmproj_sha256, mmproj_bytes, source_url, added_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
  `).run(m.name, m.modelPath, m.modelSha256, m.modelBytes, m.mmprojPath, m.mmprojSha256, m.mmprojBytes, m.sourceUrl, new Date().toISOString());
}

export function listModels(db: Db): ModelEntry[] {
  return db.prepare(`SELECT ${COLUMNS} FROM models ORDER BY name`).all() as ModelEntry[];
}

export function findModel(db: Db, name: string): ModelEntry | undefined {
  return db.prepare(`SELECT ${COLUMNS} FROM models WHERE name = ?`).get(name) as ModelEntry | undefined;
}

export function removeModel(db: Db, name: string): boolean {
  return db.prepare('DELETE FROM models WHERE name = ?').run(name).changes > 0;
}
