// The sum of a 256-bit register's eight floats in ggml's order (hsum_float_8: lane 4+0, 6+2, 5+1, 7+3, then
// pairwise), shared by every kernel whose results must match ggml's AVX2 lanes bit for bit.
#pragma once
#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>

namespace quire {

__attribute__((target("avx2"))) inline float hsum8(__m256 v) {
  __m128 r = _mm_add_ps(_mm256_extractf128_ps(v, 1), _mm256_castps256_ps128(v));
  r = _mm_add_ps(r, _mm_movehl_ps(r, r));
  r = _mm_add_ss(r, _mm_movehdup_ps(r));
  return _mm_cvtss_f32(r);
}

}  // namespace quire
#endif
