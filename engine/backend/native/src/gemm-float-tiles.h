// The tiles of the float prompt matmul (gemm-float.h), written once over a SIMD traits type V (see dense-tiles.h)
// that also provides load_f16, load_bf16 and hsum; instantiated by float-kernels-avx2.cc and float-kernels-avx512.cc.
#pragma once
#include <algorithm>
#include <cstdint>

#include "float-element.h"
#include "quant-types.h"
#include "thread-pool.h"

namespace quire {
namespace {

template <class V, int Type>
inline typename V::reg load_weights(const uint8_t* w, int64_t i) {
  if constexpr (Type == TYPE_F32) return V::load((const float*)w + i);
  else if constexpr (Type == TYPE_F16) return V::load_f16((const uint16_t*)w + i);
  else return V::load_bf16((const uint16_t*)w + i);
}

// out[t·rows + r] (+)= the dot over [k0, k1) for R rows × T tokens, every accumulator and loaded register in the
// register file; the first slice of k stores, later ones add on.
template <class V, int Type, int R, int T>
inline void gemm_tile(const uint8_t* w, int64_t row_bytes, const float* a, int64_t k, int64_t k0, int64_t k1, int64_t rows, float* out) {
  typename V::reg acc[R][T];
#pragma GCC unroll 8
  for (int r = 0; r < R; r++) {
#pragma GCC unroll 8
    for (int t = 0; t < T; t++) acc[r][t] = V::zero();
  }
  int64_t i = k0;
  for (; i + V::lanes <= k1; i += V::lanes) {
    typename V::reg wv[R];
#pragma GCC unroll 8
    for (int r = 0; r < R; r++) wv[r] = load_weights<V, Type>(w + r * row_bytes, i);
#pragma GCC unroll 8
    for (int t = 0; t < T; t++) {
      const typename V::reg av = V::load(a + t * k + i);
#pragma GCC unroll 8
      for (int r = 0; r < R; r++) acc[r][t] = V::fma(wv[r], av, acc[r][t]);
    }
  }
  for (int r = 0; r < R; r++) {
    for (int t = 0; t < T; t++) {
      float s = V::hsum(acc[r][t]);
      for (int64_t j = i; j < k1; j++) s += float_element(Type, w + r * row_bytes, j) * a[t * k + j];
      out[t * rows + r] = k0 == 0 ? s : out[t * rows + r] + s;
    }
  }
}

template <class V, int Type, int R, int T>
void gemm_tile_tokens(const uint8_t* w, int64_t row_bytes, const float* a, int64_t k, int64_t k0, int64_t k1, int64_t rows, int64_t n, float* out) {
  if constexpr (T > 1) {
    if (n < T) return gemm_tile_tokens<V, Type, R, T - 1>(w, row_bytes, a, k, k0, k1, rows, n, out);
  }
  gemm_tile<V, Type, R, T>(w, row_bytes, a, k, k0, k1, rows, out);
}

template <class V, int Type, int R, int T>
void gemm_tile_rows(const uint8_t* w, int64_t row_bytes, const float* a, int64_t k, int64_t k0, int64_t k1, int64_t rows, int64_t nr, int64_t n, float* out) {
  if constexpr (R > 1) {
    if (nr < R) return gemm_tile_rows<V, Type, R - 1, T>(w, row_bytes, a, k, k0, k1, rows, nr, n, out);
  }
  gemm_tile_tokens<V, Type, R, T>(w, row_bytes, a, k, k0, k1, rows, n, out);
}

constexpr int64_t kSlice = 1024;    // elements of k per pass
constexpr int64_t kRowBlock = 128;  // weight rows per pass over a token tile: their k-slice stays in L2

// A worker's rows [r0, r1) × every token, blocked so each operand is reused from the nearest cache: tokens in blocks
// whose k-slice stays in L2; per block of weight rows (L2) a tile of T tokens (L1) meets R rows at a time.
template <class V, int Type, int R, int T>
void gemm_rows(const uint8_t* w, int64_t row_bytes, int64_t k, int64_t rows, int64_t r0, int64_t r1, const float* a, int64_t n, float* out) {
  const int64_t block = std::max<int64_t>(T, 256 * 1024 / (4 * std::min(k, kSlice)) / T * T);
  for (int64_t t0 = 0; t0 < n; t0 += block) {
    const int64_t t1 = std::min(n, t0 + block);
    for (int64_t k0 = 0; k0 < k; k0 += kSlice) {
      const int64_t k1 = k - k0 <= kSlice + kSlice / 4 ? k : k0 + kSlice;  // no sliver of a last slice
      for (int64_t b0 = r0; b0 < r1; b0 += kRowBlock) {
        const int64_t b1 = std::min(r1, b0 + kRowBlock);
        for (int64_t t = t0; t < t1; t += T) {
          for (int64_t r = b0; r < b1; r += R) {
            gemm_tile_rows<V, Type, R, T>(w + r * row_bytes, row_bytes, a + t * k, k, k0, k1, rows, std::min<int64_t>(R, b1 - r),
                                          std::min<int64_t>(T, t1 - t), out + t * rows + r);
          }
        }
      }
      if (k1 == k) break;
    }
  }
}

template <class V, int R, int T>
void gemm_float(ThreadPool& pool, int type, const uint8_t* w, int64_t k, int64_t rows, const float* a, int64_t n, float* out) {
  const int64_t row_bytes = k * (type == TYPE_F32 ? 4 : 2);
  pool.run([&](int worker) {
    int64_t r0, r1;
    split_range(rows, pool.size(), worker, &r0, &r1);
    if (type == TYPE_F32) gemm_rows<V, TYPE_F32, R, T>(w, row_bytes, k, rows, r0, r1, a, n, out);
    else if (type == TYPE_F16) gemm_rows<V, TYPE_F16, R, T>(w, row_bytes, k, rows, r0, r1, a, n, out);
    else gemm_rows<V, TYPE_BF16, R, T>(w, row_bytes, k, rows, r0, r1, a, n, out);
  });
}

}  // namespace
}  // namespace quire
