// The `quire` command as a user runs it: a real process, real files, exit codes and output.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { readGgufFile } from '../../engine/gguf/index.js';
import { NativeBackend } from '../../engine/backend/native-backend.js';
import { decodeImageBlob, loadVisionModel } from '../../engine/vision/index.js';
import { decodeImage } from '../../src-main/vision/decode-image.js';
import { type CliResult, runQuire } from '../helpers/run-quire.js';

const dir = mkdtempSync(join(tmpdir(), 'quire-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Async (not spawnSync): a test that blocks its worker for a minute makes vitest's RPC time out under load.
const quire = (...args: string[]): Promise<CliResult> => runQuire(args);

describe('quire embed-image', () => {
  it('writes the image tokens of an image as a blob tied to the projector, and refuses what is not an image', async () => {
    const mmproj = join(dir, 'embed-mmproj.gguf');
    expect((await quire('synth', '--mmproj', mmproj, '--text-width', '64', '--layers', '1')).status).toBe(0);
    const png = join(dir, 'chart.png');
    await sharp({ create: { width: 120, height: 60, channels: 3, background: { r: 30, g: 120, b: 200 } } }).png().toFile(png);
    const out = join(dir, 'chart.qimg');
    const run = await quire('embed-image', '--mmproj', mmproj, png, '-o', out, '--json');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ rows: 256, width: 64, image: { width: 120, height: 60 } });
    const vision = loadVisionModel(mmproj, new NativeBackend());
    const blob = decodeImageBlob(readFileSync(out), vision.fingerprint);
    const expected = vision.encode(await decodeImage(png));
    // The same computation in this process; the blob holds it rounded to f16 (a relative 2⁻¹¹).
    for (let i = 0; i < expected.length; i++) expect(Math.abs(blob.embeddings[i]! - expected[i]!)).toBeLessThanOrEqual(Math.abs(expected[i]!) * 2 ** -11 + 1e-7);
    const bad = await quire('embed-image', '--mmproj', mmproj, mmproj, '-o', out);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('is not an image Quire can read');
    expect((await quire('embed-image', '--mmproj', mmproj, '-o', out)).status).toBe(2);

    // The same projector shows the image to a text model of its width.
    const model = join(dir, 'embed-model.gguf');
    expect((await quire('synth', '-o', model, '--layers', '1', '--hidden', '64', '--heads', '1', '--kv-heads', '1', '--head-dim', '64')).status).toBe(0);
    const generated = await quire('generate', '-m', model, '--mmproj', mmproj, '--image', png, '-p', 'what is this?', '-n', '3', '--greedy', '--json');
    expect(generated.stderr).toBe('');
    expect(generated.stdout.trim().split('\n').map((l) => JSON.parse(l).token)).toHaveLength(3);
    expect((await quire('generate', '-m', model, '--image', png, '-p', 'x')).stderr).toContain('--mmproj FILE and --image IMAGE go together');
    // Pan & Scan: a 3:1 image is shown whole and as 3 crops (4 image blocks).
    const wide = join(dir, 'wide.png');
    await sharp({ create: { width: 900, height: 300, channels: 3, background: { r: 250, g: 200, b: 10 } } }).png().toFile(wide);
    const panned = await quire('generate', '-m', model, '--mmproj', mmproj, '--image', wide, '--pan-and-scan', '-p', 'read it', '-n', '1', '--greedy', '--json');
    expect(panned.stderr).toBe('');
    expect(panned.status).toBe(0);
    expect((await quire('generate', '-m', model, '--pan-and-scan', '-p', 'x')).stderr).toContain('--pan-and-scan needs --image');
    const { embeddings, crops } = vision.encodePanAndScan(await decodeImage(wide));
    expect(crops).toBe(3);
    expect(embeddings).toHaveLength(4);
  });
});

