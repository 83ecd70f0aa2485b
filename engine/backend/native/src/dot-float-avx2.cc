#include "dot-float-avx2.h"

#include <cstring>

#include "float-element.h"
#include "hsum-avx2.h"
#include "quant-types.h"

#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>

namespace quire {

namespace {

template <int Type>
__attribute__((target("avx2,fma,f16c"))) inline __m256 load8(const uint8_t* w, int64_t i) {
  if (Type == TYPE_F32) return _mm256_loadu_ps((const float*)(w + 4 * i));
  const __m128i h = _mm_loadu_si128((const __m128i*)(w + 2 * i));
  if (Type == TYPE_F16) return _mm256_cvtph_ps(h);
  return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_cvtepu16_epi32(h), 16));  // BF16: the top half of an f32
}

template <int Type>
__attribute__((target("avx2,fma,f16c"))) float dot(const uint8_t* w, const float* a, int64_t k) {
  __m256 acc[4] = {_mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps()};
  int64_t i = 0;
  for (; i + 32 <= k; i += 32) {
    for (int u = 0; u < 4; u++) acc[u] = _mm256_fmadd_ps(load8<Type>(w, i + 8 * u), _mm256_loadu_ps(a + i + 8 * u), acc[u]);
  }
  for (; i + 8 <= k; i += 8) acc[0] = _mm256_fmadd_ps(load8<Type>(w, i), _mm256_loadu_ps(a + i), acc[0]);
  float s = hsum8(_mm256_add_ps(_mm256_add_ps(acc[0], acc[1]), _mm256_add_ps(acc[2], acc[3])));
  for (; i < k; i++) s += float_element(Type, w, i) * a[i];
  return s;
}

}  // namespace

float dot_float_avx2(int type, const uint8_t* w, const float* a, int64_t k) {
  return type == TYPE_F32 ? dot<TYPE_F32>(w, a, k) : type == TYPE_F16 ? dot<TYPE_F16>(w, a, k) : dot<TYPE_BF16>(w, a, k);
}

}  // namespace quire

#else
namespace quire {
float dot_float_avx2(int, const uint8_t*, const float*, int64_t) { return 0; }
}  // namespace quire
#endif
