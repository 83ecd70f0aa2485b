// The softmax attention uses (ggml's non-flash path): max-subtracted exponentials, a double sum, then each
// probability rounded to f16 because ggml casts kq to f16 before multiplying V. And the f16 rounding ggml applies to
// queries and to the activations of an F16 matmul.
#pragma once
#include <cstdint>

#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#define QUIRE_X86 1
#endif

namespace quire {

// One row of scores in place. The SIMD versions (softmax-tiles.h, built in float-kernels-*.cc) use a Cephes-style
// exponential within 2 ulp of expf; the scalar twin takes libm's, as the TypeScript reference does.
void softmax_f16_scalar(float* scores, int64_t count);
#ifdef QUIRE_X86
void softmax_f16_avx2(float* scores, int64_t count);
void softmax_f16_avx512(float* scores, int64_t count);
#endif

// out = x rounded to binary16 and back (round to nearest even; F16C where the CPU has it).
void round_to_f16(const float* x, int64_t count, float* out);

}  // namespace quire