describe('quire synth --mmproj', () => {
  it('writes a projector sized for the given text model, and refuses what llama.cpp could not use', async () => {
    const model = join(dir, 'for-mmproj.gguf');
    expect((await quire('synth', '-o', model, '--layers', '1', '--hidden', '320')).status).toBe(0);
    const mmproj = join(dir, 'mmproj.gguf');
    const run = await quire('synth', '--mmproj', mmproj, '--model', model, '--type', 'q8_0', '--layers', '1', '--json');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ textWidth: 320, matrixType: 'Q8_0', shape: { width: 128, layers: 1 } });
    const file = readGgufFile(mmproj);
    expect(file.metadata.get('clip.vision.projection_dim')).toEqual({ type: 4, value: 320 });
    expect(file.tensors.find((t) => t.name === 'mm.input_projection.weight')!.dims).toEqual([320, 128]);
    expect((await quire('synth', '--mmproj', mmproj)).stderr).toContain('--model GGUF or --text-width N is required');
    expect((await quire('synth', '--mmproj', mmproj, '--text-width', '64', '--ffn', '128')).stderr).toContain('would swap fc1 and fc2');
    expect((await quire('synth', '--mmproj', mmproj, '--text-width', '64', '--type', 'q4_k')).status).toBe(2);
  });
});

describe('quire synth and inspect', () => {
  it('synth writes the requested shape and types, deterministically by seed', async () => {
    const a = join(dir, 'a.gguf');
    const run = await quire('synth', '-o', a, '--layers', '2', '--hidden', '512', '--ffn', '640', '--heads', '4', '--kv-heads', '2',
      '--head-dim', '64', '--window', '16', '--vocab', '400', '--context', '4096', '--rope-scaling', '8', '--type', 'q6_k',
      '--embedding-type', 'f16', '--seed', '9', '--json');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary.matrixType).toBe('Q6_K');
    // ffn_down rows have 640 elements: not a multiple of 256, so llama-quantize's Q8_0 fallback applies.
    expect(summary.fallbacks).toEqual([0, 1].map((i) => ({ tensor: `blk.${i}.ffn_down.weight`, requested: 'Q6_K', written: 'Q8_0' })));
    const file = readGgufFile(a);
    const q = file.tensors.find((t) => t.name === 'blk.1.attn_q.weight')!;
    expect(q.dims).toEqual([512, 256]);
    expect(file.tensors.find((t) => t.name === 'token_embd.weight')!.dims).toEqual([512, 400]);
    expect(file.metadata.get('gemma3.rope.scaling.factor')).toEqual({ type: 6, value: 8 });
    expect(file.metadata.get('gemma3.attention.sliding_window')).toEqual({ type: 4, value: 16 });

    const b = join(dir, 'b.gguf');
    expect((await quire('synth', '-o', b, '--layers', '2', '--hidden', '512', '--ffn', '640', '--heads', '4', '--kv-heads', '2',
      '--head-dim', '64', '--window', '16', '--vocab', '400', '--context', '4096', '--rope-scaling', '8', '--type', 'q6_k',
      '--embedding-type', 'f16', '--seed', '9')).status).toBe(0);
    expect(execFileSync('cmp', [a, b]).length).toBe(0);
    const c = join(dir, 'c.gguf');
    expect((await quire('synth', '-o', c, '--seed', '10')).status).toBe(0);
    expect(spawnSync('cmp', ['-s', b, c]).status).toBe(1);
  });

  it('inspect prints the tensor table, and --json one object with arch, metadata and tensors', async () => {
    const path = join(dir, 'tiny.gguf');
    expect((await quire('synth', '-o', path)).status).toBe(0);
    const text = await quire('inspect', path);
    expect(text.status).toBe(0);
    expect(text.stdout).toContain('architecture: gemma3');
    expect(text.stdout).toMatch(/blk\.5\.ffn_down\.weight\s+Q4_0\s+\[512, 256\]\s+73728/);
    expect(text.stdout).toMatch(/tokenizer\.ggml\.tokens = \[string × 512\] "<pad>", "<eos>", "<bos>"/);
    const json = JSON.parse((await quire('inspect', path, '--json')).stdout);
    expect(json.arch).toBe('gemma3');
    expect(json.metadata['gemma3.block_count']).toBe(6);
    expect(json.metadata['tokenizer.ggml.tokens']).toMatchObject({ type: 'array<string>', length: 512 });
    expect(json.tensors).toHaveLength(2 + 6 * 13);
    expect(json.tensors[0]).toMatchObject({ name: 'token_embd.weight', type: 'Q8_0', shape: [256, 512] });
    const full = JSON.parse((await quire('inspect', path, '--json', '--full-arrays')).stdout);
    expect(full.metadata['tokenizer.ggml.tokens']).toHaveLength(512);
  });

  it('bad input gets a clear message and a non-zero exit', async () => {
    const junk = join(dir, 'junk.gguf');
    writeFileSync(junk, 'this is not a model');
    const bad = await quire('inspect', junk);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toBe('quire inspect: not a GGUF file: expected "GGUF" (47 47 55 46), found "this" (74 68 69 73) (at byte 0)\n');
    expect((await quire('inspect', join(dir, 'missing.gguf'))).stderr).toMatch(/ENOENT|no such file/);
    expect((await quire('synth', '-o', join(dir, 'x.gguf'), '--type', 'q3_k')).status).toBe(2);
    expect((await quire('synth', '--layers', 'two', '-o', join(dir, 'x.gguf'))).stderr).toContain('--layers takes a whole number');
    expect((await quire('synth', '-o', join(dir, 'x.gguf'), '--preset', 'gemma-3-27b')).stderr).toContain('unknown preset');
    expect((await quire('frobnicate')).status).toBe(2);
  });
});

