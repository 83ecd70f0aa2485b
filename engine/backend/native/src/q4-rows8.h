// Q4_0 weights repacked eight rows at a time, and the AVX2 kernel that reads them (prompt batches and decode
// alike). In the original layout each output needs a horizontal sum of eight lanes; here the eight 32-bit lanes
// of a register are eight weight rows: a block's sixteen packed bytes per row are regrouped so that one 32-byte
// load holds bytes 4j…4j+3 of every row, and a multiply-add against the activation's four values 4j…4j+3
// broadcast adds each row's products into its own lane. Eight of them give eight rows' block sums, one FMA scales
// all eight. Decode runs about 2.5× faster than row by row (fewer instructions per weight, same bytes). Prompt
// batches run at ~0.65× of the AVX-512 VNNI pair tiles (gemm-vnni.h), so CPUs with VNNI keep the original layout
// for those and use this one for decode (native-backend.ts decides); other AVX2 CPUs use it for both. Per row the
// block terms are summed in order in one f32 lane (not ggml's eight lanes): within the reordering bound, not
// bit-identical to the row kernels.
//
// Repacked group g (rows 8g…8g+7), block b, at ((g·blocks) + b)·144 bytes: the eight rows' f16 scales (16 bytes),
// then four runs of 32 bytes: run j = bytes 4j…4j+3 of the packed nibbles of row 0, row 1, …, row 7.
#pragma once
#include <cstdint>

#include "activation.h"
#include "thread-pool.h"

namespace quire {

// rows must be a multiple of 8; out has the same size as w.
void repack_q4_0_rows8(const uint8_t* w, int64_t k, int64_t rows, uint8_t* out);
// out[n, rows] from repacked weights and Q8_0 activations. Needs cpu_features().avx2.
void matmul_q4_0_rows8(ThreadPool& pool, const uint8_t* repacked, int64_t k, int64_t rows, const BlockQ8* a, int64_t n, float* out);

}  // namespace quire
