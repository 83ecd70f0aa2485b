// The engine benchmark: Quire and llama.cpp on the same synthetic GGUFs, same threads, same machine, in one run
// (ARCHITECTURE: speed is a ratio). Prints a table and one JSON line. Usage:
//   npm run bench:engine [-- --quick] [-- --models 270m-q4_0,1b-q4_0,1b-q4_k] [-- --threads 1,2] [-- --pp 512,8192] [-- --tg 128] [-- --repeat 2]
// The default is the full table (prompts of 512 and 2048 tokens); --quick measures 512 only. Each row runs Quire and
// llama.cpp alternately --repeat times and keeps each one's best speed: on a shared machine a neighbour's burst
// hits one run, and alternating keeps it from always hitting the same side.
// Models are generated once into $QUIRE_BENCH_DIR (default ~/.cache/quire/bench).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { GgmlType } from '../engine/quant/index.js';
import { GEMMA3_PRESETS, synthesizeGemma3 } from '../engine/synth/index.js';

const { values } = parseArgs({ options: { quick: { type: 'boolean' }, repeat: { type: 'string' }, models: { type: 'string' }, threads: { type: 'string' }, tg: { type: 'string' }, pp: { type: 'string' } } });
const dir = process.env.QUIRE_BENCH_DIR ?? join(homedir(), '.cache', 'quire', 'bench');
mkdirSync(dir, { recursive: true });

const models = {
  '270m-q4_0': { preset: 'gemma-3-270m', matrix: GgmlType.Q4_0, embedding: GgmlType.Q8_0 },
  '1b-q4_0': { preset: 'gemma-3-1b', matrix: GgmlType.Q4_0, embedding: GgmlType.Q8_0 },
  '1b-q4_k': { preset: 'gemma-3-1b', matrix: GgmlType.Q4_K, embedding: GgmlType.Q6_K },
} as const;
const chosen = (values.models ?? Object.keys(models).join(',')).split(',') as (keyof typeof models)[];
const threads = (values.threads ?? '1,2').split(',').map(Number);
const pps = values.pp ? values.pp.split(',').map(Number) : values.quick ? [512] : [512, 2048];
const tg = Number(values.tg ?? 128);
const repeat = Math.max(1, Number(values.repeat ?? 2));

function ensureModel(name: keyof typeof models): string {
  const m = models[name];
  const path = join(dir, `${name}.gguf`);
  if (!existsSync(path)) {
    process.stderr.write(`generating ${path}…\n`);
    synthesizeGemma3(path, { shape: GEMMA3_PRESETS[m.preset], vocab: 'synthetic', matrixType: m.matrix, embeddingType: m.embedding, weightScale: 1, seed: 1 });
  }
  return path;
}

interface Measure { pp_tps: number; tg_tps: number; peak_rss_mb: number }
const lastJson = (out: string): Measure => JSON.parse(out.trim().split('\n').at(-1)!) as Measure;
const best = (runs: Measure[]): Measure => ({
  pp_tps: Math.max(...runs.map((m) => m.pp_tps)),
  tg_tps: Math.max(...runs.map((m) => m.tg_tps)),
  peak_rss_mb: Math.max(...runs.map((m) => m.peak_rss_mb)),
});

const rows: Record<string, unknown>[] = [];
for (const name of chosen) {
  const path = ensureModel(name);
  for (const t of threads) {
    for (const pp of pps) {
      const runQuire = (): Measure => lastJson(execFileSync(process.execPath, ['bin/quire.js', 'bench', '-m', path, '--threads', String(t), '--pp', String(pp), '--tg', String(tg), '--json'], { encoding: 'utf8', maxBuffer: 1 << 24 }));
      const runLlama = (): Measure => lastJson(execFileSync(process.execPath, ['--import', 'tsx', 'scripts/bench/llama-bench.ts', path, String(t), String(pp), String(tg)], { encoding: 'utf8', maxBuffer: 1 << 24 }));
      const quireRuns: Measure[] = [];
      const llamaRuns: Measure[] = [];
      for (let r = 0; r < repeat; r++) {
        quireRuns.push(runQuire());
        llamaRuns.push(runLlama());
      }
      const quire = best(quireRuns);
      const llama = best(llamaRuns);
      const row = {
        model: name, threads: t, pp,
        quire_pp: quire.pp_tps, llama_pp: llama.pp_tps, pp_ratio: quire.pp_tps / llama.pp_tps,
        quire_tg: quire.tg_tps, llama_tg: llama.tg_tps, tg_ratio: quire.tg_tps / llama.tg_tps,
        quire_rss_mb: quire.peak_rss_mb, llama_rss_mb: llama.peak_rss_mb, rss_ratio: quire.peak_rss_mb / llama.peak_rss_mb,
      };
      rows.push(row);
      process.stderr.write(`${name} t=${t} pp=${pp}: done\n`);
    }
  }
}

const f = (v: unknown): string => (typeof v === 'number' ? (v >= 100 ? v.toFixed(0) : v.toFixed(2)) : String(v));
const columns = Object.keys(rows[0] ?? {});
console.log(columns.join('\t'));
for (const r of rows) console.log(columns.map((c) => f(r[c])).join('\t'));
console.log(JSON.stringify({ benchmark: 'engine', tg, repeat, rows }));
