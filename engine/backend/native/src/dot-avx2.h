// AVX2 (+FMA, F16C) dot products for Q4_0, Q5_0 and Q8_0 rows with Q8_0 activations, in ggml's AVX2 lane order: eight
// f32 lanes, each the integer sum of four products per block, accumulated with FMA, summed pairwise at the end.
#pragma once
#include <cstdint>

#include "activation.h"

namespace quire {

float dot_q4_0_avx2(const uint8_t* w, const BlockQ8* a, int64_t k);
float dot_q8_0_avx2(const uint8_t* w, const BlockQ8* a, int64_t k);
float dot_q5_0_avx2(const uint8_t* w, const BlockQ8* a, int64_t k);

}  // namespace quire
