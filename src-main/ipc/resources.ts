// The two kinds of bytes the page loads by URL rather than through calls — a document's PDF (for the viewer) and a
// figure's stored crop (for the gallery) — looked up the same way for `quire serve` (/api/…) and Electron's
// app://quire/api/…: only ingested documents and stored figures, by id, never a path from the page.
import { existsSync } from 'node:fs';
import type { Db } from '../store/database.js';

export type Resource = { kind: 'pdf'; path: string } | { kind: 'png'; bytes: Buffer } | { kind: 'missing'; message: string };

/** The resource a URL path names, or undefined if the path is not a resource URL. */
export function findResource(db: Db, pathname: string): Resource | undefined {
  const figure = /^\/api\/figure\/(\d{1,12})\.png$/.exec(pathname);
  if (figure) {
    const png = db.prepare('SELECT crop_png FROM figures WHERE id = ?').pluck().get(Number(figure[1])) as Buffer | null | undefined;
    return png ? { kind: 'png', bytes: png } : { kind: 'missing', message: 'no such figure image' };
  }
  const file = /^\/api\/file\/([0-9a-f]{1,64})$/.exec(pathname);
  if (file) {
    const path = db.prepare('SELECT path FROM documents WHERE id = ?').pluck().get(file[1]) as string | undefined;
    return path && existsSync(path) ? { kind: 'pdf', path } : { kind: 'missing', message: 'no such document (or its file moved)' };
  }
  return undefined;
}
