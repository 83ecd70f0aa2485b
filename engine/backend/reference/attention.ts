// Attention over the f16 KV cache as llama.cpp computes it without flash attention (ENGINE-SPEC §2.5, §4.4):
// Q rounded to f16 for K·Q, softmax in f32 with a double sum, probabilities rounded to f16 before multiplying V.
import { roundToF16 } from '../../quant/index.js';
import type { AttentionParams, LayerKvView } from '../backend.js';

const f32 = Math.fround;

/** Whether the key in `cell` is visible to a query at `pos` (causal, sliding window, or same image block). */
function visible(kv: LayerKvView, cell: number, pos: number, queryBlock: number, params: AttentionParams): boolean {
  const keyPos = kv.cellPos[cell]!;
  if (keyPos < 0) return false;
  if (queryBlock > 0 && kv.cellBlocks[cell] === queryBlock) return true;
  if (keyPos > pos) return false;
  return params.window === 0 || pos - keyPos < params.window;
}

export function attention(q: Float32Array, n: number, positions: Int32Array, kv: LayerKvView, params: AttentionParams): Float32Array {
  const { nHead, nHeadKv, headDim } = params;
  const group = nHead / nHeadKv;
  const out = new Float32Array(n * nHead * headDim);
  const scores = new Float64Array(kv.nCells);
  const cells = new Int32Array(kv.nCells);
  const qh = new Float32Array(headDim);
  const row = new Float32Array(headDim);
  for (let t = 0; t < n; t++) {
    const pos = positions[t]!;
    const block = params.blocks?.[t] ?? 0;
    let count = 0;
    for (let c = 0; c < kv.nCells; c++) if (visible(kv, c, pos, block, params)) cells[count++] = c;
    for (let h = 0; h < nHead; h++) {
      const kvHead = Math.floor(h / group);
      const qo = (t * nHead + h) * headDim;
      for (let i = 0; i < headDim; i++) qh[i] = roundToF16(q[qo + i]!);
      let max = -Infinity;
      for (let j = 0; j < count; j++) {
        kv.readKey(cells[j]!, kvHead, row);
        let s = 0;
        for (let i = 0; i < headDim; i++) s += qh[i]! * row[i]!;
        scores[j] = f32(s);
        if (scores[j]! > max) max = scores[j]!;
      }
      let sum = 0;
      for (let j = 0; j < count; j++) {
        const e = f32(Math.exp(f32(scores[j]! - max)));
        scores[j] = e;
        sum += e;
      }
      const inv = f32(1 / sum);
      const oo = (t * nHead + h) * headDim;
      const acc = new Float64Array(headDim);
      for (let j = 0; j < count; j++) {
        const p = roundToF16(f32(scores[j]! * inv));
        kv.readValue(cells[j]!, kvHead, row);
        for (let i = 0; i < headDim; i++) acc[i] = acc[i]! + p * row[i]!;
      }
      for (let i = 0; i < headDim; i++) out[oo + i] = acc[i]!;
    }
  }
  return out;
}
