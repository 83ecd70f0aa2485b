// `quire synth`: writes a synthetic Gemma 3 GGUF with random weights (tests, benchmarks, demos without weights).
import { GgmlType, ggmlTypeByName, ggmlTypeName } from '../../../engine/quant/index.js';
import {
  GEMMA3_PRESETS, type Gemma3Shape, SYNTH_MATRIX_TYPES, isPresetName, synthesizeGemma3,
} from '../../../engine/synth/index.js';
import { integerOption, numberOption, parseCommandArgs } from '../args.js';
import { UsageError } from '../usage-error.js';
import type { Command } from '../command.js';
import { runSynthMmproj, synthMmprojUsage } from './synth-mmproj.js';

const typeNames = SYNTH_MATRIX_TYPES.map((t) => ggmlTypeName(t).toLowerCase()).join('|');

const usage = `usage: quire synth -o FILE [options]

Writes a Gemma 3 GGUF (general.architecture = gemma3) with random weights, deterministic by seed.

  -o, --out FILE          where to write the .gguf (required)
  --preset NAME           ${Object.keys(GEMMA3_PRESETS).join(' | ')} (default tiny)
  --type TYPE             matrix type: ${typeNames} (default q4_0)
  --embedding-type TYPE   token embedding type, same choices (default q8_0)
  --vocab N|real          synthetic vocabulary of N tokens, or the real Gemma 3 one (default: the preset's size)
  --layers N  --hidden N  --ffn N  --heads N  --kv-heads N  --head-dim N  --window N  --context N
  --rope-scaling F|none   linear RoPE scaling factor of the global layers
  --weight-scale F        multiplies every weight's spread (default 1)
  --embedding-scale F     spread of the token embeddings (default: the weight scale); larger = sharper logits
  --seed N                random seed (default 0)
  --name TEXT             general.name
  --json                  print a JSON summary instead of text

K-quant types need rows that are a multiple of 256; like llama-quantize, tensors whose rows are not fall back
(q4_k → q5_0, q6_k → q8_0) and the summary lists them.

${synthMmprojUsage}`;

function parseType(value: string | undefined, flag: string, fallback: GgmlType): GgmlType {
  if (value === undefined) return fallback;
  const info = ggmlTypeByName(value);
  if (!info || !SYNTH_MATRIX_TYPES.includes(info.type)) throw new UsageError(`${flag} must be one of ${typeNames}, got "${value}"`);
  return info.type;
}

function formatBytes(n: number): string {
  if (n < 1 << 20) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1 << 30) return `${(n / (1 << 20)).toFixed(1)} MiB`;
  return `${(n / (1 << 30)).toFixed(2)} GiB`;
}

