#include "dot-avx2.h"

#include "quant-types.h"
#include "hsum-avx2.h"

#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>

namespace quire {

namespace {

// Signed 8-bit dot products in 8 lanes of 4 consecutive bytes: |w| × (a with w's sign), pairwise to i32.
__attribute__((target("avx2,fma"))) inline __m256 dot_i8_lanes(__m256i w, __m256i a) {
  const __m256i ax = _mm256_sign_epi8(w, w);
  const __m256i sy = _mm256_sign_epi8(a, w);
  const __m256i dot16 = _mm256_maddubs_epi16(ax, sy);
  return _mm256_cvtepi32_ps(_mm256_madd_epi16(dot16, _mm256_set1_epi16(1)));
}

// 0xFF in byte j where bit j of `bits` is set (Q5_0's fifth bits as a byte mask).
__attribute__((target("avx2"))) __m256i bytes_from_bits(uint32_t bits) {
  const __m256i spread = _mm256_shuffle_epi8(_mm256_set1_epi32((int)bits),
                                             _mm256_set_epi64x(0x0303030303030303, 0x0202020202020202, 0x0101010101010101, 0));
  const __m256i select = _mm256_set1_epi64x((int64_t)0x8040201008040201);
  return _mm256_cmpeq_epi8(_mm256_and_si256(spread, select), select);
}

}  // namespace

__attribute__((target("avx2,fma,f16c"))) float dot_q5_0_avx2(const uint8_t* w, const BlockQ8* a, int64_t k) {
  __m256 acc = _mm256_setzero_ps();
  const __m128i low = _mm_set1_epi8(0x0f);
  for (int64_t b = 0; b < k / 32; b++) {
    const uint8_t* block = w + b * 22;
    const __m128i packed = _mm_loadu_si128((const __m128i*)(block + 6));
    const __m256i nibbles = _mm256_set_m128i(_mm_and_si128(_mm_srli_epi16(packed, 4), low), _mm_and_si128(packed, low));
    // q − 16 without a subtraction: where the fifth bit is clear, setting the top four bits gives nibble − 16.
    const __m256i high = _mm256_andnot_si256(bytes_from_bits(read_u32(block + 2)), _mm256_set1_epi8((char)0xf0));
    const __m256i q = _mm256_or_si256(nibbles, high);
    const __m256i y = _mm256_loadu_si256((const __m256i*)a[b].qs);
    const float d = _cvtsh_ss(read_u16(block)) * a[b].d;
    acc = _mm256_fmadd_ps(_mm256_set1_ps(d), dot_i8_lanes(q, y), acc);
  }
  return hsum8(acc);
}

__attribute__((target("avx2,fma,f16c"))) float dot_q4_0_avx2(const uint8_t* w, const BlockQ8* a, int64_t k) {
  __m256 acc = _mm256_setzero_ps();
  const __m128i low = _mm_set1_epi8(0x0f);
  for (int64_t b = 0; b < k / 32; b++) {
    const uint8_t* block = w + b * 18;
    const __m128i packed = _mm_loadu_si128((const __m128i*)(block + 2));
    const __m128i lo = _mm_and_si128(packed, low);
    const __m128i hi = _mm_and_si128(_mm_srli_epi16(packed, 4), low);
    const __m256i q = _mm256_sub_epi8(_mm256_set_m128i(hi, lo), _mm256_set1_epi8(8));
    const __m256i y = _mm256_loadu_si256((const __m256i*)a[b].qs);
    const float d = _cvtsh_ss(read_u16(block)) * a[b].d;
    acc = _mm256_fmadd_ps(_mm256_set1_ps(d), dot_i8_lanes(q, y), acc);
  }
  return hsum8(acc);
}

__attribute__((target("avx2,fma,f16c"))) float dot_q8_0_avx2(const uint8_t* w, const BlockQ8* a, int64_t k) {
  __m256 acc = _mm256_setzero_ps();
  for (int64_t b = 0; b < k / 32; b++) {
    const uint8_t* block = w + b * 34;
    const __m256i q = _mm256_loadu_si256((const __m256i*)(block + 2));
    const __m256i y = _mm256_loadu_si256((const __m256i*)a[b].qs);
    const float d = _cvtsh_ss(read_u16(block)) * a[b].d;
    acc = _mm256_fmadd_ps(_mm256_set1_ps(d), dot_i8_lanes(q, y), acc);
  }
  return hsum8(acc);
}

}  // namespace quire

#else
namespace quire {
float dot_q4_0_avx2(const uint8_t*, const BlockQ8*, int64_t) { return 0; }
float dot_q8_0_avx2(const uint8_t*, const BlockQ8*, int64_t) { return 0; }
float dot_q5_0_avx2(const uint8_t*, const BlockQ8*, int64_t) { return 0; }
}  // namespace quire
#endif
