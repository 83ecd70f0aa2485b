#include "attention.h"

#include <cmath>
#include <vector>

#include "cpu.h"
#include "half.h"
#include "hsum-avx2.h"

#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#define QUIRE_X86 1
#endif

namespace quire {

namespace {

#ifdef QUIRE_X86
// scores[h·count + j] for all keys, two keys at a time: each key row is converted from f16 once and used by the
// G heads of the group, and 2·G independent FMA chains keep the pipes busy. Per (head, key) the eight lanes and
// their final sum are in the same order as a plain loop, so the result does not depend on the pairing.
template <int G>
__attribute__((target("avx2,fma,f16c"))) void scores_avx2(const float* q, const uint16_t* const* keys, int64_t count, int64_t d, float* scores, int64_t stride, int64_t) {
  int64_t j = 0;
  for (; j < count; j += 2) {
    const bool two = j + 1 < count;
    const uint16_t* k0 = keys[j];
    const uint16_t* k1 = two ? keys[j + 1] : keys[j];
    __m256 acc0[G], acc1[G];
    for (int h = 0; h < G; h++) acc0[h] = acc1[h] = _mm256_setzero_ps();
    for (int64_t i = 0; i < d; i += 8) {
      const __m256 kv0 = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i*)(k0 + i)));
      const __m256 kv1 = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i*)(k1 + i)));
      for (int h = 0; h < G; h++) {
        const __m256 qv = _mm256_loadu_ps(q + h * d + i);
        acc0[h] = _mm256_fmadd_ps(qv, kv0, acc0[h]);
        acc1[h] = _mm256_fmadd_ps(qv, kv1, acc1[h]);
      }
    }
    for (int h = 0; h < G; h++) {
      scores[h * stride + j] = hsum8(acc0[h]);
      if (two) scores[h * stride + j + 1] = hsum8(acc1[h]);
    }
  }
}

// out_h[i] = Σ_j p[h·count + j] · v_j[i], sixteen dimensions at a time with the accumulators in registers; per
// output element the FMAs run over j in order, as the scalar twin's loop does.
template <int G>
__attribute__((target("avx2,fma,f16c"))) void weighted_sum_avx2(const float* p, const uint16_t* const* values, int64_t count, int64_t d,
                                                                int64_t i0, int64_t i1, float* out, int64_t) {
  int64_t i = i0;
  for (; i + 16 <= i1; i += 16) {
    __m256 acc0[G], acc1[G];
    for (int h = 0; h < G; h++) acc0[h] = acc1[h] = _mm256_setzero_ps();
    for (int64_t j = 0; j < count; j++) {
      const __m256 v0 = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i*)(values[j] + i)));
      const __m256 v1 = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i*)(values[j] + i + 8)));
      for (int h = 0; h < G; h++) {
        const __m256 pv = _mm256_set1_ps(p[h * count + j]);
        acc0[h] = _mm256_fmadd_ps(pv, v0, acc0[h]);
        acc1[h] = _mm256_fmadd_ps(pv, v1, acc1[h]);
      }
    }
    for (int h = 0; h < G; h++) {
      _mm256_storeu_ps(out + h * d + i, acc0[h]);
      _mm256_storeu_ps(out + h * d + i + 8, acc1[h]);
    }
  }
  if (i + 8 <= i1) {  // a last group of eight (head sizes like SigLIP's 72)
    __m256 acc[G];
    for (int h = 0; h < G; h++) acc[h] = _mm256_setzero_ps();
    for (int64_t j = 0; j < count; j++) {
      const __m256 v = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i*)(values[j] + i)));
      for (int h = 0; h < G; h++) acc[h] = _mm256_fmadd_ps(_mm256_set1_ps(p[h * count + j]), v, acc[h]);
    }
    for (int h = 0; h < G; h++) _mm256_storeu_ps(out + h * d + i, acc[h]);
  }
}

// e^x for x ≤ 0 (Cephes' expf: x = n·ln2 + r, a degree-6 polynomial in r, then 2ⁿ), within 2 ulp of expf.
// ggml's softmax also uses a SIMD exponential; the scalar twin uses the libm one as the reference does.
__attribute__((target("avx2,fma"))) inline __m256 exp_avx2(__m256 x) {
  x = _mm256_max_ps(x, _mm256_set1_ps(-87.33f));
  const __m256 n = _mm256_round_ps(_mm256_mul_ps(x, _mm256_set1_ps(1.44269504088896341f)), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  __m256 r = _mm256_fnmadd_ps(n, _mm256_set1_ps(0.693359375f), x);
  r = _mm256_fnmadd_ps(n, _mm256_set1_ps(-2.12194440e-4f), r);
  __m256 p = _mm256_set1_ps(1.9875691500e-4f);
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.3981999507e-3f));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(8.3334519073e-3f));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(4.1665795894e-2f));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.6666665459e-1f));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(5.0000001201e-1f));
  const __m256 y = _mm256_add_ps(_mm256_fmadd_ps(_mm256_mul_ps(p, r), r, r), _mm256_set1_ps(1.0f));
  const __m256i scale = _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127)), 23);
  return _mm256_mul_ps(y, _mm256_castsi256_ps(scale));
}

