#include "attention.h"

#include <cmath>
#include <vector>

#include "attention-dense.h"
#include "cpu.h"
#include "half.h"
#include "hsum-avx2.h"
#include "softmax-f16.h"


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
  if (attention_is_dense(n, blocks, kv, s) && attention_dense(pool, q, n, kv, s, out, allow_simd)) return;
  if (attention_causal(pool, q, n, positions, blocks, kv, s, out, allow_simd)) return;
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
