#include "gemv-vnni.h"

#include <cstring>
#include <vector>

#include "quant-types.h"
#include "hsum-avx2.h"

#if defined(__x86_64__) || defined(_M_X64)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"  // GCC 12's AVX-512 headers (GCC bug 105593)
#include <immintrin.h>

#define VNNI_TARGET __attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni,avx2,fma,f16c")))

namespace quire {

namespace {

// One activation block as the kernels read it: values, the vpdpbusd starting value, the scale.
struct alignas(32) ActBlock {
  int8_t qs[32];
  int32_t corr[8];  // −offset × Σ of each group of four values (0 for Q8_0)
  float d;
};

std::vector<ActBlock>& scratch() {
  static std::vector<ActBlock> buffer;  // the addon is called from one JavaScript thread
  return buffer;
}

// Unsigned levels of a Q4_0/Q5_0 block in element order: the 16 packed bytes in both 128-bit lanes, the upper
// lane shifted to the high nibbles.
template <int Type>
VNNI_TARGET inline __m256i levels(const uint8_t* blk) {
  const __m256i packed = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i*)(blk + (Type == TYPE_Q4_0 ? 2 : 6))));
  const __m256i nibbles = _mm256_and_si256(_mm256_mask_srli_epi16(packed, 0xFF00, packed, 4), _mm256_set1_epi8(0x0f));
  if (Type == TYPE_Q4_0) return nibbles;
  return _mm256_mask_add_epi8(nibbles, read_u32(blk + 2), nibbles, _mm256_set1_epi8(0x10));
}

// One row at a time: interleaving two rows' streams measured slower once the matrix no longer fits in cache.
template <int Type>
VNNI_TARGET void rows_dot(const uint8_t* w, int64_t row_bytes, int64_t blocks, const ActBlock* a, int64_t r0, int64_t r1, float* out) {
  constexpr int block_bytes = Type == TYPE_Q4_0 ? 18 : Type == TYPE_Q5_0 ? 22 : 34;
  for (int64_t r = r0; r < r1; r++) {
    const uint8_t* wr = w + r * row_bytes;
    __m256 acc = _mm256_setzero_ps();
    for (int64_t b = 0; b < blocks; b++) {
      const ActBlock& ab = a[b];
      const __m256i av = _mm256_load_si256((const __m256i*)ab.qs);
      const uint8_t* blk = wr + b * block_bytes;
      __m256i dot;
      if (Type == TYPE_Q8_0) {  // signed × signed: |w| × (a with w's sign), as the AVX2 kernel
        const __m256i q = _mm256_loadu_si256((const __m256i*)(blk + 2));
        dot = _mm256_dpbusd_epi32(_mm256_setzero_si256(), _mm256_sign_epi8(q, q), _mm256_sign_epi8(av, q));
      } else {
        dot = _mm256_dpbusd_epi32(_mm256_load_si256((const __m256i*)ab.corr), levels<Type>(blk), av);
      }
      acc = _mm256_fmadd_ps(_mm256_set1_ps(_cvtsh_ss(read_u16(blk)) * ab.d), _mm256_cvtepi32_ps(dot), acc);
    }
    out[r] = hsum8(acc);
  }
}

}  // namespace

void gemv_legacy_vnni(ThreadPool& pool, int type, const uint8_t* w, int64_t k, int64_t rows, const BlockQ8* a, float* out) {
  const int64_t blocks = k / 32, row_bytes = blocks * type_info(type).bytes;
  const int offset = type == TYPE_Q4_0 ? 8 : type == TYPE_Q5_0 ? 16 : 0;
  std::vector<ActBlock>& buffer = scratch();
  if ((int64_t)buffer.size() < blocks) buffer.resize((size_t)blocks);
  ActBlock* act = buffer.data();
  for (int64_t b = 0; b < blocks; b++) {
    std::memcpy(act[b].qs, a[b].qs, 32);
    for (int l = 0; l < 8; l++) act[b].corr[l] = -offset * (a[b].qs[4 * l] + a[b].qs[4 * l + 1] + a[b].qs[4 * l + 2] + a[b].qs[4 * l + 3]);
    act[b].d = a[b].d;
  }
  auto kernel = type == TYPE_Q4_0 ? rows_dot<TYPE_Q4_0> : type == TYPE_Q5_0 ? rows_dot<TYPE_Q5_0> : rows_dot<TYPE_Q8_0>;
  pool.run([&](int worker) {
    int64_t r0, r1;
    split_range(rows, pool.size(), worker, &r0, &r1);
    kernel(w, row_bytes, blocks, act, r0, r1, out);
  });
}

}  // namespace quire

#else
namespace quire {
void gemv_legacy_vnni(ThreadPool&, int, const uint8_t*, int64_t, int64_t, const BlockQ8*, float*) {}
}  // namespace quire
#endif
