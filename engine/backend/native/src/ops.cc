#include "ops.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "cpu.h"
#include "half.h"

#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#define QUIRE_X86 1
#endif

namespace quire {

namespace {

// Small jobs run on the calling thread: waking the pool costs more than a decode step's row of 1,152 values.
constexpr int64_t kParallelMin = 1 << 15;

template <typename Body>
void parallel_rows(ThreadPool& pool, int64_t rows, int64_t work, const Body& body) {
  if (work < kParallelMin || rows < 2 || pool.size() == 1) {
    body(0, rows);
    return;
  }
  pool.run([&](int worker) {
    int64_t r0, r1;
    split_range(rows, pool.size(), worker, &r0, &r1);
    if (r0 < r1) body(r0, r1);
  });
}

float gelu_f32(float x) {
  const float sqrt_2_over_pi = 0.7978845608028654f, coef_a = 0.044715f;
  const float inner = (sqrt_2_over_pi * x) * (1.0f + (coef_a * x) * x);
  return (0.5f * x) * (1.0f + (float)std::tanh((double)inner));
}

// ggml's CPU GELU: the input rounded to f16 indexes a table of f16-rounded results; saturates outside ±10.
const std::vector<float>& gelu_table() {
  static const std::vector<float> table = [] {
    std::vector<float> t(65536);
    for (uint32_t h = 0; h < 65536; h++) t[h] = f16_to_f32(f32_to_f16(gelu_f32(f16_to_f32((uint16_t)h))));
    return t;
  }();
  return table;
}

// Σ x² in double. AVX2 keeps four double lanes (x² of an f32 is exact in double, so only the order of the
// additions differs from the scalar loop, far below the f32 rounding of the result).
double sum_squares_scalar(const float* x, int64_t count) {
  double sum = 0;
  for (int64_t i = 0; i < count; i++) sum += (double)x[i] * x[i];
  return sum;
}

#ifdef QUIRE_X86
__attribute__((target("avx2,fma"))) double sum_squares_avx2(const float* x, int64_t count) {
  __m256d a0 = _mm256_setzero_pd(), a1 = _mm256_setzero_pd();
  int64_t i = 0;
  for (; i + 8 <= count; i += 8) {
    const __m256d lo = _mm256_cvtps_pd(_mm_loadu_ps(x + i)), hi = _mm256_cvtps_pd(_mm_loadu_ps(x + i + 4));
    a0 = _mm256_fmadd_pd(lo, lo, a0);
    a1 = _mm256_fmadd_pd(hi, hi, a1);
  }
  alignas(32) double lanes[4];
  _mm256_store_pd(lanes, _mm256_add_pd(a0, a1));
  double sum = (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]);
  for (; i < count; i++) sum += (double)x[i] * x[i];
  return sum;
}
#endif

}  // namespace

void rms_norm(ThreadPool& pool, const float* x, int64_t rows, int64_t row_length, const float* w, float eps, float* out, bool allow_simd) {
  auto sum_squares = sum_squares_scalar;
#ifdef QUIRE_X86
  if (allow_simd && cpu_features().avx2) sum_squares = sum_squares_avx2;
#else
  (void)allow_simd;
#endif
  parallel_rows(pool, rows, rows * row_length, [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; r++) {
      const float* xr = x + r * row_length;
      float* yr = out + r * row_length;
      const float mean = (float)(sum_squares(xr, row_length) / (double)row_length);
      const float scale = 1.0f / std::sqrt(mean + eps);
      for (int64_t i = 0; i < row_length; i++) yr[i] = (xr[i] * scale) * w[i];
    }
  });
}

namespace {

// cos/sin of every (position, pair) for one (base, scale, head size): Q and K of a layer, and every layer with the
// same base, rotate by the same angles, so the table is computed once per batch instead of once per call.
struct RopeTable {
  float base = 0, freq_scale = 0;
  int64_t head_dim = 0;
  std::vector<int32_t> positions;
  std::vector<float> cos_, sin_;  // [n, head_dim / 2]

  bool matches(const int32_t* pos, int64_t n, float b, float s, int64_t hd) const {
    return b == base && s == freq_scale && hd == head_dim && (int64_t)positions.size() == n &&
           std::equal(positions.begin(), positions.end(), pos);
  }
};

const RopeTable& rope_table(ThreadPool& pool, const int32_t* positions, int64_t n, float base, float freq_scale, int64_t head_dim) {
  static RopeTable tables[2];  // local and global layers alternate; the addon is called from one JavaScript thread
  static int next = 0;
  for (const RopeTable& t : tables) if (t.matches(positions, n, base, freq_scale, head_dim)) return t;
  RopeTable& t = tables[next];
  next ^= 1;
  const int64_t half = head_dim / 2;
  t.base = base, t.freq_scale = freq_scale, t.head_dim = head_dim;
  t.positions.assign(positions, positions + n);
  t.cos_.resize((size_t)(n * half));
  t.sin_.resize((size_t)(n * half));
  const float theta_scale = (float)std::pow((double)base, -2.0 / (double)head_dim);
  parallel_rows(pool, n, n * half * 16, [&](int64_t t0, int64_t t1) {
    for (int64_t r = t0; r < t1; r++) {
      float theta = (float)positions[r];
      for (int64_t i = 0; i < half; i++) {
        const float angle = freq_scale * theta;
        t.cos_[(size_t)(r * half + i)] = (float)std::cos((double)angle);
        t.sin_[(size_t)(r * half + i)] = (float)std::sin((double)angle);
        theta = theta * theta_scale;
      }
    }
  });
  return t;
}

}  // namespace

