// The Gemma 3 decoder, top to bottom (ENGINE-SPEC §2). One call runs a batch of tokens at consecutive positions
// through every layer, writes their K and V into the cache, and returns the logits of the rows asked for.
import type { Backend } from '../backend/backend.js';
import type { Gemma3Config } from './config.js';
import type { HybridKvCache } from './kv-cache.js';
import type { Gemma3Weights } from './weights.js';

export interface ForwardInput {
  /** Token ids, or null where `embeddings` supplies the row (image soft tokens). */
  tokens: (number | null)[];
  /** [tokens.length, nEmbd] raw embeddings for rows whose token is null; these are not scaled by √d. */
  embeddings?: Float32Array;
  /** Position of the first token; the rest follow one by one. */
  startPos: number;
  /** Image block id per token (0 = text): tokens of one block attend to each other bidirectionally. */
  blocks?: Int32Array;
  /** 'last' for generation, 'all' for scoring every position. */
  logits: 'last' | 'all';
}

export class Gemma3Model {
  constructor(readonly config: Gemma3Config, readonly weights: Gemma3Weights, readonly backend: Backend) {
    if (backend.prepareWeight) {
      for (const lw of weights.layers) {
        for (const w of [lw.attnQ, lw.attnK, lw.attnV, lw.attnOutput, lw.ffnGate, lw.ffnUp, lw.ffnDown]) backend.prepareWeight(w);
      }
      backend.prepareWeight(weights.output);
    }
  }

  /** logits: [rows, nVocab], rows = 1 ('last') or tokens.length ('all') */
  forward(input: ForwardInput, cache: HybridKvCache): Float32Array {
    const { config: c, weights: w, backend: be } = this;
    const n = input.tokens.length;
    const d = c.nEmbd;
    const hd = c.headDim;
    const positions = Int32Array.from({ length: n }, (_, i) => input.startPos + i);

    // Embedding: text rows are scaled by the f32 √d (not rounded to bf16); raw embeddings go in unscaled.
    const x = this.embed(input, n);                                      // [n, d]

    for (let l = 0; l < c.nLayer; l++) {
      const lw = w.layers[l]!;
      const local = c.isLocal[l]!;
      be.beginScratch?.();                                               // this layer's intermediates are reused
      // Attention block
      const attnIn = be.rmsNorm(x, d, lw.attnNorm, c.rmsEps);            // attn_norm [n, d]
      const q = be.matmul(lw.attnQ, attnIn, n);                          // Qcur [n, H·hd]
      const k = be.matmul(lw.attnK, attnIn, n);                          // Kcur [n, Hkv·hd]
      const v = be.matmul(lw.attnV, attnIn, n);                          // Vcur [n, Hkv·hd]
      const qn = be.rmsNorm(q, hd, lw.attnQNorm, c.rmsEps);              // QK-norm per head
      const kn = be.rmsNorm(k, hd, lw.attnKNorm, c.rmsEps);
      const base = local ? c.ropeFreqBaseSwa : c.ropeFreqBase;            // 10k local, 1M global
      const freqScale = local ? 1 : c.ropeFreqScaleGlobal;               // linear scaling on global layers only
      be.rope(qn, n, c.nHead, hd, positions, base, freqScale);
      be.rope(kn, n, c.nHeadKv, hd, positions, base, freqScale);
      be.scaleInPlace(qn, c.attentionScale);                             // Q·(1/√hd) before QKᵀ
      cache.store(l, kn, v, positions, input.blocks);
      const kv = cache.layer(l);
      const attn = be.attention(qn, n, positions, kv, {                  // kqv_out [n, H·hd]
        nHead: c.nHead, nHeadKv: c.nHeadKv, headDim: hd, window: local ? c.slidingWindow : 0,
        ...(input.blocks ? { blocks: input.blocks } : {}),
      });
      const attnOut = be.matmul(lw.attnOutput, attn, n);                 // [n, d]
      const attnPost = be.rmsNorm(attnOut, d, lw.postAttentionNorm, c.rmsEps);
      be.addInPlace(x, attnPost);                                        // residual

      // Feed-forward block (GeGLU)
      const ffnIn = be.rmsNorm(x, d, lw.ffnNorm, c.rmsEps);              // ffn_norm [n, d]
      const gate = be.matmul(lw.ffnGate, ffnIn, n);                      // [n, F]
      const up = be.matmul(lw.ffnUp, ffnIn, n);                          // [n, F]
      const act = be.geglu(gate, up);                                    // gelu_tanh(gate) ⊙ up
      const down = be.matmul(lw.ffnDown, act, n);                        // [n, d]
      const ffnPost = be.rmsNorm(down, d, lw.postFfwNorm, c.rmsEps);
      be.addInPlace(x, ffnPost);                                         // l_out
      be.endScratch?.();
    }

    const rows = input.logits === 'all' ? n : 1;
    const last = input.logits === 'all' ? x : x.subarray((n - 1) * d, n * d);
    const y = be.rmsNorm(last, d, w.outputNorm, c.rmsEps);               // result_norm [rows, d]
    const logits = be.matmul(w.output, y, rows);                         // result_output [rows, V]
    if (c.finalLogitSoftcap > 0) {
      const cap = c.finalLogitSoftcap;
      for (let i = 0; i < logits.length; i++) logits[i] = Math.tanh(logits[i]! / cap) * cap;
    }
    return logits;
  }

  private embed(input: ForwardInput, n: number): Float32Array {
    const d = this.config.nEmbd;
    const ids = input.tokens.map((t) => t ?? 0);
    const x = this.backend.getRows(this.weights.tokenEmbd, ids);
    const scale = Math.fround(Math.sqrt(d));
    for (let t = 0; t < n; t++) {
      const row = x.subarray(t * d, (t + 1) * d);
      if (input.tokens[t] === null) {
        if (!input.embeddings) throw new RangeError(`token ${t} has no id and no embedding`);
        row.set(input.embeddings.subarray(t * d, (t + 1) * d));
      } else {
        this.backend.scaleInPlace(row, scale);
      }
    }
    return x;
  }
}
