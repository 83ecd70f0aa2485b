// `quire inspect`: what a GGUF file holds — architecture, metadata and the tensor table.
import { type GgufArray, type GgufValue, GgufType, getString, readGgufFile } from '../../../engine/gguf/index.js';
import { ggmlTypeName } from '../../../engine/quant/index.js';
import { parseCommandArgs } from '../args.js';
import { UsageError } from '../usage-error.js';
import type { Command } from '../command.js';

const usage = `usage: quire inspect FILE [--json] [--full-arrays]

Prints the architecture, the metadata (arrays longer than ${16} items summarized) and the tensor table
(name, type, shape, bytes) of a GGUF file. With --json, prints one JSON object:
{ "arch", "version", "alignment", "dataOffset", "metadata": { key: value }, "tensors": [{ "name", "type", "shape", "bytes", "offset" }] }.
--full-arrays keeps every array element in the JSON output.`;

const SUMMARY_ITEMS = 16;

function arrayItems(array: GgufArray): unknown[] {
  if (array.itemType === GgufType.ARRAY) return array.items.map((nested) => arrayToJson(nested, Infinity));
  if (array.itemType === GgufType.BOOL) return Array.from(array.items, (b) => b !== 0);
  if (array.itemType === GgufType.STRING) return array.items;
  return Array.from(array.items as ArrayLike<number | bigint>, (v) => (typeof v === 'bigint' ? v.toString() : v));
}

function arrayToJson(array: GgufArray, limit: number): unknown {
  const items = arrayItems(array);
  if (items.length <= limit) return items;
  return { type: `array<${GgufType[array.itemType].toLowerCase()}>`, length: items.length, head: items.slice(0, SUMMARY_ITEMS) };
}

function valueToJson(value: GgufValue, limit: number): unknown {
  if (value.type === GgufType.ARRAY) return arrayToJson(value.value, limit);
  if (typeof value.value === 'bigint') return value.value.toString();
  return value.value;
}

function valueToText(value: GgufValue): string {
  if (value.type === GgufType.STRING) {
    const s = JSON.stringify(value.value);
    return s.length > 120 ? `${s.slice(0, 117)}…" (${value.value.length} chars)` : s;
  }
  if (value.type !== GgufType.ARRAY) return `${String(value.value)} (${GgufType[value.type].toLowerCase()})`;
  const items = arrayItems(value.value);
  const head = items.slice(0, 8).map((v) => (typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v))).join(', ');
  return `[${GgufType[value.value.itemType].toLowerCase()} × ${items.length}] ${head}${items.length > 8 ? ', …' : ''}`;
}

export const inspectCommand: Command = {
  name: 'inspect',
  summary: 'show the metadata and tensors of a GGUF file',
  usage,
  run(args) {
    const { values, positionals } = parseCommandArgs(args, { json: { type: 'boolean' }, 'full-arrays': { type: 'boolean' } });
    if (positionals.length !== 1) throw new UsageError('give exactly one GGUF file');
    const path = positionals[0]!;
    const file = readGgufFile(path);
    const arch = getString(file.metadata, 'general.architecture') ?? null;
    if (values.json) {
      const limit = values['full-arrays'] ? Infinity : SUMMARY_ITEMS;
      const metadata = Object.fromEntries([...file.metadata].map(([k, v]) => [k, valueToJson(v, limit)]));
      const tensors = file.tensors.map((t) => ({ name: t.name, type: ggmlTypeName(t.type), shape: t.dims, bytes: t.nbytes, offset: t.fileOffset }));
      process.stdout.write(`${JSON.stringify({ arch, version: file.version, alignment: file.alignment, dataOffset: file.dataOffset, metadata, tensors })}\n`);
      return;
    }
    const out: string[] = [];
    out.push(`${path}: GGUF v${file.version}, ${file.fileSize} bytes, alignment ${file.alignment}, data at byte ${file.dataOffset}`);
    out.push(`architecture: ${arch ?? '(none)'}`);
    out.push('', `metadata (${file.metadata.size} keys):`);
    for (const [key, value] of file.metadata) out.push(`  ${key} = ${valueToText(value)}`);
    const total = file.tensors.reduce((n, t) => n + t.nbytes, 0);
    out.push('', `tensors (${file.tensors.length}, ${total} bytes):`);
    const width = Math.max(4, ...file.tensors.map((t) => t.name.length));
    out.push(`  ${'name'.padEnd(width)}  ${'type'.padEnd(7)}  ${'shape'.padEnd(20)}  bytes`);
    for (const t of file.tensors) {
      out.push(`  ${t.name.padEnd(width)}  ${ggmlTypeName(t.type).padEnd(7)}  ${`[${t.dims.join(', ')}]`.padEnd(20)}  ${t.nbytes}`);
    }
    process.stdout.write(`${out.join('\n')}\n`);
  },
};
