// Attention where every query sees every cell: an image block attending to itself (SigLIP's 4096 patches, or an
// image's 256 tokens prefilled on their own). Tiles of six queries share each key and value load, keys are widened
// from f16 and transposed once per call — ~10× the per-query path, same numerics (Q rounded to f16, f32 scores, f16
// probabilities; only the order of the f32 sums differs).
#pragma once
#include <cstdint>

#include "attention.h"
#include "thread-pool.h"

namespace quire {

// True when blocks are given, every query and every cell is in the same image block, and no window applies.
bool attention_is_dense(int64_t n, const int32_t* blocks, const KvLayer& kv, const AttentionShape& shape);

// The dense path (AVX2); false when this CPU or head size has no kernel for it, and the caller goes the usual way.
bool attention_dense(ThreadPool& pool, const float* q, int64_t n, const KvLayer& kv, const AttentionShape& shape, float* out, bool allow_simd);

// A text prompt batch (no query in an image block) in the same tiles: each tile of queries scores the run of cells
// its queries can see — causal, within the window — and masks the rest, so long prompts stop paying the per-query
// path's key gathering and single-query loads. False (the caller goes the per-query way) for short batches, cells
// not laid out as position mod cells, or widened keys over the memory cap.
bool attention_causal(ThreadPool& pool, const float* q, int64_t n, const int32_t* positions, const int32_t* blocks, const KvLayer& kv,
                      const AttentionShape& shape, float* out, bool allow_simd);

}  // namespace quire
