// One attempt of llama.cpp's multimodal path (@fugood/llama.node), in its own process (ENGINE-SPEC §14: a native
// crash must not take the test runner down, and each completion needs a fresh context). Prints one JSON line:
// {"evaluated", "steps": [{"content", "probs": [{"tok_str", "prob"}]}]} — the full-softmax top probabilities of
// each of n_predict sampled tokens (temperature 1, no truncation, fixed seed).
import { loadModel } from '@fugood/llama.node';

const { model, mmproj, image, prompt, steps, seed } = JSON.parse(process.argv[2]);
const ctx = await loadModel({ model, n_ctx: 2048, n_batch: 512, n_ubatch: 512, n_threads: 2, n_gpu_layers: 0 });
if (!(await ctx.initMultimodal({ path: mmproj, use_gpu: false }))) throw new Error('initMultimodal failed');
const result = await ctx.completion({
  prompt, media_paths: [image], n_predict: steps, n_probs: 10, seed,
  temperature: 1, top_k: 0, top_p: 1, min_p: 0, xtc_probability: 0, dry_multiplier: 0, penalty_last_n: 0,
});
process.stdout.write(`${JSON.stringify({ evaluated: result.tokens_evaluated, steps: result.completion_probabilities })}\n`);
process.exit(0);  // skip release(): it crashed in a few percent of runs (§14)
