// AVX2 dot products of F32, F16 and BF16 rows with an activation already rounded to the row's type (as ggml does
// before a float matmul): four independent 8-lane FMA accumulators, summed at the end. The scalar twin sums in
// double; the difference is within the f32 reordering bound the tests check.
#pragma once
#include <cstdint>

namespace quire {

float dot_float_avx2(int type, const uint8_t* w, const float* a, int64_t k);

}  // namespace quire
