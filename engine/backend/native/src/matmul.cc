#include "matmul.h"

#include <algorithm>
#include <vector>

#include "activation.h"
#include "cpu.h"
#include "dot-avx2.h"
#include "dot-float-avx2.h"
#include "dot-kquant-avx2.h"
#include "dot-neon.h"
#include "dot-scalar.h"
#include "gemm-float.h"
#include "gemm-vnni.h"
#include "gemv-vnni.h"
#include "q4-rows8.h"
#include "softmax-f16.h"
#include "quant-types.h"

namespace quire {

namespace {

// Buffers reused across calls (the addon is only called from the JavaScript thread).
template <typename T>
T* scratch(std::vector<T>& buffer, int64_t count) {
  if ((int64_t)buffer.size() < count) buffer.resize((size_t)count);
  return buffer.data();
}
std::vector<BlockQ8> q8_buffer;
std::vector<BlockQ8K> q8k_buffer;
std::vector<float> float_buffer;

// Runs row(t) for every token, in parallel when the batch is worth waking the pool for.
template <typename Body>
void per_token(ThreadPool& pool, int64_t n, const Body& row) {
  if (n < 4 || pool.size() == 1) {
    for (int64_t t = 0; t < n; t++) row(t);
    return;
  }
  pool.run([&](int worker) {
    int64_t t0, t1;
    split_range(n, pool.size(), worker, &t0, &t1);
    for (int64_t t = t0; t < t1; t++) row(t);
  });
}

// out[t, r] = dot(row r, activation t) with rows split across workers; each row is used for every token in turn.
template <typename Act, typename Dot>
void rows_times_tokens(ThreadPool& pool, const uint8_t* w, int64_t row_bytes, int64_t rows, const Act* a,
                       int64_t act_stride, int64_t n, float* out, const Dot& dot) {
  pool.run([&](int worker) {
    int64_t r0, r1;
    split_range(rows, pool.size(), worker, &r0, &r1);
    for (int64_t r = r0; r < r1; r++) {
      const uint8_t* wr = w + r * row_bytes;
      for (int64_t t = 0; t < n; t++) out[t * rows + r] = dot(wr, a + t * act_stride);
    }
  });
}

}  // namespace

bool matmul_supported(int type) { return type_info(type).block != 0; }

void matmul(ThreadPool& pool, int type, const uint8_t* w, int64_t k, int64_t rows, const float* x, int64_t n, float* out, bool allow_simd) {
  const TypeInfo info = type_info(type);
  const int64_t row_bytes = k / info.block * info.bytes;
  const CpuFeatures& cpu = cpu_features();
  const bool avx2 = allow_simd && cpu.avx2;

  if (info.block == 1) {  // F32, F16, BF16
    float* a = scratch(float_buffer, n * k);
    per_token(pool, n, [&](int64_t t) {
      if (type == TYPE_F16 && avx2) round_to_f16(x + t * k, k, a + t * k);  // F16C, same bits (~10× the scalar twin)
      else round_activation(type, x + t * k, k, a + t * k);
    });
    if (avx2 && n >= 4) {
      (cpu.avx512 ? gemm_float_avx512 : gemm_float_avx2)(pool, type, w, k, rows, a, n, out);
    } else if (avx2) {
      rows_times_tokens(pool, w, row_bytes, rows, a, k, n, out, [&](const uint8_t* wr, const float* at) { return dot_float_avx2(type, wr, at, k); });
    } else {
      rows_times_tokens(pool, w, row_bytes, rows, a, k, n, out, [&](const uint8_t* wr, const float* at) { return dot_float_scalar(type, wr, at, k); });
    }
    return;
  }
  if (info.block == 256) {  // K-quants
    const int64_t blocks = k / 256;
    BlockQ8K* a = scratch(q8k_buffer, n * blocks);
    per_token(pool, n, [&](int64_t t) { quantize_row_q8_k(x + t * k, k, a + t * blocks); });
    auto simd_dot = !avx2 ? nullptr : type == TYPE_Q4_K ? dot_q4_k_avx2 : type == TYPE_Q6_K ? dot_q6_k_avx2 : nullptr;
    if (simd_dot) {
      rows_times_tokens(pool, w, row_bytes, rows, a, blocks, n, out, [&](const uint8_t* wr, const BlockQ8K* at) { return simd_dot(wr, at, k); });
      return;
    }
    rows_times_tokens(pool, w, row_bytes, rows, a, blocks, n, out,
                      [&](const uint8_t* wr, const BlockQ8K* at) { return dot_kquant_scalar(type, wr, at, k); });
    return;
  }
  const int64_t blocks = k / 32;
  BlockQ8* a = scratch(q8_buffer, n * blocks);
  per_token(pool, n, [&](int64_t t) { quantize_row_q8_0(x + t * k, k, a + t * blocks, allow_simd); });
  if ((type == TYPE_Q4_0 || type == TYPE_Q5_0 || type == TYPE_Q8_0) && allow_simd && cpu.avx512vnni && n >= 2) {
    gemm_legacy_vnni(pool, type, w, k, rows, a, n, out);
    return;
  }
  if ((type == TYPE_Q4_0 || type == TYPE_Q5_0 || type == TYPE_Q8_0) && allow_simd && cpu.avx512vnni) {
    for (int64_t t = 0; t < n; t++) gemv_legacy_vnni(pool, type, w, k, rows, a + t * blocks, out + t * rows);
    return;
  }
  if (type == TYPE_Q4_0 || type == TYPE_Q5_0 || type == TYPE_Q8_0) {
    const bool neon = allow_simd && cpu.neon_dot;
    auto dot = neon ? (type == TYPE_Q4_0 ? dot_q4_0_neon : type == TYPE_Q5_0 ? dot_q5_0_neon : dot_q8_0_neon)
             : type == TYPE_Q8_0 ? (avx2 ? dot_q8_0_avx2 : dot_q8_0_scalar)
             : !avx2             ? nullptr
             : type == TYPE_Q4_0 ? dot_q4_0_avx2
                                 : dot_q5_0_avx2;
    if (dot) {
      rows_times_tokens(pool, w, row_bytes, rows, a, blocks, n, out, [&](const uint8_t* wr, const BlockQ8* at) { return dot(wr, at, k); });
      return;
    }
  }
  rows_times_tokens(pool, w, row_bytes, rows, a, blocks, n, out,
                    [&](const uint8_t* wr, const BlockQ8* at) { return dot_block32_scalar(type, wr, at, k); });
}

bool repack_supported(int type, int64_t k, int64_t rows) {
  return type == TYPE_Q4_0 && cpu_features().avx2 && k % 32 == 0 && rows % 8 == 0;
}

void repack(int, const uint8_t* w, int64_t k, int64_t rows, uint8_t* out) { repack_q4_0_rows8(w, k, rows, out); }

void matmul_repacked(ThreadPool& pool, int, const uint8_t* repacked, int64_t k, int64_t rows, const float* x, int64_t n, float* out) {
  const int64_t blocks = k / 32;
  BlockQ8* a = scratch(q8_buffer, n * blocks);
  per_token(pool, n, [&](int64_t t) { quantize_row_q8_0(x + t * k, k, a + t * blocks, true); });
  matmul_q4_0_rows8(pool, repacked, k, rows, a, n, out);
}

}  // namespace quire
