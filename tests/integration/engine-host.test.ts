// The engine in its own process, driven by the host: the same tokens as the engine in-process (the oracle), streamed
// as they come; cancel; a prompt state saved and taken back; a kill -9 and an out-of-memory death become errors for
// the request in flight, and the next request restarts the engine with the same model.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GgmlType } from '../../engine/quant/index.js';
import { loadModel } from '../../engine/runtime/index.js';
import { GEMMA3_PRESETS, synthesizeGemma3 } from '../../engine/synth/index.js';
import { EngineCrashedError, EngineHost, childEngineConnection } from '../../src-main/services/engine-host/index.js';

const dir = mkdtempSync(join(tmpdir(), 'quire-engine-host-'));
const modelPath = join(dir, 'tiny.gguf');
const hosts: EngineHost[] = [];

function newHost(options: Parameters<typeof childEngineConnection>[0] = {}): EngineHost {
  const host = new EngineHost(() => childEngineConnection(options));
  hosts.push(host);
  return host;
}

beforeAll(() => {
  synthesizeGemma3(modelPath, { shape: GEMMA3_PRESETS.tiny, vocab: 'synthetic', matrixType: GgmlType.Q8_0, embeddingType: GgmlType.Q8_0, weightScale: 1.75, seed: 11 });
});
afterAll(() => {
  for (const h of hosts) h.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('engine host', () => {
  it('generates in the engine process exactly what the engine gives in-process, streaming each token', async () => {
    const host = newHost();
    const info = await host.load({ model: modelPath, contextSize: 128, batchSize: 16 });
    const local = await loadModel(modelPath);
    expect(info.fingerprint).toBe(local.fingerprint);
    const prompt = local.tokenizeChat([{ role: 'user', content: 'Tell me about the quick brown fox.' }]);
    expect(await host.request('tokenizeChat', { messages: [{ role: 'user', content: 'Tell me about the quick brown fox.' }] })).toEqual(prompt);

    const expected: number[] = [];
    for await (const t of local.createSession({ contextSize: 128, batchSize: 16 }).generate(prompt, { greedy: true, maxTokens: 12 })) {
      if (!t.eog) expected.push(t.token);
    }
    const streamed: number[] = [];
    const progress: number[] = [];
    const result = await host.request('generate', { prompt: [{ tokens: prompt }], sampling: { greedy: true }, maxTokens: 12 },
      { onToken: (token) => streamed.push(token), onProgress: (done) => progress.push(done) });
    expect(result.tokens).toEqual(expected);
    expect(streamed).toEqual(expected);
    expect(progress.at(-1)).toBe(prompt.length - 1);                 // prefill reported batch by batch
    expect((await host.request('state', {})).tokens).toBeGreaterThanOrEqual(prompt.length);
  });

  it('stops a generation when its signal aborts, and keeps serving', async () => {
    const host = newHost();
    await host.load({ model: modelPath, contextSize: 256 });
    const prompt = await host.request('tokenize', { text: 'once upon a time' });
    const abort = new AbortController();
    let seen = 0;
    const result = await host.request('generate', { prompt: [{ tokens: prompt }], sampling: { seed: 1, temperature: 1.5 }, maxTokens: 200 }, {
      signal: abort.signal, onToken: () => {
        if (++seen === 3) abort.abort();
      },
    });
    expect(result.stop).toBe('cancelled');
    expect(result.tokens.length).toBeLessThan(200);
    expect(await host.request('tokenize', { text: 'still here' })).toEqual(await host.request('tokenize', { text: 'still here' }));
  });

  it('saves a prompt state and takes it back: the follow-up is the same without prefilling the prefix again', async () => {
    const host = newHost();
    await host.load({ model: modelPath, contextSize: 256, batchSize: 8 });
    const prefix = await host.request('tokenize', { text: 'a long document prefix that both questions share' });
    const question = await host.request('tokenize', { text: ' and a question', addSpecial: false });
    await host.request('evaluate', { prompt: [{ tokens: prefix }] });
    const { data, tokens } = await host.request('snapshot', {});
    expect(tokens).toBe(prefix.length);
    const first = await host.request('generate', { prompt: [{ tokens: question }], sampling: { greedy: true }, maxTokens: 6 });

    await host.request('reset', {});
    const progress: number[] = [];
    expect((await host.request('restore', { data })).tokens).toBe(prefix.length);
    const again = await host.request('generate', { prompt: [{ tokens: question }], sampling: { greedy: true }, maxTokens: 6 },
      { onProgress: (done, total) => progress.push(done, total) });
    expect(again.tokens).toEqual(first.tokens);
    expect(Math.max(...progress)).toBeLessThan(prefix.length);        // only the question was prefilled
  });

  it('two callers holding the session in turn (withSession) get what each gets alone', async () => {
    const host = newHost();
    await host.load({ model: modelPath, contextSize: 256, batchSize: 4 });
    // What a caller sees: the tokens generated and how many tokens its session holds afterwards.
    const sequence = async (text: string): Promise<[number[], number]> => {
      await host.request('reset', {});
      const prompt = await host.request('tokenize', { text });
      await host.request('evaluate', { prompt: [{ tokens: prompt.slice(0, -1) }] });
      const { tokens } = await host.request('generate', { prompt: [{ tokens: prompt.slice(-1) }], sampling: { greedy: true }, maxTokens: 5 });
      return [tokens, (await host.request('state', {})).tokens];
    };
    const alone = [await sequence('the first caller asks this'), await sequence('and the second caller that')];
    const together = await Promise.all([host.withSession(() => sequence('the first caller asks this')), host.withSession(() => sequence('and the second caller that'))]);
    expect(together).toEqual(alone);
  });

  it('a killed engine fails the request in flight; the next request restarts it with the same model', async () => {
    const host = newHost();
    await host.load({ model: modelPath, contextSize: 256 });
    const pid = host.pid!;
    const prompt = await host.request('tokenize', { text: 'tell a long story' });
    const generating = host.request('generate', { prompt: [{ tokens: prompt }], sampling: { seed: 2 }, maxTokens: 200 }, {
      onToken: () => process.kill(pid, 'SIGKILL'),
    });
    await expect(generating).rejects.toBeInstanceOf(EngineCrashedError);
    await expect(generating).rejects.toThrow(/signal SIGKILL/);
    expect(host.loaded).toBeUndefined();
    expect(await host.request('tokenize', { text: 'tell a long story' })).toEqual(prompt);
    expect(host.starts).toBe(2);
    expect(host.pid).not.toBe(pid);
    expect(host.loaded?.model).toBe(modelPath);
  });

  it('an engine that runs out of memory is reported as such, and restarts', async () => {
    const host = newHost({ maxOldSpaceMb: 48 });
    await host.load({ model: modelPath, contextSize: 64 });
    const huge = 'word '.repeat(12_000_000);                          // ~60 MB of text: more than the engine's heap
    const error = await host.request('tokenize', { text: huge }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineCrashedError);
    expect((error as EngineCrashedError).outOfMemory).toBe(true);
    expect((error as Error).message).toMatch(/ran out of memory/);
    expect((await host.request('tokenize', { text: 'small' })).length).toBeGreaterThan(0);
  });
});
