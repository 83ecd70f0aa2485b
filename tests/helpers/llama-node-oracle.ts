// llama.cpp's multimodal path as an oracle: each query runs tests/helpers/llama-node-run.mjs in a child process,
// retried once if the process dies.
import { spawnSync } from 'node:child_process';

export interface OracleStep {
  content: string;
  probs: { tok_str: string; prob: number }[];
}

export function llamaNodeImageCompletion(args: { model: string; mmproj: string; image: string; prompt: string; steps: number; seed: number }): { evaluated: number; steps: OracleStep[] } {
  let last = '';
  for (let attempt = 0; attempt < 2; attempt++) {
    const run = spawnSync(process.execPath, ['tests/helpers/llama-node-run.mjs', JSON.stringify(args)], { encoding: 'utf8', maxBuffer: 1 << 26, timeout: 300_000 });
    const line = run.stdout.split('\n').find((l) => l.startsWith('{"evaluated"'));
    if (run.status === 0 && line) return JSON.parse(line) as { evaluated: number; steps: OracleStep[] };
    last = `${run.status} ${run.signal ?? ''} ${run.stderr.split('\n').filter((l) => /error|fail/i.test(l)).slice(0, 3).join(' | ')}`;
  }
  throw new Error(`llama.node did not complete: ${last}`);
}
