// Attention over the f16 KV cache, as the reference backend computes it (engine/backend/reference/attention.ts):
// Q rounded to f16, scores in f32, softmax with a double sum, probabilities rounded to f16 before multiplying V.
#pragma once
#include <cstdint>

#include "thread-pool.h"

namespace quire {

struct KvLayer {
  const uint16_t* k;          // [cells, kv_heads, head_dim] binary16
  const uint16_t* v;
  const int32_t* cell_pos;    // absolute position per cell, −1 when empty
  const int32_t* cell_blocks; // image block per cell (0 = text)
  int64_t cells;
};

struct AttentionShape {
  int64_t heads, kv_heads, head_dim;
  int64_t window;             // sliding window W, 0 for a global layer
};

// out[n, heads·head_dim]; blocks may be null (all text).
void attention(ThreadPool& pool, const float* q, int64_t n, const int32_t* positions, const int32_t* blocks,
               const KvLayer& kv, const AttentionShape& shape, float* out, bool allow_simd);

}  // namespace quire
