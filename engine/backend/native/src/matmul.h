#pragma once
#include <cstdint>
#include "thread-pool.h"

namespace quire {

enum : int { TYPE_Q4_0 = 2, TYPE_Q8_0 = 8 };

struct CpuFeatures {
  bool avx2;
  bool fma;
  bool f16c;
};

CpuFeatures cpu_features();
bool matmul_supported(int type);
// out[n, N] = x[n, K] · Wᵀ with x quantized to Q8_0 as ggml's AVX2 path does (see engine/backend/reference).
void matmul(ThreadPool& pool, int type, const uint8_t* w, int64_t k, int64_t rows, const float* x, int64_t n, float* out, bool allow_simd);

}  // namespace quire
