// llama.cpp's side of the engine benchmark (node-llama-cpp 3.21.1, CPU), run in its own process so its peak RSS
// is its own. Prints one JSON line: {"pp_tps", "tg_tps", "peak_rss_mb"}.
import { getLlama, LlamaLogLevel } from 'node-llama-cpp';
import { readGgufFile } from '../../engine/gguf/index.js';
import { Vocabulary, benchPrompt } from '../../engine/tokenizer/index.js';

const [path, threadsArg, ppArg, tgArg] = process.argv.slice(2);
const threads = Number(threadsArg);
const pp = Number(ppArg);
const tg = Number(tgArg);
const llama = await getLlama({ gpu: false, build: 'never', progressLogs: false, logLevel: LlamaLogLevel.error });
const model = await llama.loadModel({ modelPath: path! });
const context = await model.createContext({ contextSize: pp + tg + 16, batchSize: Math.min(512, pp), threads });
const sequence = context.getSequence();
const tokens = benchPrompt(Vocabulary.fromGguf(readGgufFile(path!).metadata), pp);
const t0 = performance.now();
await sequence.evaluateWithoutGeneratingNewTokens(tokens as never);
const t1 = performance.now();
let generated = 0;
for await (const _ of sequence.evaluate([tokens[1]!] as never, { temperature: 0 })) {
  if (++generated >= tg) break;
}
const t2 = performance.now();
process.stdout.write(`${JSON.stringify({ pp_tps: pp / ((t1 - t0) / 1000), tg_tps: tg / ((t2 - t1) / 1000), peak_rss_mb: process.resourceUsage().maxRSS / 1024 })}\n`);
await context.dispose();
await model.dispose();
