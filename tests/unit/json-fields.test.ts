// Schema-constrained decoding: whatever the model's distribution (a noise model here, at high temperature and
// greedy), the output parses and has exactly the schema's fields.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GgmlType } from '../../engine/quant/index.js';
import { type LoadedModel, generateJsonFields, loadModel } from '../../engine/runtime/index.js';
import { GEMMA3_PRESETS, synthesizeGemma3 } from '../../engine/synth/index.js';

const dir = mkdtempSync(join(tmpdir(), 'quire-json-'));
let model: LoadedModel;
beforeAll(async () => {
  const path = join(dir, 'tiny.gguf');
  synthesizeGemma3(path, { shape: { ...GEMMA3_PRESETS.tiny, nLayer: 2 }, vocab: 'synthetic', matrixType: GgmlType.Q8_0, embeddingType: GgmlType.Q8_0, weightScale: 1.75, seed: 31 });
  model = await loadModel(path);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('JSON-constrained decoding', () => {
  const keys = ['parties', 'effective_date', 'governing_law'];
  for (const sampling of [{ seed: 1, temperature: 2 }, { seed: 2, temperature: 1 }, { greedy: true }, { seed: 3, temperature: 5, topK: 0, topP: 1 }]) {
    it(`always parses and has the schema's fields (${JSON.stringify(sampling)})`, () => {
      const session = model.createSession({ contextSize: 1024 });
      session.evaluate(model.tokenize('Extract the key terms as JSON: '));
      const { json, fields } = generateJsonFields(session, model, keys, { sampling, maxValueTokens: 12 });
      const parsed = JSON.parse(json) as Record<string, { value: string; page: number }>;
      expect(Object.keys(parsed)).toEqual(keys);
      for (const k of keys) {
        expect(Object.keys(parsed[k]!)).toEqual(['value', 'page']);
        expect(typeof parsed[k]!.value).toBe('string');
        expect(Number.isInteger(parsed[k]!.page)).toBe(true);
        expect(fields[k]!.value).toBe(parsed[k]!.value.trim());
        expect(fields[k]!.page).toBe(parsed[k]!.page > 0 ? parsed[k]!.page : null);
      }
      // What the session holds is what was returned (the forced structure was evaluated, not just printed).
      expect(model.detokenize(session.tokens.slice(-3))).toBe(json.slice(-model.detokenize(session.tokens.slice(-3)).length));
    });
  }
});
