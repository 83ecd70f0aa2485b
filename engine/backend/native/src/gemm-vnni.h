// Q4_0, Q5_0 and Q8_0 × Q8_0 matrix products for prompt batches with AVX-512 VNNI. Two tokens share a 512-bit register (one
// block each), a weight block is unpacked once per tile and used for every token pair, and the vpdpbusd
// accumulator starts at −8·(lane sums of the activation) (−16 for Q5_0, −128 for Q8_0) so the unsigned levels give
// the signed dot. Each
// token's eight f32 lanes are accumulated exactly as ggml's AVX2 kernel does (dot-avx2.cc), so the results are
// bit-identical to it.
#pragma once
#include <cstdint>

#include "activation.h"
#include "thread-pool.h"

namespace quire {

// out[n, rows] for Q4_0, Q5_0 or Q8_0 weights w (rows × k) and activations a (n rows of k/32 blocks). Needs
// cpu_features().avx512vnni.
void gemm_legacy_vnni(ThreadPool& pool, int type, const uint8_t* w, int64_t k, int64_t rows, const BlockQ8* a, int64_t n, float* out);

}  // namespace quire