void rope(ThreadPool& pool, float* x, int64_t n, int64_t heads, int64_t head_dim, const int32_t* positions, float base, float freq_scale) {
  const int64_t half = head_dim / 2;
  const RopeTable& table = rope_table(pool, positions, n, base, freq_scale, head_dim);
  parallel_rows(pool, n, n * heads * head_dim, [&](int64_t t0, int64_t t1) {
    for (int64_t t = t0; t < t1; t++) {
      const float* c = table.cos_.data() + t * half;
      const float* s = table.sin_.data() + t * half;
      for (int64_t h = 0; h < heads; h++) {
        float* v = x + (t * heads + h) * head_dim;
        for (int64_t i = 0; i < half; i++) {
          const float x0 = v[i], x1 = v[i + half];
          v[i] = x0 * c[i] - x1 * s[i];
          v[i + half] = x0 * s[i] + x1 * c[i];
        }
      }
    }
  });
}

#ifdef QUIRE_X86
// The table index needs the f16 rounding of every gate value: F16C does eight at a time.
__attribute__((target("avx2,fma,f16c"))) static void geglu_f16c(const float* table, const float* gate, const float* up, int64_t i0, int64_t i1, float* out) {
  alignas(16) uint16_t h[8];
  int64_t i = i0;
  for (; i + 8 <= i1; i += 8) {
    _mm_store_si128((__m128i*)h, _mm256_cvtps_ph(_mm256_loadu_ps(gate + i), _MM_FROUND_TO_NEAREST_INT));
    for (int j = 0; j < 8; j++) {
      const float g = gate[i + j];
      const float gelu = g <= -10.0f ? 0.0f : g >= 10.0f ? g : table[h[j]];
      out[i + j] = up ? gelu * up[i + j] : gelu;
    }
  }
  for (; i < i1; i++) {
    const float g = gate[i];
    const float gelu = g <= -10.0f ? 0.0f : g >= 10.0f ? g : table[_cvtss_sh(g, _MM_FROUND_TO_NEAREST_INT)];
    out[i] = up ? gelu * up[i] : gelu;
  }
}
#endif

void geglu(ThreadPool& pool, const float* gate, const float* up, int64_t count, float* out, bool allow_simd) {
  const float* table = gelu_table().data();
  const int64_t chunk = 4096;
  parallel_rows(pool, (count + chunk - 1) / chunk, count, [&](int64_t c0, int64_t c1) {
    const int64_t i0 = c0 * chunk, i1 = std::min(count, c1 * chunk);
#ifdef QUIRE_X86
    if (allow_simd && cpu_features().avx2) return geglu_f16c(table, gate, up, i0, i1, out);
#else
    (void)allow_simd;
#endif
    for (int64_t i = i0; i < i1; i++) {
      const float g = gate[i];
      const float gelu = g <= -10.0f ? 0.0f : g >= 10.0f ? g : table[f32_to_f16(g)];
      out[i] = up ? gelu * up[i] : gelu;
    }
  });
}

void layer_norm(ThreadPool& pool, const float* x, int64_t rows, int64_t row_length, const float* w, const float* b, float eps, float* out) {
  parallel_rows(pool, rows, rows * row_length, [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; r++) {
      const float* xr = x + r * row_length;
      float* yr = out + r * row_length;
      double sum = 0;
      for (int64_t i = 0; i < row_length; i++) sum += xr[i];
      const float mean = (float)(sum / (double)row_length);
      double variance = 0;
      for (int64_t i = 0; i < row_length; i++) {
        const float y = xr[i] - mean;
        variance += (double)y * y;
      }
      const float scale = 1.0f / std::sqrt((float)(variance / (double)row_length) + eps);
      for (int64_t i = 0; i < row_length; i++) yr[i] = ((xr[i] - mean) * scale) * w[i] + b[i];
    }
  });
}

void add_rows_in_place(ThreadPool& pool, float* x, int64_t count, const float* bias, int64_t bias_length) {
  parallel_rows(pool, count / bias_length, count, [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; r++)
      for (int64_t i = 0; i < bias_length; i++) x[r * bias_length + i] += bias[i];
  });
}

void add_in_place(ThreadPool& pool, float* a, const float* b, int64_t count) {
  const int64_t chunk = 4096;
  parallel_rows(pool, (count + chunk - 1) / chunk, count, [&](int64_t c0, int64_t c1) {
    for (int64_t i = c0 * chunk, end = std::min(count, c1 * chunk); i < end; i++) a[i] += b[i];
  });
}

void scale_in_place(ThreadPool& pool, float* a, float s, int64_t count) {
  const int64_t chunk = 4096;
  parallel_rows(pool, (count + chunk - 1) / chunk, count, [&](int64_t c0, int64_t c1) {
    for (int64_t i = c0 * chunk, end = std::min(count, c1 * chunk); i < end; i++) a[i] *= s;
  });
}

#ifdef QUIRE_X86
__attribute__((target("avx2,fma,f16c"))) static void f32_to_f16_f16c(const float* x, int64_t count, uint16_t* out) {
  int64_t i = 0;
  for (; i + 8 <= count; i += 8) {
    _mm_storeu_si128((__m128i*)(out + i), _mm256_cvtps_ph(_mm256_loadu_ps(x + i), _MM_FROUND_TO_NEAREST_INT));
  }
  for (; i < count; i++) out[i] = f32_to_f16(x[i]);
}
#endif

void f32_to_f16_row(const float* x, int64_t count, uint16_t* out) {
#ifdef QUIRE_X86
  if (cpu_features().avx2) return f32_to_f16_f16c(x, count, out);
#endif
  for (int64_t i = 0; i < count; i++) out[i] = f32_to_f16(x[i]);
}

}  // namespace quire
