// Quantized matrix products out[n, rows] = x[n, k] · Wᵀ for every weight type in quant-types.h: the activation rows
// are converted once (Q8_0/Q8_1, Q8_K, or rounded floats), then each weight row is dotted with every token while it
// is in cache; prompt batches of Q4_0 go through the VNNI tiles. Rows are split across the thread pool.
#pragma once
#include <cstdint>

#include "thread-pool.h"

namespace quire {

bool matmul_supported(int type);
// allow_simd = false runs the scalar twins (tests compare both against the TypeScript reference).
void matmul(ThreadPool& pool, int type, const uint8_t* w, int64_t k, int64_t rows, const float* x, int64_t n, float* out, bool allow_simd);

// Whether a weight of this type and shape can be repacked for the row-interleaved kernels on this CPU.
bool repack_supported(int type, int64_t k, int64_t rows);
// The repacked copy (same size as w) of a weight for which repack_supported() is true.
void repack(int type, const uint8_t* w, int64_t k, int64_t rows, uint8_t* out);
// matmul() over a repacked weight.
void matmul_repacked(ThreadPool& pool, int type, const uint8_t* repacked, int64_t k, int64_t rows, const float* x, int64_t n, float* out);

}  // namespace quire
