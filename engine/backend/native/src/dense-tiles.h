// The tiles of dense attention (attention-dense.cc) — an image block attending to itself, and a causal text prompt
// whose tiles mask what each query cannot see — written once over a SIMD traits type V and instantiated by one small
// file per instruction set (float-kernels-avx2.cc, float-kernels-avx512.cc), each compiled for its target.
// V provides: reg, mask, lanes, zero, load, store, bcast, fma, add, tail_mask, load_masked, store_masked.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstdint>

#include "dense-job.h"
#include "softmax-f16.h"
#include "softmax-tiles.h"

namespace quire {
namespace {

// scores[q·row + c] = Σ_i qh[q·hd + i] · k_c[i] for the `keys` keys (a multiple of 2·lanes) of `panels`, a panel of
// 2·lanes keys at a time: the panel holds its keys transposed ([i][2·lanes]), so it is one contiguous read and each
// key lane serves all Q queries.
template <class V, int Q>
inline void tile_scores(const DenseJob& job, const float* qh, const float* panels, int64_t keys, float* scores) {
  constexpr int64_t P = 2 * V::lanes;
  const int64_t hd = job.hd;
  for (int64_t c = 0; c < keys; c += P) {
    const float* panel = panels + c * hd;
    typename V::reg acc[Q][2];
#pragma GCC unroll 16
    for (int q = 0; q < Q; q++) acc[q][0] = acc[q][1] = V::zero();
    for (int64_t i = 0; i < hd; i++) {
      const typename V::reg k0 = V::load(panel + i * P), k1 = V::load(panel + i * P + V::lanes);
#pragma GCC unroll 16
      for (int q = 0; q < Q; q++) {
        const typename V::reg b = V::bcast(qh + q * hd + i);
        acc[q][0] = V::fma(b, k0, acc[q][0]);
        acc[q][1] = V::fma(b, k1, acc[q][1]);
      }
    }
#pragma GCC unroll 16
    for (int q = 0; q < Q; q++) {
      V::store(scores + q * job.row + c, acc[q][0]);
      V::store(scores + q * job.row + c + V::lanes, acc[q][1]);
    }
  }
}

// out[q·stride + i] (+)= Σ_{c < count} p[q·row + c] · v_c[i] for L registers of dimensions from i0 (the last one
// masked when Masked): each value register is loaded once per key for all Q queries. `add` adds onto what an
// earlier run of keys left in out.
template <class V, int Q, int L, bool Masked>
inline void tile_values(const DenseJob& job, const float* p, const float* v, int64_t count, int64_t i0, typename V::mask m, bool add, float* out) {
  typename V::reg acc[Q][L];
#pragma GCC unroll 16
  for (int q = 0; q < Q; q++) {
#pragma GCC unroll 4
    for (int l = 0; l < L; l++) acc[q][l] = V::zero();
  }
  for (int64_t c = 0; c < count; c++) {
    typename V::reg vv[L];
    const float* vc = v + c * job.hd + i0;
#pragma GCC unroll 4
    for (int l = 0; l < L; l++) vv[l] = Masked && l == L - 1 ? V::load_masked(vc + l * V::lanes, m) : V::load(vc + l * V::lanes);
#pragma GCC unroll 16
    for (int q = 0; q < Q; q++) {
      const typename V::reg b = V::bcast(p + q * job.row + c);
#pragma GCC unroll 4
      for (int l = 0; l < L; l++) acc[q][l] = V::fma(b, vv[l], acc[q][l]);
    }
  }
#pragma GCC unroll 16
  for (int q = 0; q < Q; q++) {
#pragma GCC unroll 4
    for (int l = 0; l < L; l++) {
      float* o = out + q * job.stride + i0 + l * V::lanes;
      const bool last = Masked && l == L - 1;
      typename V::reg r = acc[q][l];
      if (add) r = V::add(r, last ? V::load_masked(o, m) : V::load(o));
      if (last) V::store_masked(o, m, r);
      else V::store(o, r);
    }
  }
}

// ·V for `count` keys whose probabilities start at p and value rows at v, in chunks whose value rows stay in L2
// while every output register of the tile passes over them.
template <class V, int Q>
inline void tile_value_chunks(const DenseJob& job, const float* p, const float* v, int64_t count, bool add, float* out) {
  const int64_t hd = job.hd;
  for (int64_t c0 = 0; c0 < count; c0 += kDenseValueChunk) {
    const int64_t n = std::min(count - c0, kDenseValueChunk);
    const bool more = add || c0 > 0;
    int64_t i = 0;
    for (; i + 2 * V::lanes <= hd; i += 2 * V::lanes) tile_values<V, Q, 2, false>(job, p + c0, v + c0 * hd, n, i, V::tail_mask(0), more, out);
    if (i + V::lanes <= hd) tile_values<V, Q, 1, false>(job, p + c0, v + c0 * hd, n, i, V::tail_mask(0), more, out), i += V::lanes;
    if (i < hd) tile_values<V, Q, 1, true>(job, p + c0, v + c0 * hd, n, i, V::tail_mask((int)(hd - i)), more, out);
  }
}

// One tile: Q queries of one head against every cell — scores, softmax (f16 probabilities), then ·V.
template <class V, int Q>
void tile(const DenseJob& job, const float* qh, const float* panels, const float* v, float* scores, float* out) {
  tile_scores<V, Q>(job, qh, panels, job.padded, scores);
  for (int q = 0; q < Q; q++) softmax_row<V>(scores + q * job.row, job.cells);
  tile_value_chunks<V, Q>(job, scores, v, job.cells, false, out);
}

// Whether a text query at `pos` sees `cell` (attention.cc's visible() for a query outside any image block).
inline bool causal_sees(const DenseJob& job, int64_t cell, int32_t pos) {
  const int32_t key = job.cell_pos[cell];
  return key >= 0 && key <= pos && (job.window == 0 || pos - key < job.window);
}

// One tile of a causal text prompt: Q queries of one head against the cells of positions first…last that any of
// them can see (one run of cells, or two where it wraps round a ring), widened to whole key panels; the cells a
// query cannot see (its future, past its window, empty) get a score of −∞, so their probabilities are exactly 0
// after the f16 rounding and they add nothing to ·V.
template <class V, int Q>
void causal_tile(const DenseJob& job, const int32_t* qpos, const float* qh, const float* panels, const float* v, float* scores, float* out) {
  constexpr int64_t P = 2 * V::lanes;
  const int64_t cells = job.cells, hd = job.hd;
  int32_t lo = qpos[0], hi = qpos[0];
  for (int q = 1; q < Q; q++) lo = std::min(lo, qpos[q]), hi = std::max(hi, qpos[q]);
  const int64_t first = job.window > 0 ? std::max<int64_t>(0, (int64_t)lo - job.window + 1) : 0;
  const int64_t start = first % cells, len = (int64_t)hi - first + 1;  // len ≤ cells: attention_causal checks it
  const int64_t runs[2][2] = {{start, std::min(cells, start + len)}, {0, start + len - cells}};
  int64_t from[2], to[2], at[2], total = 0;
  const int nruns = start + len > cells ? 2 : 1;
  for (int r = 0; r < nruns; r++) {
    from[r] = runs[r][0] / P * P;
    to[r] = std::min(job.padded, (runs[r][1] + P - 1) / P * P);
    at[r] = total;
    tile_scores<V, Q>(job, qh, panels + from[r] * hd, to[r] - from[r], scores + total);
    total += to[r] - from[r];
  }
  for (int q = 0; q < Q; q++) {
    float* row = scores + q * job.row;
    for (int r = 0; r < nruns; r++) {
      for (int64_t c = from[r]; c < to[r]; c++) {
        // Outside the run (panel padding, or cells the other run of a wrapped ring holds) or not visible: masked.
        if (c < runs[r][0] || c >= runs[r][1] || !causal_sees(job, c, qpos[q])) row[at[r] + c - from[r]] = -INFINITY;
      }
    }
    softmax_row<V>(row, total);
  }
  for (int r = 0; r < nruns; r++) {
    const int64_t end = std::min(to[r], cells);                          // panel padding past the last cell has no values
    tile_value_chunks<V, Q>(job, scores + at[r], v + from[r] * hd, end - from[r], r > 0, out);
  }
}

template <class V, int Q, bool Causal>
void tile_count(const DenseJob& job, int count, const int32_t* qpos, const float* qh, const float* panels, const float* v, float* scores, float* out) {
  if constexpr (Q > 1) {
    if (count < Q) return tile_count<V, Q - 1, Causal>(job, count, qpos, qh, panels, v, scores, out);
  }
  if constexpr (Causal) causal_tile<V, Q>(job, qpos, qh, panels, v, scores, out);
  else tile<V, Q>(job, qh, panels, v, scores, out);
}

// One item of the job (head-major, Q queries per item), with this worker's buffers.
template <class V, int Q, bool Causal>
void run_item(const DenseJob& job, int64_t item, float* qh, float* scores) {
  const int64_t tiles = (job.n + Q - 1) / Q;
  const int64_t h = item / tiles, t0 = item % tiles * Q, g = h / job.group;
  const int count = (int)std::min<int64_t>(Q, job.n - t0);
  for (int t = 0; t < count; t++) round_to_f16(job.q + (t0 + t) * job.stride + h * job.hd, job.hd, qh + t * job.hd);  // K·Q runs in f16 in ggml
  tile_count<V, Q, Causal>(job, count, Causal ? job.positions + t0 : nullptr, qh, job.panels + g * job.padded * job.hd,
                           job.values + g * job.cells * job.hd, scores, job.out + t0 * job.stride + h * job.hd);
}

template <class V, int Q>
void dense_items(const DenseJob& job, int64_t item, float* qh, float* scores) {
  run_item<V, Q, false>(job, item, qh, scores);
}

template <class V, int Q>
void causal_items(const DenseJob& job, int64_t item, float* qh, float* scores) {
  run_item<V, Q, true>(job, item, qh, scores);
}

}  // namespace
}  // namespace quire
