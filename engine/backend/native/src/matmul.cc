// Quantized matrix products: activations → Q8_0 once per call, then integer block dot products per weight row,
// rows split across the thread pool. Each SIMD kernel has a scalar twin that follows the TypeScript reference.
#include "matmul.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "half.h"

#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#define QUIRE_X86 1
#endif

namespace quire {

namespace {

struct BlockQ8 {
  float d;        // the f16-rounded scale, as a float
  int8_t qs[32];
};

// ggml's AVX2 quantize_row_q8_0: d = amax/127 stored as f16; values × 127/amax rounded to nearest even.
void quantize_row_q8_0(const float* x, int64_t k, BlockQ8* out) {
  for (int64_t b = 0; b < k / 32; b++) {
    float amax = 0;
    for (int j = 0; j < 32; j++) amax = std::max(amax, std::fabs(x[b * 32 + j]));
    const float d = amax / 127.0f;
    out[b].d = f16_to_f32(f32_to_f16(d));
    const float id = amax != 0.0f ? 127.0f / amax : 0.0f;
    for (int j = 0; j < 32; j++) out[b].qs[j] = (int8_t)std::nearbyint(x[b * 32 + j] * id);
  }
}

inline uint16_t read_u16(const uint8_t* p) { return (uint16_t)(p[0] | (p[1] << 8)); }

// Scalar twins of the reference backend (engine/backend/reference/matmul.ts).
float dot_q4_0_scalar(const uint8_t* w, const BlockQ8* a, int64_t blocks) {
  double sum = 0;
  for (int64_t b = 0; b < blocks; b++) {
    const uint8_t* block = w + b * 18;
    const float dw = f16_to_f32(read_u16(block));
    int sumi = 0;
    for (int j = 0; j < 16; j++) {
      sumi += ((block[2 + j] & 0xf) - 8) * a[b].qs[j];
      sumi += ((block[2 + j] >> 4) - 8) * a[b].qs[j + 16];
    }
    sum += (float)((float)(sumi * dw) * a[b].d);
  }
  return (float)sum;
}

float dot_q8_0_scalar(const uint8_t* w, const BlockQ8* a, int64_t blocks) {
  float lanes[8] = {0};
  for (int64_t b = 0; b < blocks; b++) {
    const uint8_t* block = w + b * 34;
    const float d = f16_to_f32(read_u16(block)) * a[b].d;
    const int8_t* q = (const int8_t*)(block + 2);
    for (int l = 0; l < 8; l++) {
      int s = 0;
      for (int j = 4 * l; j < 4 * l + 4; j++) s += q[j] * a[b].qs[j];
      lanes[l] = (float)((double)lanes[l] + (double)d * s);
    }
  }
  return ((lanes[4] + lanes[0]) + (lanes[6] + lanes[2])) + ((lanes[5] + lanes[1]) + (lanes[7] + lanes[3]));
}

#ifdef QUIRE_X86
__attribute__((target("avx2,fma"))) inline float hsum8(__m256 v) {
  __m128 r = _mm_add_ps(_mm256_extractf128_ps(v, 1), _mm256_castps256_ps128(v));
  r = _mm_add_ps(r, _mm_movehl_ps(r, r));
  r = _mm_add_ss(r, _mm_movehdup_ps(r));
  return _mm_cvtss_f32(r);
}

// Signed 8-bit dot products in 8 lanes of 4 consecutive bytes: |w| × (a with w's sign), pairwise to i32.
__attribute__((target("avx2,fma"))) inline __m256 dot_i8_lanes(__m256i w, __m256i a) {
  const __m256i ax = _mm256_sign_epi8(w, w);
  const __m256i sy = _mm256_sign_epi8(a, w);
  const __m256i dot16 = _mm256_maddubs_epi16(ax, sy);
  return _mm256_cvtepi32_ps(_mm256_madd_epi16(dot16, _mm256_set1_epi16(1)));
}

__attribute__((target("avx2,fma,f16c"))) float dot_q4_0_avx2(const uint8_t* w, const BlockQ8* a, int64_t blocks) {
  __m256 acc = _mm256_setzero_ps();
  const __m128i low = _mm_set1_epi8(0x0f);
  for (int64_t b = 0; b < blocks; b++) {
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

__attribute__((target("avx2,fma,f16c"))) float dot_q8_0_avx2(const uint8_t* w, const BlockQ8* a, int64_t blocks) {
  __m256 acc = _mm256_setzero_ps();
  for (int64_t b = 0; b < blocks; b++) {
    const uint8_t* block = w + b * 34;
    const __m256i q = _mm256_loadu_si256((const __m256i*)(block + 2));
    const __m256i y = _mm256_loadu_si256((const __m256i*)a[b].qs);
    const float d = _cvtsh_ss(read_u16(block)) * a[b].d;
    acc = _mm256_fmadd_ps(_mm256_set1_ps(d), dot_i8_lanes(q, y), acc);
  }
  return hsum8(acc);
}
#endif

using DotFn = float (*)(const uint8_t*, const BlockQ8*, int64_t);

}  // namespace

CpuFeatures cpu_features() {
#ifdef QUIRE_X86
  __builtin_cpu_init();
  return {__builtin_cpu_supports("avx2") != 0, __builtin_cpu_supports("fma") != 0, __builtin_cpu_supports("f16c") != 0};
#else
  return {false, false, false};
#endif
}

bool matmul_supported(int type) { return type == TYPE_Q4_0 || type == TYPE_Q8_0; }

void matmul(ThreadPool& pool, int type, const uint8_t* w, int64_t k, int64_t rows, const float* x, int64_t n, float* out, bool allow_simd) {
  const int64_t blocks = k / 32;
  const int64_t row_bytes = blocks * (type == TYPE_Q4_0 ? 18 : 34);
  std::vector<BlockQ8> xq((size_t)(n * blocks));
  for (int64_t t = 0; t < n; t++) quantize_row_q8_0(x + t * k, k, xq.data() + t * blocks);

  static const CpuFeatures features = cpu_features();
  DotFn dot = type == TYPE_Q4_0 ? dot_q4_0_scalar : dot_q8_0_scalar;
#ifdef QUIRE_X86
  if (allow_simd && features.avx2 && features.fma && features.f16c) dot = type == TYPE_Q4_0 ? dot_q4_0_avx2 : dot_q8_0_avx2;
#else
  (void)allow_simd;
#endif
  const int threads = pool.size();
  pool.run([&](int worker) {
    const int64_t per = (rows + threads - 1) / threads;
    const int64_t r0 = worker * per;
    const int64_t r1 = std::min(rows, r0 + per);
    // Each weight row is read once and used for every token while it is in cache.
    for (int64_t r = r0; r < r1; r++) {
      const uint8_t* wr = w + r * row_bytes;
      for (int64_t t = 0; t < n; t++) out[t * rows + r] = dot(wr, xq.data() + t * blocks, blocks);
    }
  });
}

}  // namespace quire