// Softmax of one row of scores in place, then each probability rounded to f16 (ggml casts kq to f16 before ·V).
__attribute__((target("avx2,fma,f16c"))) void softmax_f16_avx2(float* sc, int64_t count) {
  __m256 vmax = _mm256_set1_ps(-INFINITY);
  int64_t j = 0;
  for (; j + 8 <= count; j += 8) vmax = _mm256_max_ps(vmax, _mm256_loadu_ps(sc + j));
  alignas(32) float lanes[8];
  _mm256_store_ps(lanes, vmax);
  float max = lanes[0];
  for (int l = 1; l < 8; l++) max = std::max(max, lanes[l]);
  for (int64_t i = j; i < count; i++) max = std::max(max, sc[i]);
  const __m256 m = _mm256_set1_ps(max);
  __m256d sum4 = _mm256_setzero_pd();
  for (j = 0; j + 8 <= count; j += 8) {
    const __m256 e = exp_avx2(_mm256_sub_ps(_mm256_loadu_ps(sc + j), m));
    _mm256_storeu_ps(sc + j, e);
    sum4 = _mm256_add_pd(sum4, _mm256_add_pd(_mm256_cvtps_pd(_mm256_castps256_ps128(e)), _mm256_cvtps_pd(_mm256_extractf128_ps(e, 1))));
  }
  alignas(32) double sums[4];
  _mm256_store_pd(sums, sum4);
  double sum = (sums[0] + sums[1]) + (sums[2] + sums[3]);
  for (int64_t i = j; i < count; i++) {
    sc[i] = std::exp(sc[i] - max);
    sum += sc[i];
  }
  const __m256 inv = _mm256_set1_ps((float)(1.0 / sum));
  for (j = 0; j + 8 <= count; j += 8) {
    const __m128i h = _mm256_cvtps_ph(_mm256_mul_ps(_mm256_loadu_ps(sc + j), inv), _MM_FROUND_TO_NEAREST_INT);
    _mm256_storeu_ps(sc + j, _mm256_cvtph_ps(h));
  }
  for (int64_t i = j; i < count; i++) sc[i] = f16_to_f32(f32_to_f16(sc[i] * _mm256_cvtss_f32(inv)));
}
#endif

// scores[h·stride + j] for keys[0…count) and the `group` heads of q; out_h[i] for i in [i0, i1) from p[h·count + j].
using ScoresFn = void (*)(const float*, const uint16_t* const*, int64_t, int64_t, float*, int64_t, int64_t);
using WeightedSumFn = void (*)(const float*, const uint16_t* const*, int64_t, int64_t, int64_t, int64_t, float*, int64_t);

// Scalar twins: one head at a time, sums in double as the reference does.
void scores_scalar(const float* q, const uint16_t* const* keys, int64_t count, int64_t d, float* scores, int64_t stride, int64_t group) {
  for (int64_t h = 0; h < group; h++) {
    for (int64_t j = 0; j < count; j++) {
      double s = 0;
      for (int64_t i = 0; i < d; i++) s += (double)q[h * d + i] * f16_to_f32(keys[j][i]);
      scores[h * stride + j] = (float)s;
    }
  }
}

void weighted_sum_scalar(const float* p, const uint16_t* const* values, int64_t count, int64_t d, int64_t i0, int64_t i1, float* out, int64_t group) {
  for (int64_t h = 0; h < group; h++) {
    for (int64_t i = i0; i < i1; i++) {
      double acc = 0;
      for (int64_t j = 0; j < count; j++) acc += (double)p[h * count + j] * f16_to_f32(values[j][i]);
      out[h * d + i] = (float)acc;
    }
  }
}


bool visible(const KvLayer& kv, int64_t cell, int32_t pos, int32_t block, int64_t window) {
  const int32_t key_pos = kv.cell_pos[cell];
  if (key_pos < 0) return false;
  if (block > 0 && kv.cell_blocks[cell] == block) return true;
  if (key_pos > pos) return false;
  return window == 0 || pos - key_pos < window;
}


