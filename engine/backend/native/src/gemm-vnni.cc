#include "gemm-vnni.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "quant-types.h"
#include "hsum-avx2.h"

#if defined(__x86_64__) || defined(_M_X64)
// GCC 12's own AVX-512 headers trip -Wmaybe-uninitialized (GCC bug 105593); the warning is about the header.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>

#define VNNI_TARGET __attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni,avx2,fma,f16c")))

namespace quire {

namespace {

// One block of two tokens: their quantized values side by side and their scales. Kept small on purpose: the
// kernel is limited by how fast activations stream from L2, not by arithmetic.
struct PairBlock {
  int8_t qs[64];
  float d[2];
};

constexpr int kRows = 4;         // weight rows per tile
constexpr int kPairs = 3;        // token pairs per tile
constexpr int64_t kChunkBytes = 768 << 10;  // activations kept hot in L2 (≥ 512 KiB on current x86) while weights stream past

void pack_pairs(const BlockQ8* a, int64_t n, int64_t blocks, int64_t p0, int64_t p1, PairBlock* out) {
  for (int64_t p = p0; p < p1; p++) {
    for (int64_t b = 0; b < blocks; b++) {
      PairBlock& pb = out[p * blocks + b];
      for (int half = 0; half < 2; half++) {
        const int64_t t = 2 * p + half;
        if (t >= n) {
          std::memset(pb.qs + 32 * half, 0, 32);
          pb.d[half] = 0.0f;
          continue;
        }
        const BlockQ8& src = a[t * blocks + b];
        std::memcpy(pb.qs + 32 * half, src.qs, 32);
        pb.d[half] = src.d;
      }
    }
  }
}

// Both tokens' scales as the bits of one double, to broadcast them with a single move.
inline double pair_scales(const PairBlock* pb) {
  double both;
  std::memcpy(&both, pb->d, sizeof both);
  return both;
}

// A block's unsigned levels in element order, in both 256-bit halves (one per token of a pair); the offset (8 for
// Q4_0, 16 for Q5_0, 128 for Q8_0) is taken out later. For the 4-bit types the 16 packed bytes are broadcast to
// all four 128-bit lanes and only lanes 1 and 3 are shifted to their high nibbles: three instructions instead of an
// unpack and a broadcast. Q8_0's signed bytes become unsigned by flipping the sign bit (q + 128).
template <int Type>
VNNI_TARGET inline __m512i levels(const uint8_t* blk) {
  if (Type == TYPE_Q8_0) {
    const __m512i q = _mm512_broadcast_i64x4(_mm256_loadu_si256((const __m256i*)(blk + 2)));
    return _mm512_xor_si512(q, _mm512_set1_epi8((char)0x80));
  }
  const __m512i packed = _mm512_broadcast_i32x4(_mm_loadu_si128((const __m128i*)(blk + (Type == TYPE_Q4_0 ? 2 : 6))));
  const __m512i nibbles = _mm512_and_si512(_mm512_mask_srli_epi16(packed, 0xFF00FF00u, packed, 4), _mm512_set1_epi8(0x0f));
  if (Type == TYPE_Q4_0) return nibbles;
  const uint64_t high = read_u32(blk + 2);  // Q5_0's fifth bits, one per element, for both halves
  return _mm512_mask_add_epi8(nibbles, high | (high << 32), nibbles, _mm512_set1_epi8(0x10));
}

template <int Type, int R, int P>
VNNI_TARGET void tile(const uint8_t* w, int64_t row_bytes, int64_t blocks, const PairBlock* pairs, int64_t p0,
                      int64_t r0, int64_t rows, int64_t n, float* out) {
  __m512 acc[R][P];
  for (int r = 0; r < R; r++)
    for (int p = 0; p < P; p++) acc[r][p] = _mm512_setzero_ps();
  constexpr int block_bytes = Type == TYPE_Q4_0 ? 18 : Type == TYPE_Q5_0 ? 22 : 34;
  const __m512i offset = _mm512_set1_epi8((char)(Type == TYPE_Q4_0 ? 8 : Type == TYPE_Q5_0 ? 16 : 128));
  const __m512i halves = _mm512_set_epi32(1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0);  // d0 in lanes 0–7, d1 in 8–15
  for (int64_t b = 0; b < blocks; b++) {
    __m512i wv[R];
    __m512 dw[R];
    for (int r = 0; r < R; r++) {
      const uint8_t* blk = w + (r0 + r) * row_bytes + b * block_bytes;
      wv[r] = levels<Type>(blk);
      dw[r] = _mm512_set1_ps(_cvtsh_ss(read_u16(blk)));
    }
    for (int p = 0; p < P; p++) {
      const PairBlock* pb = pairs + (p0 + p) * blocks + b;
      const __m512i av = _mm512_loadu_si512(pb->qs);
      // −offset × the sum of each group of four activations: the levels' offset, taken out in the integer domain.
      const __m512i cv = _mm512_sub_epi32(_mm512_setzero_si512(), _mm512_dpbusd_epi32(_mm512_setzero_si512(), offset, av));
      const __m512 sv = _mm512_permutexvar_ps(halves, _mm512_castpd_ps(_mm512_set1_pd(pair_scales(pb))));
      for (int r = 0; r < R; r++) {
        const __m512i dot = _mm512_dpbusd_epi32(cv, wv[r], av);
        acc[r][p] = _mm512_fmadd_ps(_mm512_mul_ps(dw[r], sv), _mm512_cvtepi32_ps(dot), acc[r][p]);
      }
    }
  }
  for (int p = 0; p < P; p++) {
    const int64_t t = 2 * (p0 + p);
    for (int r = 0; r < R; r++) {
      out[t * rows + r0 + r] = hsum8(_mm512_castps512_ps256(acc[r][p]));
      if (t + 1 < n) out[(t + 1) * rows + r0 + r] = hsum8(_mm512_castps512_ps256(_mm512_shuffle_f32x4(acc[r][p], acc[r][p], 0xEE)));
    }
  }
}

using TileFn = void (*)(const uint8_t*, int64_t, int64_t, const PairBlock*, int64_t, int64_t, int64_t, int64_t, float*);

template <int Type, int R>
constexpr TileFn tile_for(int p) {
  return p == 1 ? tile<Type, R, 1> : p == 2 ? tile<Type, R, 2> : p == 3 ? tile<Type, R, 3> : tile<Type, R, 4>;
}

template <int Type>
TileFn tile_fn(int r, int p) {
  static_assert(kRows <= 6, "tile_fn instantiates up to six rows");
  switch (r) {
    case 1: return tile_for<Type, 1>(p);
    case 2: return tile_for<Type, 2>(p);
    case 3: return tile_for<Type, 3>(p);
    case 4: return tile_for<Type, 4>(p);
    case 5: return tile_for<Type, 5>(p);
    default: return tile_for<Type, 6>(p);
  }
}

std::vector<PairBlock>& scratch() {
  static std::vector<PairBlock> buffer;  // the addon is called from one JavaScript thread
  return buffer;
}

}  // namespace

void gemm_legacy_vnni(ThreadPool& pool, int type, const uint8_t* w, int64_t k, int64_t rows, const BlockQ8* a, int64_t n, float* out) {
  const int64_t blocks = k / 32, pairs = (n + 1) / 2, row_bytes = blocks * type_info(type).bytes;
  TileFn (*tile_of)(int, int) = type == TYPE_Q4_0 ? tile_fn<TYPE_Q4_0> : type == TYPE_Q5_0 ? tile_fn<TYPE_Q5_0> : tile_fn<TYPE_Q8_0>;
  std::vector<PairBlock>& packed = scratch();
  if ((int64_t)packed.size() < pairs * blocks) packed.resize((size_t)(pairs * blocks));
  PairBlock* pb = packed.data();
  const int64_t tiles = (rows + kRows - 1) / kRows;
  const int64_t chunk = std::max<int64_t>(kPairs, kChunkBytes / (blocks * (int64_t)sizeof(PairBlock)) / kPairs * kPairs);
  pool.run([&](int worker) {
    int64_t q0, q1;
    split_range(pairs, pool.size(), worker, &q0, &q1);
    pack_pairs(a, n, blocks, q0, q1, pb);
  });
  pool.run([&](int worker) {
    int64_t t0, t1;
    split_range(tiles, pool.size(), worker, &t0, &t1);
    for (int64_t c0 = 0; c0 < pairs; c0 += chunk) {
      const int64_t c1 = std::min(pairs, c0 + chunk);
      for (int64_t tile_index = t0; tile_index < t1; tile_index++) {
        const int64_t r0 = tile_index * kRows;
        const int r = (int)std::min<int64_t>(kRows, rows - r0);
        for (int64_t p = c0; p < c1; p += kPairs) {
          const int count = (int)std::min<int64_t>(kPairs, c1 - p);
          tile_of(r, count)(w, row_bytes, blocks, pb, p, r0, rows, n, out);
        }
      }
    }
  });
}

}  // namespace quire

#else
namespace quire {
void gemm_legacy_vnni(ThreadPool&, int, const uint8_t*, int64_t, int64_t, const BlockQ8*, int64_t, float*) {}
}  // namespace quire
#endif
