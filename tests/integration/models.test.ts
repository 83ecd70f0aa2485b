// The model registry: adding validated files, refusing bad ones, verifying checksums, estimating memory, and a
// download from a local HTTP server that drops the connection halfway and resumes to a verified file — while a
// corrupted download is refused and never registered.
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kvMemory } from '../../engine/model/kv-cache.js';
import { GgmlType } from '../../engine/quant/index.js';
import { GEMMA3_PRESETS, VISION_PRESETS, synthesizeGemma3, synthesizeMmproj } from '../../engine/synth/index.js';
import { ChecksumMismatchError, downloadFile } from '../../src-main/services/models/download.js';
import { estimateMemory } from '../../src-main/services/models/estimate.js';
import { inspectModelFiles } from '../../src-main/services/models/model-files.js';
import { openDatabase } from '../../src-main/store/database.js';
import { listModels } from '../../src-main/store/models.js';
import { runQuire } from '../helpers/run-quire.js';

const dir = mkdtempSync(join(tmpdir(), 'quire-models-'));
const data = join(dir, 'data');
const model = join(dir, 'tiny.gguf');
const mmproj = join(dir, 'mmproj.gguf');
const quire = (args: string[]) => runQuire(['models', ...args, '--data', data]);
const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

let server: Server;
let base = '';
const served = { requests: [] as (string | undefined)[], dropFirst: true };

beforeAll(async () => {
  synthesizeGemma3(model, { shape: GEMMA3_PRESETS.tiny, vocab: 'synthetic', matrixType: GgmlType.Q8_0, embeddingType: GgmlType.Q8_0, weightScale: 1, seed: 51 });
  synthesizeMmproj(mmproj, { shape: VISION_PRESETS.tiny, textWidth: GEMMA3_PRESETS.tiny.nEmbd, matrixType: GgmlType.F16, seed: 52 });
  const bytes = readFileSync(model);
  // Serves the model with Range support; the first response is cut off after half the file.
  server = createServer((req, res) => {
    served.requests.push(req.headers.range);
    const start = Number(/bytes=(\d+)-/.exec(req.headers.range ?? '')?.[1] ?? 0);
    const body = bytes.subarray(start);
    res.writeHead(start ? 206 : 200, {
      'Content-Length': body.length, ...(start ? { 'Content-Range': `bytes ${start}-${bytes.length - 1}/${bytes.length}` } : {}),
    });
    if (served.dropFirst && served.requests.length === 1) {
      res.write(body.subarray(0, body.length >> 1), () => res.socket?.destroy());
      return;
    }
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}, 60_000);
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

describe('models', async () => {
  it('adds a model with its projector, lists it, and verifies it; a changed file fails verification', async () => {
    const add = await quire(['add', model, '--mmproj', mmproj, '--name', 'tiny']);
    expect(add.status, add.stderr).toBe(0);
    expect(add.stdout).toContain(sha256(model));
    expect((await quire(['list'])).stdout).toMatch(/^tiny {2}[\d.]+ MiB \+ vision/m);
    expect((await quire(['verify', 'tiny'])).stdout).toMatch(/tiny: ok/);
    const copy = join(dir, 'copy.gguf');
    writeFileSync(copy, readFileSync(model));
    expect((await quire(['add', copy, '--name', 'copy'])).status).toBe(0);
    appendFileSync(copy, Buffer.from([0]));                                       // still a valid GGUF, different bytes
    const verify = await quire(['verify', 'copy']);
    expect(verify.status).toBe(1);
    expect(verify.stdout).toMatch(/SHA-256 [0-9a-f]{64} differs/);
  });

  it('refuses a truncated model and a projector of another model, with the reason, and registers nothing', async () => {
    const truncated = join(dir, 'truncated.gguf');
    writeFileSync(truncated, readFileSync(model));
    truncateSync(truncated, readFileSync(model).length - 1000);
    const bad = await quire(['add', truncated]);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/past the end of the file/);
    const other = join(dir, 'other-mmproj.gguf');
    synthesizeMmproj(other, { shape: VISION_PRESETS.tiny, textWidth: 512, matrixType: GgmlType.F16, seed: 53 });
    const mismatch = await quire(['add', model, '--mmproj', other, '--name', 'mismatch']);
    expect(mismatch.status).not.toBe(0);
    expect(mismatch.stderr).toMatch(/does not belong to this model/);
    const db = openDatabase(join(data, 'quire.db'));
    expect(listModels(db).map((m) => m.name).sort()).toEqual(['copy', 'tiny']);
    db.close();
  });

  it('estimates weights + KV cache + vision against free memory and finds the largest context that fits', async () => {
    const files = inspectModelFiles(model, mmproj);
    const e = estimateMemory(files, 2048, { available: 8 * 2 ** 30 });
    expect(e.kvBytes).toBe(kvMemory(files.config, 2048, 512).totalBytes);
    expect(e.weightBytes).toBe(files.weightBytes);
    expect(e.totalBytes).toBe(e.weightBytes + e.kvBytes + e.visionBytes + e.overheadBytes);
    expect(e).toMatchObject({ fits: true, largestFittingContext: 2048 });
    // With just enough memory for 1024 tokens of cache and not 2048, the suggestion is 1024.
    const tight = estimateMemory(files, 2048, { available: e.totalBytes - e.kvBytes + kvMemory(files.config, 1024, 512).totalBytes });
    expect(tight).toMatchObject({ fits: false, largestFittingContext: 1024 });
    expect(estimateMemory(files, 2048, { available: 1 << 20 }).largestFittingContext).toBe(0);
    expect((await quire(['estimate', 'tiny', '--ctx-size', '1024'])).stdout).toMatch(/total +[\d.]+ MiB of [\d.]+ MiB available now/);
  });

  it('a download whose connection drops halfway resumes with a Range request and is registered once verified', async () => {
    served.requests.length = 0;
    served.dropFirst = true;
    const run = await quire(['download', `${base}/tiny-download.gguf`, '--sha256', sha256(model), '--name', 'downloaded']);
    expect(run.status, run.stderr).toBe(0);
    expect(served.requests[0]).toBeUndefined();
    expect(served.requests[1]).toMatch(/^bytes=\d+-$/);
    expect(Number(/\d+/.exec(served.requests[1]!)![0])).toBeGreaterThan(0);
    const saved = join(data, 'models', 'tiny-download.gguf');
    expect(sha256(saved)).toBe(sha256(model));
    expect(existsSync(`${saved}.part`)).toBe(false);
    expect((await quire(['list'])).stdout).toMatch(/^downloaded /m);
  });

  it('a download that does not match its SHA-256 is deleted and refused, and nothing is registered', async () => {
    served.dropFirst = false;
    const dest = join(dir, 'corrupt.gguf');
    const error = await downloadFile(`${base}/corrupt.gguf`, dest, { sha256: 'ab'.repeat(32) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChecksumMismatchError);
    expect(existsSync(dest)).toBe(false);
    expect(existsSync(`${dest}.part`)).toBe(false);
    const run = await quire(['download', `${base}/corrupt2.gguf`, '--sha256', 'cd'.repeat(32), '--name', 'corrupt']);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/SHA-256 .* not the expected/);
    expect((await quire(['list'])).stdout).not.toMatch(/^corrupt/m);
  });
});