#ifdef QUIRE_X86
__attribute__((target("avx2,f16c"))) void round_to_f16_f16c(const float* x, int64_t count, float* out) {
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

struct Kernels {
  ScoresFn scores = scores_scalar;
  void (*softmax)(float*, int64_t) = softmax_f16_scalar;
  WeightedSumFn weighted_sum = weighted_sum_scalar;
};

Kernels choose_kernels(int64_t group, int64_t hd, bool allow_simd) {
  Kernels k;
#ifdef QUIRE_X86
  if (allow_simd && cpu_features().avx2 && hd % 8 == 0 && (group == 1 || group == 2 || group == 4 || group == 8)) {
    k.softmax = softmax_f16_avx2;
    k.scores = group == 1 ? scores_avx2<1> : group == 2 ? scores_avx2<2> : group == 4 ? scores_avx2<4> : scores_avx2<8>;
    k.weighted_sum = group == 1 ? weighted_sum_avx2<1> : group == 2 ? weighted_sum_avx2<2> : group == 4 ? weighted_sum_avx2<4> : weighted_sum_avx2<8>;
  }
#else
  (void)group, (void)hd, (void)allow_simd;
#endif
  return k;
}

// One query token × one KV head (and the `group` query heads that share it), on the calling thread or, for
// decode (fewer items than threads), with keys and then output dimensions split across the pool. The split does
// not change any sum's order, so both ways give the same bits.
struct Item {
  std::vector<const uint16_t*> keys, values;
  std::vector<float> qh, scores;
};

void attend(ThreadPool* pool, const Kernels& kern, const float* q, int64_t t, int64_t g, const int32_t* positions,
            const int32_t* blocks, const KvLayer& kv, const AttentionShape& s, float* out, Item& it) {
  const int64_t group = s.heads / s.kv_heads, hd = s.head_dim, kv_stride = s.kv_heads * hd;
  const int32_t pos = positions[t], block = blocks ? blocks[t] : 0;
  it.keys.clear();
  it.values.clear();
  for (int64_t c = 0; c < kv.cells; c++) {
    if (!visible(kv, c, pos, block, s.window)) continue;
    it.keys.push_back(kv.k + c * kv_stride + g * hd);
    it.values.push_back(kv.v + c * kv_stride + g * hd);
  }
  const int64_t count = (int64_t)it.keys.size();
  float* o = out + (t * s.heads + g * group) * hd;
  if (count == 0) {
    std::fill(o, o + group * hd, 0.0f);
    return;
  }
  it.qh.resize((size_t)(group * hd));
  it.scores.resize((size_t)(group * count));
  const float* qg = q + (t * s.heads + g * group) * hd;
  round_to_f16(qg, group * hd, it.qh.data());  // K·Q runs in f16 in ggml
  float* sc = it.scores.data();
  const uint16_t* const* keys = it.keys.data();
  const uint16_t* const* values = it.values.data();
  const bool split = pool && pool->size() > 1 && count >= 256;
  if (split) {
    pool->run([&](int worker) {
      int64_t j0, j1;
      split_range((count + 1) / 2, pool->size(), worker, &j0, &j1);  // pairs of keys, as the kernel takes them
      j0 *= 2, j1 = std::min(count, 2 * j1);
      if (j0 < j1) kern.scores(it.qh.data(), keys + j0, j1 - j0, hd, sc + j0, count, group);
    });
  } else {
    kern.scores(it.qh.data(), keys, count, hd, sc, count, group);
  }
  for (int64_t h = 0; h < group; h++) kern.softmax(sc + h * count, count);
  if (split) {
    pool->run([&](int worker) {
      int64_t c0, c1;
      const int64_t chunks = (hd + 7) / 8;
      split_range(chunks, pool->size(), worker, &c0, &c1);  // eight output dimensions at a time (the last may be fewer)
      if (c0 < c1) kern.weighted_sum(sc, values, count, hd, 8 * c0, c1 == chunks ? hd : 8 * c1, o, group);
    });
  } else {
    kern.weighted_sum(sc, values, count, hd, 0, hd, o, group);
  }
}

}  // namespace

void attention(ThreadPool& pool, const float* q, int64_t n, const int32_t* positions, const int32_t* blocks,
               const KvLayer& kv, const AttentionShape& s, float* out, bool allow_simd) {
  const Kernels kern = choose_kernels(s.heads / s.kv_heads, s.head_dim, allow_simd);
  const int64_t items = n * s.kv_heads;
  if (items < pool.size()) {  // decode: split each item's keys and dimensions across the threads instead
    Item it;
    for (int64_t item = 0; item < items; item++) attend(&pool, kern, q, item / s.kv_heads, item % s.kv_heads, positions, blocks, kv, s, out, it);
    return;
  }
  pool.run([&](int worker) {
    Item it;
    for (int64_t item = worker; item < items; item += pool.size()) {  // interleaved: causal rows grow, so this balances
      attend(nullptr, kern, q, item / s.kv_heads, item % s.kv_heads, positions, blocks, kv, s, out, it);
    }
  });
}

}  // namespace quire
