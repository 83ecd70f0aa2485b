// The float kernels on 512-bit registers (32 zmm): dense-attention tiles of 12 queries × 2 registers and matmul tiles
// of 4 rows × 6 tokens, 24 accumulators each (Zen 5 and recent Intel run two 512-bit FMAs per cycle: twice AVX2).
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
#pragma clang attribute push(__attribute__((target("avx512f,avx512vl,avx2,fma,f16c"))), apply_to = function)
#else
#pragma GCC target("avx512f,avx512vl,avx2,fma,f16c")
#endif

// GCC 12 flags its own _mm512_undefined_* placeholders inside the AVX-512 intrinsics as uninitialized.
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#include "dense-tiles.h"
#include "gemm-float-tiles.h"
#include "softmax-tiles.h"
#include "float-kernels.h"

namespace quire {
namespace {

struct Avx512 {
  using reg = __m512;
  using mask = __mmask16;
  static constexpr int lanes = 16;
  static reg zero() { return _mm512_setzero_ps(); }
  static reg load(const float* p) { return _mm512_loadu_ps(p); }
  static void store(float* p, reg v) { _mm512_storeu_ps(p, v); }
  static reg bcast(const float* p) { return _mm512_set1_ps(*p); }
  static reg fma(reg a, reg b, reg c) { return _mm512_fmadd_ps(a, b, c); }
  static reg add(reg a, reg b) { return _mm512_add_ps(a, b); }
  static mask tail_mask(int n) { return (mask)((1u << n) - 1); }
  static reg load_masked(const float* p, mask m) { return _mm512_maskz_loadu_ps(m, p); }
  static void store_masked(float* p, mask m, reg v) { _mm512_mask_storeu_ps(p, m, v); }
  static reg load_f16(const uint16_t* p) { return _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i*)p)); }
  static reg load_bf16(const uint16_t* p) { return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(_mm256_loadu_si256((const __m256i*)p)), 16)); }
  static float hsum(reg v) { return _mm512_reduce_add_ps(v); }
  static reg set1(float x) { return _mm512_set1_ps(x); }
  static reg max(reg a, reg b) { return _mm512_max_ps(a, b); }
  static reg sub(reg a, reg b) { return _mm512_sub_ps(a, b); }
  static reg mul(reg a, reg b) { return _mm512_mul_ps(a, b); }
  static reg round(reg x) { return _mm512_roundscale_ps(x, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }
  static reg pow2(reg n) { return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_add_epi32(_mm512_cvtps_epi32(n), _mm512_set1_epi32(127)), 23)); }
  static float reduce_max(reg v) { return _mm512_reduce_max_ps(v); }
  static reg to_f16_and_back(reg x) { return _mm512_cvtph_ps(_mm512_cvtps_ph(x, _MM_FROUND_TO_NEAREST_INT)); }
  using dacc = __m512d;
  static dacc dzero() { return _mm512_setzero_pd(); }
  static dacc dadd(dacc a, reg x) {
    return _mm512_add_pd(a, _mm512_add_pd(_mm512_cvtps_pd(_mm512_castps512_ps256(x)), _mm512_cvtps_pd(_mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(x), 1)))));
  }
  static double dsum(dacc a) { return _mm512_reduce_add_pd(a); }
};

}  // namespace

QUIRE_FLOAT_KERNELS(Avx512, avx512, 12, 4, 6)

}  // namespace quire

#if defined(__clang__)
#pragma clang attribute pop
#endif
#endif
