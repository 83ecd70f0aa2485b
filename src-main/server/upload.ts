// Files dropped on the page in a browser (`quire serve`): the browser cannot give their paths, so their bytes come
// here and are kept in the data folder's imports/, named by content so dropping the same file twice keeps one copy;
// the page then adds that path like any other. Written to a .part file first: a broken upload leaves nothing behind.
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { basename, join } from 'node:path';

/** Larger uploads are refused (a PDF that size is most likely not one to read). */
export const MAX_UPLOAD_BYTES = 2 ** 31;

export class UploadError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/** A name safe on every file system, from what the browser says the file was called. */
export function safeFileName(name: string): string {
  const base = basename(name.replaceAll('\\', '/')).normalize('NFC').replace(/[^\p{L}\p{N}._ -]+/gu, '_').replace(/^[.\s]+/, '').slice(-120);
  return /\.pdf$/i.test(base) ? base : `${base || 'document'}.pdf`;
}

export async function receiveUpload(req: IncomingMessage, dataDir: string, name: string): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > MAX_UPLOAD_BYTES) throw new UploadError(413, `the file is larger than ${MAX_UPLOAD_BYTES / 2 ** 30} GiB`);
  const dir = join(dataDir, 'imports');
  mkdirSync(dir, { recursive: true });
  const part = join(dir, `.upload-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.part`);
  const hash = createHash('sha256');
  let bytes = 0;
  const out = createWriteStream(part);
  try {
    for await (const chunk of req) {
      bytes += (chunk as Buffer).length;
      if (bytes > MAX_UPLOAD_BYTES) throw new UploadError(413, `the file is larger than ${MAX_UPLOAD_BYTES / 2 ** 30} GiB`);
      hash.update(chunk as Buffer);
      if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
    }
    await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
    if (bytes === 0) throw new UploadError(400, 'the file is empty');
    if (req.readableAborted) throw new UploadError(400, 'the upload was interrupted');
    const target = join(dir, `${hash.digest('hex').slice(0, 12)}-${safeFileName(name)}`);
    if (existsSync(target)) rmSync(part);
    else renameSync(part, target);
    return target;
  } catch (error) {
    out.destroy();
    rmSync(part, { force: true });
    throw error;
  }
}
