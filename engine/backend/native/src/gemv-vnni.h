// Matrix × one token (decode) for Q4_0, Q5_0 and Q8_0 with AVX-512 VL + VNNI on 256-bit registers. Per block the
// lanes are exactly those of the AVX2 kernels (lane l = Σ of elements 4l…4l+3) and are accumulated with the same
// FMA, so the results are bit-identical to dot-avx2.cc and the VNNI prompt tiles — with about half the
// instructions: one vpdpbusd replaces the sign/maddubs/madd sequence, and the Q4_0/Q5_0 offset is taken out in
// the accumulator's starting value. Decode is compute-bound on these instructions, not on memory.
#pragma once
#include <cstdint>

#include "activation.h"
#include "thread-pool.h"

namespace quire {

// out[rows] for one activation row a (k/32 blocks). Needs cpu_features().avx512vnni.
void gemv_legacy_vnni(ThreadPool& pool, int type, const uint8_t* w, int64_t k, int64_t rows, const BlockQ8* a, float* out);

}  // namespace quire
