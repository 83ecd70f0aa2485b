#include "softmax-f16.h"

#include <algorithm>
#include <cmath>

#include "cpu.h"
#include "half.h"

namespace quire {

#ifdef QUIRE_X86
static __attribute__((target("avx2,f16c"))) void round_to_f16_f16c(const float* x, int64_t count, float* out) {
  int64_t i = 0;
  for (; i + 8 <= count; i += 8) _mm256_storeu_ps(out + i, _mm256_cvtph_ps(_mm256_cvtps_ph(_mm256_loadu_ps(x + i), _MM_FROUND_TO_NEAREST_INT)));
  for (; i < count; i++) out[i] = f16_to_f32(f32_to_f16(x[i]));
}
#endif

// out = x rounded to binary16 and back (round to nearest even; F16C where the CPU has it).
void round_to_f16(const float* x, int64_t count, float* out) {
#ifdef QUIRE_X86
  if (cpu_features().avx2) return round_to_f16_f16c(x, count, out);
#endif
  for (int64_t i = 0; i < count; i++) out[i] = f16_to_f32(f32_to_f16(x[i]));
}

void softmax_f16_scalar(float* sc, int64_t count) {
  float max = -INFINITY;
  for (int64_t j = 0; j < count; j++) max = std::max(max, sc[j]);
  double sum = 0;
  for (int64_t j = 0; j < count; j++) {
    sc[j] = (float)std::exp((double)(sc[j] - max));  // f32(Math.exp(…)) as the reference
    sum += sc[j];
  }
  const float inv = (float)(1.0 / sum);
  for (int64_t j = 0; j < count; j++) sc[j] = f16_to_f32(f32_to_f16(sc[j] * inv));
}

}  // namespace quire
