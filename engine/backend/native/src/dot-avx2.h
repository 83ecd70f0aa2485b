// AVX2 (+FMA, F16C) dot products for Q4_0, Q5_0 and Q8_0 rows with Q8_0 activations, in ggml's AVX2 lane order: eight
// f32 lanes, each the integer sum of four products per block, accumulated with FMA, summed pairwise at the end.
#pragma once
#include <cstdint>

#include "activation.h"

#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#endif

namespace quire {

float dot_q4_0_avx2(const uint8_t* w, const BlockQ8* a, int64_t k);
float dot_q8_0_avx2(const uint8_t* w, const BlockQ8* a, int64_t k);
float dot_q5_0_avx2(const uint8_t* w, const BlockQ8* a, int64_t k);
#if defined(__x86_64__) || defined(_M_X64)
// 0xFF in byte j where bit j of `bits` is set (Q5_0's fifth bits as a byte mask; also used by the VNNI tiles).
__attribute__((target("avx2"))) __m256i bytes_from_bits(uint32_t bits);
#endif

}  // namespace quire
