// `quire synth --mmproj FILE`: writes a synthetic Gemma 3 vision projector with random weights (the companion of a
// synthetic text model, for vision tests and benchmarks).
import { statSync } from 'node:fs';
import { readGgufFile } from '../../../engine/gguf/index.js';
import { readGemma3Config } from '../../../engine/model/config.js';
import { GgmlType, ggmlTypeByName, ggmlTypeName } from '../../../engine/quant/index.js';
import { MMPROJ_MATRIX_TYPES, VISION_PRESETS, synthesizeMmproj } from '../../../engine/synth/index.js';
import { integerOption, numberOption, parseCommandArgs } from '../args.js';
import { UsageError } from '../usage-error.js';

const typeNames = MMPROJ_MATRIX_TYPES.map((t) => ggmlTypeName(t).toLowerCase()).join('|');

export const synthMmprojUsage = `usage: quire synth --mmproj FILE (--model GGUF | --text-width N) [options]

Writes a Gemma 3 vision projector GGUF (clip, projector type gemma3: 896-pixel input, 14-pixel patches) with
random weights, deterministic by seed, in the form llama.cpp's multimodal path loads.

  --mmproj FILE           where to write the projector (required)
  --model GGUF            the text model it is for (its embedding width is the projection width), or
  --text-width N          the projection width directly
  --vision-preset NAME    ${Object.keys(VISION_PRESETS).join(' | ')} (default tiny: width 128, 2 layers; so400m is the real shape)
  --width N  --ffn N  --layers N  --heads N
  --type TYPE             encoder matrix type: ${typeNames} (default f16; rows that do not fit stay f16)
  --weight-scale F        multiplies every weight's spread (default 1)
  --seed N                random seed (default 0)
  --json                  print a JSON summary`;

export function runSynthMmproj(args: string[]): void {
  const { values, positionals } = parseCommandArgs(args, {
    mmproj: { type: 'string' }, model: { type: 'string' }, 'text-width': { type: 'string' }, 'vision-preset': { type: 'string' },
    width: { type: 'string' }, ffn: { type: 'string' }, layers: { type: 'string' }, heads: { type: 'string' },
    type: { type: 'string' }, 'weight-scale': { type: 'string' }, seed: { type: 'string' }, json: { type: 'boolean' },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  if (!values.mmproj) throw new UsageError('--mmproj FILE is required');
  const presetName = values['vision-preset'] ?? 'tiny';
  if (!(presetName in VISION_PRESETS)) throw new UsageError(`unknown vision preset "${presetName}"; choose ${Object.keys(VISION_PRESETS).join(', ')}`);
  const preset = VISION_PRESETS[presetName as keyof typeof VISION_PRESETS];
  if (values.model && values['text-width']) throw new UsageError('give --model or --text-width, not both');
  const textWidth = values.model ? readGemma3Config(readGgufFile(values.model).metadata).nEmbd : integerOption(values['text-width'], '--text-width', 1);
  if (textWidth === undefined) throw new UsageError('--model GGUF or --text-width N is required (the projection writes the text model\'s width)');
  const shape = {
    ...preset,
    width: integerOption(values.width, '--width', 1) ?? preset.width,
    ffWidth: integerOption(values.ffn, '--ffn', 1) ?? preset.ffWidth,
    layers: integerOption(values.layers, '--layers', 1) ?? preset.layers,
    heads: integerOption(values.heads, '--heads', 1) ?? preset.heads,
  };
  const info = ggmlTypeByName(values.type ?? 'f16');
  if (!info || !MMPROJ_MATRIX_TYPES.includes(info.type)) throw new UsageError(`--type must be one of ${typeNames}, got "${values.type}"`);
  const started = performance.now();
  let written;
  try {
    written = synthesizeMmproj(values.mmproj, {
      shape, textWidth, matrixType: info.type ?? GgmlType.F16, seed: integerOption(values.seed, '--seed') ?? 0,
      weightScale: numberOption(values['weight-scale'], '--weight-scale') ?? 1,
    });
  } catch (error) {
    if (error instanceof RangeError) throw new UsageError(error.message);
    throw error;
  }
  const seconds = (performance.now() - started) / 1000;
  const bytes = statSync(values.mmproj).size;
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ path: values.mmproj, bytes, tensors: written.tensors, seconds, shape, textWidth, matrixType: ggmlTypeName(info.type) })}\n`);
    return;
  }
  process.stdout.write(`wrote ${values.mmproj}: ${(bytes / (1 << 20)).toFixed(1)} MiB, ${written.tensors} tensors, ${shape.layers} layers × ${shape.width}, ` +
    `projection to ${textWidth}, ${ggmlTypeName(info.type)} matrices, in ${seconds.toFixed(1)} s\n`);
}
