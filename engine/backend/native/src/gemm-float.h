// Prompt-batch matmul for F32, F16 and BF16 weights: out[t·rows + r] = dot(row r, a_t), with a already rounded to
// the weight type as ggml does. Register tiles of R rows × T tokens (each weight load feeds T FMAs, each activation
// load R), tokens in blocks that stay in L2, rows split across the pool. Same sums as the row dot up to f32
// reordering; one version per instruction set (float-kernels-avx2.cc, float-kernels-avx512.cc).
#pragma once
#include <cstdint>

#include "thread-pool.h"

namespace quire {

#if defined(__x86_64__) || defined(_M_X64)
void gemm_float_avx2(ThreadPool& pool, int type, const uint8_t* w, int64_t k, int64_t rows, const float* a, int64_t n, float* out);
void gemm_float_avx512(ThreadPool& pool, int type, const uint8_t* w, int64_t k, int64_t rows, const float* a, int64_t n, float* out);
#endif

}  // namespace quire
