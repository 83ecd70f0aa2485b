// What one dense-attention call hands to the per-instruction-set tile kernels (see attention-dense.cc).
#pragma once
#include <cstdint>

namespace quire {

constexpr int64_t kDenseValueChunk = 256;  // keys per pass of the ·V tiles (their value rows stay in L2)

struct DenseJob {
  const float* q;        // [n, heads·hd], scaled
  const float* panels;   // per KV head: keys widened to f32 in panels of `panel` keys, transposed within the panel
  const float* values;   // per KV head: [cells][hd] f32
  float* out;            // [n, heads·hd]
  int64_t n, cells, padded, row, hd, stride, group;
  // Causal text prompts only (null for a dense image block): each query's position, the cells' positions, and the
  // sliding window (0 = global). Position p lives in cell p mod cells (attention_causal checks it).
  const int32_t* positions = nullptr;
  const int32_t* cell_pos = nullptr;
  int64_t window = 0;
};

// One instruction set's kernels: its key-panel width and queries per tile, and the function that runs one item
// (a tile of queries of one head) with the worker's buffers (qh: queries·hd, scores: queries·row).
struct DenseKernels {
  int64_t panel;
  int queries;
  void (*item)(const DenseJob& job, int64_t item, float* qh, float* scores);
  // The same for a causal text prompt: each tile scores only the cells its queries can see, masks the rest.
  void (*causal_item)(const DenseJob& job, int64_t item, float* qh, float* scores);
};

#if defined(__x86_64__) || defined(_M_X64)
extern const DenseKernels dense_kernels_avx2;
extern const DenseKernels dense_kernels_avx512;
#endif

}  // namespace quire
