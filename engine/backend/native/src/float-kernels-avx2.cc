// The float kernels on 256-bit registers (16 ymm): dense-attention tiles of 6 queries × 2 registers and matmul tiles
// of 3 rows × 4 tokens, 12 accumulators each.
#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "dense-job.h"
#include "float-element.h"
#include "half.h"
#include "gemm-float.h"
#include "hsum-avx2.h"
#include "quant-types.h"
#include "softmax-f16.h"
#include "thread-pool.h"

// Everything below is compiled for this instruction set; the headers above are not, so no inline function they
// define is emitted here with instructions another CPU lacks, and their declarations keep their own targets.
#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx2,fma,f16c"))), apply_to = function)
#else
#pragma GCC target("avx2,fma,f16c")
#endif

#include "dense-tiles.h"
#include "gemm-float-tiles.h"
#include "softmax-tiles.h"
#include "float-kernels.h"

namespace quire {
namespace {

struct Avx2 {
  using reg = __m256;
  using mask = __m256i;
  static constexpr int lanes = 8;
  static reg zero() { return _mm256_setzero_ps(); }
  static reg load(const float* p) { return _mm256_loadu_ps(p); }
  static void store(float* p, reg v) { _mm256_storeu_ps(p, v); }
  static reg bcast(const float* p) { return _mm256_broadcast_ss(p); }
  static reg fma(reg a, reg b, reg c) { return _mm256_fmadd_ps(a, b, c); }
  static reg add(reg a, reg b) { return _mm256_add_ps(a, b); }
  static mask tail_mask(int n) { return _mm256_cmpgt_epi32(_mm256_set1_epi32(n), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7)); }
  static reg load_masked(const float* p, mask m) { return _mm256_maskload_ps(p, m); }
  static void store_masked(float* p, mask m, reg v) { _mm256_maskstore_ps(p, m, v); }
  static reg load_f16(const uint16_t* p) { return _mm256_cvtph_ps(_mm_loadu_si128((const __m128i*)p)); }
  static reg load_bf16(const uint16_t* p) { return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_cvtepu16_epi32(_mm_loadu_si128((const __m128i*)p)), 16)); }
  static float hsum(reg v) { return hsum8(v); }
  static reg set1(float x) { return _mm256_set1_ps(x); }
  static reg max(reg a, reg b) { return _mm256_max_ps(a, b); }
  static reg sub(reg a, reg b) { return _mm256_sub_ps(a, b); }
  static reg mul(reg a, reg b) { return _mm256_mul_ps(a, b); }
  static reg round(reg x) { return _mm256_round_ps(x, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }
  static reg pow2(reg n) { return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127)), 23)); }
  static float reduce_max(reg v) {
    __m128 m = _mm_max_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    m = _mm_max_ps(m, _mm_movehl_ps(m, m));
    return _mm_cvtss_f32(_mm_max_ss(m, _mm_movehdup_ps(m)));
  }
  static reg to_f16_and_back(reg x) { return _mm256_cvtph_ps(_mm256_cvtps_ph(x, _MM_FROUND_TO_NEAREST_INT)); }
  using dacc = __m256d;
  static dacc dzero() { return _mm256_setzero_pd(); }
  static dacc dadd(dacc a, reg x) { return _mm256_add_pd(a, _mm256_add_pd(_mm256_cvtps_pd(_mm256_castps256_ps128(x)), _mm256_cvtps_pd(_mm256_extractf128_ps(x, 1)))); }
  static double dsum(dacc a) {
    alignas(32) double d[4];
    _mm256_store_pd(d, a);
    return (d[0] + d[1]) + (d[2] + d[3]);
  }
};

}  // namespace

QUIRE_FLOAT_KERNELS(Avx2, avx2, 6, 3, 4)

}  // namespace quire

#if defined(__clang__)
#pragma clang attribute pop
#endif
#endif
