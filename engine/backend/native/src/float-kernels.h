// The exported float kernels of one instruction set, defined from its SIMD traits V by QUIRE_FLOAT_KERNELS in
// float-kernels-avx2.cc and float-kernels-avx512.cc (after their target pragma and the tile headers):
// dense_kernels_<isa> (dense-job.h), softmax_f16_<isa> (softmax-f16.h) and gemm_float_<isa> (gemm-float.h), with
// `queries` per dense-attention tile and matmul tiles of `rows` × `tokens`.
#pragma once

#define QUIRE_FLOAT_KERNELS(V, isa, queries, rows, tokens)                                                          \
  namespace {                                                                                                      \
  void dense_item_##isa(const DenseJob& job, int64_t item, float* qh, float* scores) {                             \
    dense_items<V, queries>(job, item, qh, scores);                                                                \
  }                                                                                                                \
  void causal_item_##isa(const DenseJob& job, int64_t item, float* qh, float* scores) {                            \
    causal_items<V, queries>(job, item, qh, scores);                                                               \
  }                                                                                                                \
  }                                                                                                                \
  const DenseKernels dense_kernels_##isa = {2 * V::lanes, queries, dense_item_##isa, causal_item_##isa};            \
  void softmax_f16_##isa(float* scores, int64_t count) { softmax_row<V>(scores, count); }                          \
  void gemm_float_##isa(ThreadPool& pool, int type, const uint8_t* w, int64_t k, int64_t n_rows, const float* a,    \
                        int64_t n, float* out) {                                                                   \
    gemm_float<V, rows, tokens>(pool, type, w, k, n_rows, a, n, out);                                              \
  }
