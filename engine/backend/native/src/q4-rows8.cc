#include "q4-rows8.h"

#include <algorithm>
#include <cstring>
#include <vector>

#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#define QUIRE_X86 1
#define AVX2_TARGET __attribute__((target("avx2,fma,f16c")))
#endif

namespace quire {

namespace {
constexpr int64_t kGroupBytes = 144;  // 8 rows × one 18-byte Q4_0 block
constexpr int kTokens = 4;            // tokens per tile: four accumulators + eight unpacked weight registers fit AVX2's sixteen
constexpr int64_t kChunkBytes = 256 << 10;  // activations kept in L2 while the weights stream past
}  // namespace

void repack_q4_0_rows8(const uint8_t* w, int64_t k, int64_t rows, uint8_t* out) {
  const int64_t blocks = k / 32, row_bytes = blocks * 18;
  for (int64_t g = 0; g < rows / 8; g++) {
    for (int64_t b = 0; b < blocks; b++) {
      uint8_t* dst = out + (g * blocks + b) * kGroupBytes;
      for (int i = 0; i < 8; i++) {
        const uint8_t* src = w + (8 * g + i) * row_bytes + b * 18;
        std::memcpy(dst + 2 * i, src, 2);
        for (int j = 0; j < 4; j++) std::memcpy(dst + 16 + 32 * j + 4 * i, src + 2 + 4 * j, 4);
      }
    }
  }
}

#ifdef QUIRE_X86
namespace {

template <int T>
AVX2_TARGET void tile(const uint8_t* group, int64_t blocks, const BlockQ8* a, int64_t a_stride, const int32_t* corr, float* out, int64_t rows) {
  __m256 acc[T];
  for (int t = 0; t < T; t++) acc[t] = _mm256_setzero_ps();
  const __m256i low = _mm256_set1_epi8(0x0f);
  for (int64_t b = 0; b < blocks; b++) {
    const uint8_t* blk = group + b * kGroupBytes;
    const __m256 dw = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i*)blk));
    __m256i lo[4], hi[4];
    for (int j = 0; j < 4; j++) {
      const __m256i v = _mm256_loadu_si256((const __m256i*)(blk + 16 + 32 * j));
      lo[j] = _mm256_and_si256(v, low);
      hi[j] = _mm256_and_si256(_mm256_srli_epi16(v, 4), low);
    }
    for (int t = 0; t < T; t++) {
      const BlockQ8& ab = a[t * a_stride + b];
      int32_t q4[8];
      std::memcpy(q4, ab.qs, 32);
      // vpmaddubsw pairs, summed in 16 bits (8 runs × 2 × 15 × 127 < 2¹⁵, no overflow), then one vpmaddwd to 32
      // bits: on current AMD cores this issues twice as fast as vpdpbusd. Then the Q4_0 offset, −8·Σa, the same
      // for every row of the block.
      __m256i sum16 = _mm256_setzero_si256();
      for (int j = 0; j < 4; j++) {
        sum16 = _mm256_add_epi16(sum16, _mm256_maddubs_epi16(lo[j], _mm256_set1_epi32(q4[j])));      // elements 4j…4j+3
        sum16 = _mm256_add_epi16(sum16, _mm256_maddubs_epi16(hi[j], _mm256_set1_epi32(q4[4 + j])));  // 16+4j…16+4j+3
      }
      const __m256i isum = _mm256_add_epi32(_mm256_madd_epi16(sum16, _mm256_set1_epi16(1)), _mm256_set1_epi32(corr[t * a_stride + b]));
      acc[t] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(isum), _mm256_mul_ps(dw, _mm256_set1_ps(ab.d)), acc[t]);
    }
  }
  for (int t = 0; t < T; t++) _mm256_storeu_ps(out + t * rows, acc[t]);
}

using TileFn = void (*)(const uint8_t*, int64_t, const BlockQ8*, int64_t, const int32_t*, float*, int64_t);

TileFn tile_fn(int t) {
  switch (t) {
    case 1: return tile<1>;
    case 2: return tile<2>;
    case 3: return tile<3>;
    case 4: return tile<4>;
    case 5: return tile<5>;
    case 6: return tile<6>;
    case 7: return tile<7>;
    default: return tile<8>;
  }
}

std::vector<int32_t>& corr_buffer() {
  static std::vector<int32_t> buffer;  // the addon is called from one JavaScript thread
  return buffer;
}

}  // namespace

void matmul_q4_0_rows8(ThreadPool& pool, const uint8_t* repacked, int64_t k, int64_t rows, const BlockQ8* a, int64_t n, float* out) {
  const int64_t blocks = k / 32, groups = rows / 8;
  std::vector<int32_t>& corr = corr_buffer();
  if ((int64_t)corr.size() < n * blocks) corr.resize((size_t)(n * blocks));
  for (int64_t i = 0; i < n * blocks; i++) {
    int s = 0;
    for (int j = 0; j < 32; j++) s += a[i].qs[j];
    corr[(size_t)i] = -8 * s;
  }
  const int64_t chunk = std::max<int64_t>(kTokens, kChunkBytes / (blocks * (int64_t)sizeof(BlockQ8)) / kTokens * kTokens);
  pool.run([&](int worker) {
    int64_t g0, g1;
    split_range(groups, pool.size(), worker, &g0, &g1);
    for (int64_t c0 = 0; c0 < n; c0 += chunk) {
      const int64_t c1 = std::min(n, c0 + chunk);
      for (int64_t g = g0; g < g1; g++) {
        const uint8_t* group = repacked + g * blocks * kGroupBytes;
        for (int64_t t = c0; t < c1; t += kTokens) {
          const int count = (int)std::min<int64_t>(kTokens, c1 - t);
          tile_fn(count)(group, blocks, a + t * blocks, blocks, corr.data() + t * blocks, out + t * rows + 8 * g, rows);
        }
      }
    }
  });
}

#else
void matmul_q4_0_rows8(ThreadPool&, const uint8_t*, int64_t, int64_t, const BlockQ8*, int64_t, float*) {}
#endif

}  // namespace quire