export const synthCommand: Command = {
  name: 'synth',
  summary: 'write a synthetic Gemma 3 GGUF (or, with --mmproj, a vision projector) with random weights',
  usage,
  run(args) {
    if (args.some((a) => a === '--mmproj' || a.startsWith('--mmproj='))) return runSynthMmproj(args);
    const { values, positionals } = parseCommandArgs(args, {
      out: { type: 'string', short: 'o' },
      preset: { type: 'string' },
      type: { type: 'string' },
      'embedding-type': { type: 'string' },
      vocab: { type: 'string' },
      layers: { type: 'string' },
      hidden: { type: 'string' },
      ffn: { type: 'string' },
      heads: { type: 'string' },
      'kv-heads': { type: 'string' },
      'head-dim': { type: 'string' },
      window: { type: 'string' },
      context: { type: 'string' },
      'rope-scaling': { type: 'string' },
      'weight-scale': { type: 'string' },
      'embedding-scale': { type: 'string' },
      seed: { type: 'string' },
      name: { type: 'string' },
      json: { type: 'boolean' },
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    if (!values.out) throw new UsageError('--out FILE is required');
    const presetName = values.preset ?? 'tiny';
    if (!isPresetName(presetName)) throw new UsageError(`unknown preset "${presetName}"; choose ${Object.keys(GEMMA3_PRESETS).join(', ')}`);
    const preset: Gemma3Shape = GEMMA3_PRESETS[presetName];
    const realVocab = values.vocab === 'real';
    const scaling = values['rope-scaling'];
    const shape: Gemma3Shape = {
      ...preset,
      nLayer: integerOption(values.layers, '--layers', 1) ?? preset.nLayer,
      nEmbd: integerOption(values.hidden, '--hidden', 1) ?? preset.nEmbd,
      nFf: integerOption(values.ffn, '--ffn', 1) ?? preset.nFf,
      nHead: integerOption(values.heads, '--heads', 1) ?? preset.nHead,
      nHeadKv: integerOption(values['kv-heads'], '--kv-heads', 1) ?? preset.nHeadKv,
      headDim: integerOption(values['head-dim'], '--head-dim', 2) ?? preset.headDim,
      slidingWindow: integerOption(values.window, '--window', 1) ?? preset.slidingWindow,
      contextLength: integerOption(values.context, '--context', 1) ?? preset.contextLength,
      ropeScalingFactor: scaling === 'none' ? undefined : numberOption(scaling, '--rope-scaling') ?? preset.ropeScalingFactor,
      nVocab: realVocab ? (preset.nVocab === 262208 ? 262208 : 262144) : integerOption(values.vocab, '--vocab', 1) ?? preset.nVocab,
    };
    if (shape.nHead % shape.nHeadKv !== 0) throw new UsageError(`--heads (${shape.nHead}) must be a multiple of --kv-heads (${shape.nHeadKv})`);
    if (shape.headDim % 2 !== 0) throw new UsageError(`--head-dim must be even for RoPE, got ${shape.headDim}`);
    const matrixType = parseType(values.type, '--type', GgmlType.Q4_0);
    const embeddingType = parseType(values['embedding-type'], '--embedding-type', GgmlType.Q8_0);
    const started = performance.now();
    const showProgress = !values.json && process.stderr.isTTY;
    const written = synthesizeGemma3(values.out, {
      shape,
      vocab: realVocab ? 'real' : 'synthetic',
      matrixType,
      embeddingType,
      weightScale: numberOption(values['weight-scale'], '--weight-scale') ?? 1,
      ...(values['embedding-scale'] ? { embeddingScale: numberOption(values['embedding-scale'], '--embedding-scale')! } : {}),
      seed: integerOption(values.seed, '--seed') ?? 0,
      ...(values.name ? { name: values.name } : {}),
    }, (index, total, name) => {
      if (showProgress) process.stderr.write(`\r  writing tensor ${index + 1}/${total} ${name.padEnd(36)}`);
    });
    if (showProgress) process.stderr.write('\r'.padEnd(60) + '\r');
    const seconds = (performance.now() - started) / 1000;
    const fallbacks = written.fallbacks.map((f) => ({ tensor: f.name, requested: ggmlTypeName(f.requested), written: ggmlTypeName(f.written) }));
    if (values.json) {
      process.stdout.write(`${JSON.stringify({ path: values.out, bytes: written.bytes, tensors: written.spec.tensors.length, seconds, shape, matrixType: ggmlTypeName(matrixType), embeddingType: ggmlTypeName(embeddingType), fallbacks })}\n`);
      return;
    }
    process.stdout.write(`wrote ${values.out}: ${formatBytes(written.bytes)}, ${written.spec.tensors.length} tensors, ` +
      `${shape.nLayer} layers × ${shape.nEmbd}, vocab ${shape.nVocab}${realVocab ? ' (real Gemma 3)' : ''}, ` +
      `${ggmlTypeName(matrixType)} matrices, ${ggmlTypeName(embeddingType)} embeddings, in ${seconds.toFixed(1)} s\n`);
    if (fallbacks.length > 0) {
      process.stdout.write(`${fallbacks.length} tensors use llama-quantize's fallback type (rows not a multiple of 256), e.g. ` +
        `${fallbacks[0]!.tensor}: ${fallbacks[0]!.requested} → ${fallbacks[0]!.written}\n`);
    }
  },
};