describe('quire tokenize, generate and eval', () => {
  const model = join(dir, 'gen.gguf');

  it('tokenize prints ids with one BOS; generate streams JSON lines; eval prints every position', async () => {
    expect((await quire('synth', '-o', model, '--layers', '2', '--weight-scale', '1.75')).status).toBe(0);
    const ids = (await quire('tokenize', '-m', model, 'hello world')).stdout.trim().split(' ').map(Number);
    expect(ids[0]).toBe(2);
    expect(ids.length).toBeGreaterThan(3);

    const gen = await quire('generate', '-m', model, '-p', 'hello world', '-n', '5', '--greedy', '--json', '--top-probs', '3');
    expect(gen.status).toBe(0);
    const lines = gen.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.length).toBeLessThanOrEqual(5);
    for (const line of lines) {
      expect(line.top).toHaveLength(3);
      expect(line.token).toBe(line.top[0].token); // greedy takes the most probable token
      expect(line.top[0].p).toBeGreaterThanOrEqual(line.top[1].p);
    }

    const ev = await quire('eval', '-m', model, '-p', 'hello world', '--top', '2', '--json');
    const rows = ev.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(rows.map((r) => r.pos)).toEqual(ids.map((_, i) => i));
    expect(rows.map((r) => r.token)).toEqual(ids);
    // The first generated token is the most probable next token after the last prompt position.
    expect(lines[0].token).toBe(rows.at(-1).top[0].token);
  });

  it('chat answers each line of piped input in one growing session and says when the context is full', async () => {
    const run = await runQuire(['chat', '-m', model, '--seed', '1', '--ctx-size', '96'], { input: 'hello there\nhow are you\nand now?\n' });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Chatting with');
    expect(run.stdout.split('> ').length).toBeGreaterThanOrEqual(3); // a prompt before each answer
    expect(run.stdout).toMatch(/fills the 96-token context|\n> $/);
  });

  it('explains a context that is too small instead of cutting the prompt', async () => {
    const run = await quire('generate', '-m', model, '-p', 'a prompt that is certainly longer than sixteen tokens of context', '--ctx-size', '16');
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/the prompt needs \d+ tokens but the context holds 16/);
  });
});
