// The tiles of dense attention (attention-dense.cc), written once over a SIMD traits type V and instantiated by one
// small file per instruction set (attention-dense-avx2.cc, attention-dense-avx512.cc), each compiled for its target.
// V provides: reg, mask, lanes, zero, load, store, bcast, fma, add, tail_mask, load_masked, store_masked.
#pragma once
#include <algorithm>
#include <cstdint>

#include "dense-job.h"
#include "softmax-f16.h"
#include "softmax-tiles.h"

namespace quire {
namespace {

// scores[q·row + c] = Σ_i qh[q·hd + i] · k_c[i], a panel of 2·lanes keys at a time: the panel holds its keys
// transposed ([i][2·lanes]), so it is one contiguous read and each key lane serves all Q queries.
template <class V, int Q>
inline void tile_scores(const DenseJob& job, const float* qh, const float* panels, float* scores) {
  constexpr int64_t P = 2 * V::lanes;
  const int64_t hd = job.hd;
  for (int64_t c = 0; c < job.padded; c += P) {
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

// out[q·stride + i] += Σ_{c0 ≤ c < c1} p[q·row + c] · v_c[i] for L registers of dimensions from i0 (the last one
// masked when Masked): each value register is loaded once per key for all Q queries.
template <class V, int Q, int L, bool Masked>
inline void tile_values(const DenseJob& job, const float* p, const float* v, int64_t c0, int64_t c1, int64_t i0, typename V::mask m, float* out) {
  typename V::reg acc[Q][L];
#pragma GCC unroll 16
  for (int q = 0; q < Q; q++) {
#pragma GCC unroll 4
    for (int l = 0; l < L; l++) acc[q][l] = V::zero();
  }
  for (int64_t c = c0; c < c1; c++) {
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
      if (c0 > 0) r = V::add(r, last ? V::load_masked(o, m) : V::load(o));  // later key chunks add on
      if (last) V::store_masked(o, m, r);
      else V::store(o, r);
    }
  }
}

// One tile: Q queries of one head against every cell — scores, softmax (f16 probabilities), then ·V in key chunks
// whose value rows stay in L2 while every output register of the tile passes over them.
template <class V, int Q>
void tile(const DenseJob& job, const float* qh, const float* panels, const float* v, float* scores, float* out) {
  tile_scores<V, Q>(job, qh, panels, scores);
  for (int q = 0; q < Q; q++) softmax_row<V>(scores + q * job.row, job.cells);
  const int64_t hd = job.hd;
  for (int64_t c0 = 0; c0 < job.cells; c0 += kDenseValueChunk) {
    const int64_t c1 = std::min(job.cells, c0 + kDenseValueChunk);
    int64_t i = 0;
    for (; i + 2 * V::lanes <= hd; i += 2 * V::lanes) tile_values<V, Q, 2, false>(job, scores, v, c0, c1, i, V::tail_mask(0), out);
    if (i + V::lanes <= hd) tile_values<V, Q, 1, false>(job, scores, v, c0, c1, i, V::tail_mask(0), out), i += V::lanes;
    if (i < hd) tile_values<V, Q, 1, true>(job, scores, v, c0, c1, i, V::tail_mask((int)(hd - i)), out);
  }
}

template <class V, int Q>
void tile_count(const DenseJob& job, int count, const float* qh, const float* panels, const float* v, float* scores, float* out) {
  if constexpr (Q > 1) {
    if (count < Q) return tile_count<V, Q - 1>(job, count, qh, panels, v, scores, out);
  }
  tile<V, Q>(job, qh, panels, v, scores, out);
}

// Items [item0, item1) of the job (head-major, kDenseQueries(V) queries per item), with this worker's buffers.
template <class V, int Q>
void dense_items(const DenseJob& job, int64_t item, float* qh, float* scores) {
  const int64_t tiles = (job.n + Q - 1) / Q;
  const int64_t h = item / tiles, t0 = item % tiles * Q, g = h / job.group;
  const int count = (int)std::min<int64_t>(Q, job.n - t0);
  for (int t = 0; t < count; t++) round_to_f16(job.q + (t0 + t) * job.stride + h * job.hd, job.hd, qh + t * job.hd);  // K·Q runs in f16 in ggml
  tile_count<V, Q>(job, count, qh, job.panels + g * job.padded * job.hd, job.values + g * job.cells * job.hd, scores,
                   job.out + t0 * job.stride + h * job.hd);
}

}  // namespace
}  // namespace quire
