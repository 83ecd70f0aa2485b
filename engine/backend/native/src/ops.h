// Row and elementwise operations of the Gemma 3 block, in the f32 arithmetic order of the reference backend
// (engine/backend/reference/ops.ts), so their outputs match it bit for bit.
#pragma once
#include <cstdint>

#include "thread-pool.h"

namespace quire {

// out = (x · 1/sqrt(mean(x²) + eps)) · w per row; the sum of squares in double as ggml does.
void rms_norm(ThreadPool& pool, const float* x, int64_t rows, int64_t row_length, const float* w, float eps, float* out, bool allow_simd);
// NeoX RoPE in place on x[n, heads, head_dim] with ggml's running-product angles.
void rope(ThreadPool& pool, float* x, int64_t n, int64_t heads, int64_t head_dim, const int32_t* positions, float base, float freq_scale);
// out = (x − mean)/sqrt(var + eps) · w + b per row: ggml norm, mul and add, in the reference's order.
void layer_norm(ThreadPool& pool, const float* x, int64_t rows, int64_t row_length, const float* w, const float* b, float eps, float* out);
// x += bias on every row of bias_length values.
void add_rows_in_place(ThreadPool& pool, float* x, int64_t count, const float* bias, int64_t bias_length);
// out = gelu_tanh(gate) ⊙ up through ggml's f16 GELU table (up may be null: plain GELU).
void geglu(ThreadPool& pool, const float* gate, const float* up, int64_t count, float* out, bool allow_simd);
// a += b and a *= s, elementwise (the compiler vectorizes these; the pool splits large batches).
void add_in_place(ThreadPool& pool, float* a, const float* b, int64_t count);
void scale_in_place(ThreadPool& pool, float* a, float s, int64_t count);
// Binary16 bits of each value, round to nearest even (F16C where the CPU has it).
void f32_to_f16_row(const float* x, int64_t count, uint16_t* out);

}  // namespace quire
