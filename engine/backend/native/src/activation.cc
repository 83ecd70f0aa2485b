#include "activation.h"

#include <algorithm>
#include <cmath>

#include "cpu.h"
#include "half.h"

#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#define QUIRE_X86 1
#endif

namespace quire {

namespace {

void quantize_row_q8_0_scalar(const float* x, int64_t k, BlockQ8* out) {
  for (int64_t b = 0; b < k / 32; b++) {
    const float* v = x + b * 32;
    float amax = 0;
    for (int j = 0; j < 32; j++) amax = std::max(amax, std::fabs(v[j]));
    const float d = amax / 127.0f;
    const float id = amax != 0.0f ? 127.0f / amax : 0.0f;
    int sum = 0;
    for (int j = 0; j < 32; j++) {
      const int q = (int)std::nearbyint(v[j] * id);
      out[b].qs[j] = (int8_t)q;
      sum += q;
    }
    out[b].d = f16_to_f32(f32_to_f16(d));
    out[b].s = f16_to_f32(f32_to_f16((float)sum * d));
  }
}

#ifdef QUIRE_X86
// The same arithmetic eight values at a time (a prompt batch quantizes megabytes of activations per matmul).
__attribute__((target("avx2,fma,f16c"))) void quantize_row_q8_0_avx2(const float* x, int64_t k, BlockQ8* out) {
  const __m256 sign = _mm256_set1_ps(-0.0f);
  for (int64_t b = 0; b < k / 32; b++) {
    const float* v = x + b * 32;
    __m256 m = _mm256_setzero_ps();
    for (int j = 0; j < 32; j += 8) m = _mm256_max_ps(m, _mm256_andnot_ps(sign, _mm256_loadu_ps(v + j)));
    __m128 r = _mm_max_ps(_mm256_extractf128_ps(m, 1), _mm256_castps256_ps128(m));
    r = _mm_max_ps(r, _mm_movehl_ps(r, r));
    r = _mm_max_ss(r, _mm_movehdup_ps(r));
    const float amax = _mm_cvtss_f32(r);
    const float d = amax / 127.0f;
    const __m256 id = _mm256_set1_ps(amax != 0.0f ? 127.0f / amax : 0.0f);
    __m256i sum = _mm256_setzero_si256();
    for (int j = 0; j < 32; j += 8) {
      const __m256i q = _mm256_cvtps_epi32(_mm256_round_ps(_mm256_mul_ps(_mm256_loadu_ps(v + j), id), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
      sum = _mm256_add_epi32(sum, q);
      alignas(32) int32_t lanes[8];
      _mm256_store_si256((__m256i*)lanes, q);
      for (int l = 0; l < 8; l++) out[b].qs[j + l] = (int8_t)lanes[l];
    }
    alignas(32) int32_t sums[8];
    _mm256_store_si256((__m256i*)sums, sum);
    const int total = sums[0] + sums[1] + sums[2] + sums[3] + sums[4] + sums[5] + sums[6] + sums[7];
    out[b].d = _cvtsh_ss(_cvtss_sh(d, _MM_FROUND_TO_NEAREST_INT));
    out[b].s = _cvtsh_ss(_cvtss_sh((float)total * d, _MM_FROUND_TO_NEAREST_INT));
  }
}
#endif

}  // namespace

void quantize_row_q8_0(const float* x, int64_t k, BlockQ8* out, bool allow_simd) {
#ifdef QUIRE_X86
  if (allow_simd && cpu_features().avx2) return quantize_row_q8_0_avx2(x, k, out);
#else
  (void)allow_simd;
#endif
  quantize_row_q8_0_scalar(x, k, out);
}

void quantize_row_q8_k(const float* x, int64_t k, BlockQ8K* out) {
  for (int64_t b = 0; b < k / 256; b++) {
    const float* v = x + b * 256;
    BlockQ8K& o = out[b];
    float max = 0, amax = 0;
    for (int j = 0; j < 256; j++) {
      if (std::fabs(v[j]) > amax) {
        amax = std::fabs(v[j]);
        max = v[j];
      }
    }
    std::fill(o.bsums, o.bsums + 16, (int16_t)0);
    if (amax == 0) {
      o.d = 0;
      std::fill(o.qs, o.qs + 256, (int8_t)0);
      continue;
    }
    const float iscale = -127.0f / max;
    for (int j = 0; j < 256; j++) {
      const int q = std::min(127, (int)std::nearbyint(iscale * v[j]));
      o.qs[j] = (int8_t)q;
      o.bsums[j >> 4] = (int16_t)(o.bsums[j >> 4] + q);
    }
    o.d = 1.0f / iscale;
  }
}

}  // namespace quire
