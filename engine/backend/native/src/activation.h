// Activation rows converted to the weight's "vec_dot_type" before an integer dot product, as ggml-cpu does on x86
// (engine/backend/reference/activation-quant.ts is the twin): Q8_0 (with d·Σq for Q8_1) and Q8_K.
#pragma once
#include <cstdint>

namespace quire {

struct BlockQ8 {
  float d;       // amax/127 rounded to f16, as a float
  float s;       // d·Σq rounded to f16 (Q8_1's second scale; used by Q4_1 and Q5_1)
  int8_t qs[32];
};

struct BlockQ8K {
  float d;            // 1/iscale in f32
  int16_t bsums[16];  // Σq per 16 values
  int8_t qs[256];
};

// ggml's AVX2 quantize_row_q8_0/q8_1: d = amax/127 → f16; values × 127/amax rounded to nearest even.
void quantize_row_q8_0(const float* x, int64_t k, BlockQ8* out, bool allow_simd);
// quantize_row_q8_K_ref: per 256 values iscale = −127/max (max = the value of largest magnitude), d = 1/iscale.
void quantize_row_q8_k(const float* x, int64_t k, BlockQ8K* out);

}  // namespace quire
