// Downloads a file with HTTP range resume: bytes go to DEST.part (kept between attempts and between runs), a dropped
// connection is retried from where it stopped, and only a file of the expected size and SHA-256 is renamed to DEST.
// A file that does not match is deleted and refused. The only network request Quire makes, and only when asked.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, renameSync, statSync, unlinkSync } from 'node:fs';
import { get as httpGet, type IncomingMessage } from 'node:http';
import { get as httpsGet } from 'node:https';

export interface DownloadOptions {
  /** Expected SHA-256 (hex): required, so nothing unverified is ever registered. */
  sha256: string;
  /** Expected size in bytes, when known in advance (otherwise taken from the server). */
  size?: number;
  /** Attempts after a dropped connection (default 5). */
  retries?: number;
  onProgress?: (received: number, total: number | undefined) => void;
  signal?: AbortSignal;
}

export class DownloadError extends Error {
  override readonly name = 'DownloadError';
}

export class ChecksumMismatchError extends DownloadError {
  constructor(readonly expected: string, readonly actual: string) {
    super(`the downloaded file's SHA-256 is ${actual}, not the expected ${expected}: it was deleted and not registered`);
  }
}

export async function sha256File(path: string, onProgress?: (done: number) => void): Promise<string> {
  const hash = createHash('sha256');
  let done = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 4 << 20 })) {
    hash.update(chunk as Buffer);
    done += (chunk as Buffer).length;
    onProgress?.(done);
  }
  return hash.digest('hex');
}

function request(url: string, start: number, signal?: AbortSignal): Promise<IncomingMessage> {
  const get = url.startsWith('https:') ? httpsGet : url.startsWith('http:') ? httpGet : undefined;
  if (!get) return Promise.reject(new DownloadError(`only http and https URLs can be downloaded, not ${url}`));
  return new Promise((resolve, reject) => {
    const req = get(url, { headers: start > 0 ? { Range: `bytes=${start}-` } : {}, ...(signal ? { signal } : {}) }, resolve);
    req.on('error', reject);
  });
}

/** One attempt: appends what the server sends to the .part file. Resolves with the total size when known. */
async function attempt(url: string, part: string, options: DownloadOptions, redirects = 0): Promise<number | undefined> {
  const have = existsSync(part) ? statSync(part).size : 0;
  const res = await request(url, have, options.signal);
  const status = res.statusCode ?? 0;
  if (status >= 300 && status < 400 && res.headers.location) {
    res.resume();
    if (redirects >= 5) throw new DownloadError('too many redirects');
    return attempt(new URL(res.headers.location, url).toString(), part, options, redirects + 1);
  }
  if (status === 416) {                                                          // nothing left past what we have
    res.resume();
    return have;
  }
  if (status !== 200 && status !== 206) {
    res.resume();
    throw new DownloadError(`the server answered ${status} ${res.statusMessage ?? ''} for ${url}`);
  }
  const range = /bytes (\d+)-\d+\/(\d+|\*)/.exec(res.headers['content-range'] ?? '');
  const resumeAt = status === 206 && range ? Number(range[1]) : 0;
  if (resumeAt !== 0 && resumeAt !== have) throw new DownloadError(`the server resumed at byte ${resumeAt}, not at ${have}`);
  const total = range && range[2] !== '*' ? Number(range[2]) : res.headers['content-length'] ? resumeAt + Number(res.headers['content-length']) : undefined;
  if (options.size !== undefined && total !== undefined && total !== options.size) {
    res.resume();
    throw new DownloadError(`the server has ${total} bytes, not the expected ${options.size}`);
  }
  const out = createWriteStream(part, { flags: resumeAt === 0 ? 'w' : 'a' });
  let received = resumeAt;
  // Written bytes are flushed and the file closed before anything else happens, so a retry resumes at the true size.
  const failure = await new Promise<Error | undefined>((resolve) => {
    let failed: Error | undefined;
    res.on('data', (chunk: Buffer) => {
      received += chunk.length;
      options.onProgress?.(received, total);
    });
    res.on('aborted', () => (failed ??= new DownloadError('the connection dropped')));
    res.on('error', (e) => (failed ??= e));
    res.on('close', () => out.end());
    out.on('error', (e) => (failed ??= e));
    out.on('close', () => resolve(failed ?? (res.complete ? undefined : new DownloadError('the connection dropped'))));
    res.pipe(out);
  });
  if (failure) throw failure;
  return total;
}

export async function downloadFile(url: string, dest: string, options: DownloadOptions): Promise<{ bytes: number; sha256: string; resumedFrom: number }> {
  if (!/^[0-9a-f]{64}$/i.test(options.sha256)) throw new DownloadError('give the expected SHA-256 (64 hex digits): Quire registers only verified files');
  const part = `${dest}.part`;
  const resumedFrom = existsSync(part) ? statSync(part).size : 0;
  let total: number | undefined;
  for (let tries = 0; ; tries++) {
    try {
      total = await attempt(url, part, options);
      break;
    } catch (error) {
      options.signal?.throwIfAborted();
      if (error instanceof DownloadError && !/dropped/.test(error.message)) throw error;
      if (tries >= (options.retries ?? 5)) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.min(200 * 2 ** tries, 5000)));
    }
  }
  const bytes = statSync(part).size;
  const expectedSize = options.size ?? total;
  if (expectedSize !== undefined && bytes !== expectedSize) throw new DownloadError(`got ${bytes} bytes of ${expectedSize}; run the download again to resume`);
  const sha256 = await sha256File(part);
  if (sha256 !== options.sha256.toLowerCase()) {
    unlinkSync(part);
    throw new ChecksumMismatchError(options.sha256.toLowerCase(), sha256);
  }
  renameSync(part, dest);
  return { bytes, sha256, resumedFrom };
}
