#include "dot-kquant-avx2.h"

#include "half.h"
#include "quant-types.h"

#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>

namespace quire {

namespace {

__attribute__((target("avx2"))) inline int hsum_i32(__m256i v) {
  __m128i r = _mm_add_epi32(_mm256_extracti128_si256(v, 1), _mm256_castsi256_si128(v));
  r = _mm_add_epi32(r, _mm_shuffle_epi32(r, 0x4e));
  r = _mm_add_epi32(r, _mm_shuffle_epi32(r, 0xb1));
  return _mm_cvtsi128_si32(r);
}

// The 6-bit scale and min of sub-block j (get_scale_min_k4).
inline void scale_min(const uint8_t* s, int j, int* sc, int* mn) {
  if (j < 4) {
    *sc = s[j] & 63;
    *mn = s[j + 4] & 63;
  } else {
    *sc = (s[j + 4] & 0xf) | ((s[j - 4] >> 6) << 4);
    *mn = (s[j + 4] >> 4) | ((s[j] >> 6) << 4);
  }
}

}  // namespace

__attribute__((target("avx2,fma,f16c"))) float dot_q4_k_avx2(const uint8_t* w, const BlockQ8K* a, int64_t k) {
  const __m256i low = _mm256_set1_epi8(0x0f);
  double sum = 0;
  for (int64_t b = 0; b < k / 256; b++) {
    const uint8_t* blk = w + b * 144;
    const BlockQ8K& ab = a[b];
    int sc[8], mn[8];
    for (int j = 0; j < 8; j++) scale_min(blk + 4, j, &sc[j], &mn[j]);
    __m256i acc = _mm256_setzero_si256();
    for (int c = 0; c < 4; c++) {
      const __m256i q = _mm256_loadu_si256((const __m256i*)(blk + 16 + 32 * c));
      const __m256i lo = _mm256_and_si256(q, low), hi = _mm256_and_si256(_mm256_srli_epi16(q, 4), low);
      const __m256i p_lo = _mm256_maddubs_epi16(lo, _mm256_loadu_si256((const __m256i*)(ab.qs + 64 * c)));
      const __m256i p_hi = _mm256_maddubs_epi16(hi, _mm256_loadu_si256((const __m256i*)(ab.qs + 64 * c + 32)));
      acc = _mm256_add_epi32(acc, _mm256_madd_epi16(p_lo, _mm256_set1_epi16((int16_t)sc[2 * c])));
      acc = _mm256_add_epi32(acc, _mm256_madd_epi16(p_hi, _mm256_set1_epi16((int16_t)sc[2 * c + 1])));
    }
    int mins = 0;
    for (int j = 0; j < 8; j++) mins += mn[j] * (ab.bsums[2 * j] + ab.bsums[2 * j + 1]);
    const float d = _cvtsh_ss(read_u16(blk)), dmin = _cvtsh_ss(read_u16(blk + 2));
    sum += (double)((d * ab.d) * (float)hsum_i32(acc)) - (double)((dmin * ab.d) * (float)mins);
  }
  return (float)sum;
}

__attribute__((target("avx2,fma,f16c"))) float dot_q6_k_avx2(const uint8_t* w, const BlockQ8K* a, int64_t k) {
  const __m256i low = _mm256_set1_epi8(0x0f), bits45 = _mm256_set1_epi8(0x30);
  double sum = 0;
  for (int64_t b = 0; b < k / 256; b++) {
    const uint8_t* blk = w + b * 210;
    const int8_t* scales = (const int8_t*)(blk + 192);
    const BlockQ8K& ab = a[b];
    __m256i acc = _mm256_setzero_si256();
    for (int h = 0; h < 2; h++) {
      const __m256i ql0 = _mm256_loadu_si256((const __m256i*)(blk + 64 * h));
      const __m256i ql1 = _mm256_loadu_si256((const __m256i*)(blk + 64 * h + 32));
      const __m256i qh = _mm256_loadu_si256((const __m256i*)(blk + 128 + 32 * h));
      // Unsigned levels 0…63 (q + 32) of the four runs of 32 values in this half, in element order.
      const __m256i u[4] = {
          _mm256_or_si256(_mm256_and_si256(ql0, low), _mm256_and_si256(_mm256_slli_epi16(qh, 4), bits45)),
          _mm256_or_si256(_mm256_and_si256(ql1, low), _mm256_and_si256(_mm256_slli_epi16(qh, 2), bits45)),
          _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(ql0, 4), low), _mm256_and_si256(qh, bits45)),
          _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(ql1, 4), low), _mm256_and_si256(_mm256_srli_epi16(qh, 2), bits45)),
      };
      for (int r = 0; r < 4; r++) {
        const int g = 8 * h + 2 * r;  // the two groups of 16 in this run
        const __m256i prod = _mm256_maddubs_epi16(u[r], _mm256_loadu_si256((const __m256i*)(ab.qs + 128 * h + 32 * r)));
        const __m256i sc = _mm256_set_m128i(_mm_set1_epi16(scales[g + 1]), _mm_set1_epi16(scales[g]));
        acc = _mm256_add_epi32(acc, _mm256_madd_epi16(prod, sc));
      }
    }
    int offset = 0;  // Σ sc·(32·Σa) takes the +32 of the unsigned levels back out
    for (int g = 0; g < 16; g++) offset += scales[g] * ab.bsums[g];
    const int isum = hsum_i32(acc) - 32 * offset;
    sum += (double)((_cvtsh_ss(read_u16(blk + 208)) * ab.d) * (float)isum);
  }
  return (float)sum;
}

}  // namespace quire

#else
namespace quire {
float dot_q4_k_avx2(const uint8_t*, const BlockQ8K*, int64_t) { return 0; }
float dot_q6_k_avx2(const uint8_t*, const BlockQ8K*, int64_t) { return 0; }
}  // namespace quire
#endif
