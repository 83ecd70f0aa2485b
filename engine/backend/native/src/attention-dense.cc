#include "attention-dense.h"

#include <algorithm>
#include <vector>

#include "cpu.h"
#include "half.h"
#include "dense-job.h"
#include "softmax-f16.h"

namespace quire {

bool attention_is_dense(int64_t n, const int32_t* blocks, const KvLayer& kv, const AttentionShape& s) {
  if (!blocks || blocks[0] <= 0 || s.window != 0 || kv.cells != n) return false;
  const int32_t block = blocks[0];
  for (int64_t t = 0; t < n; t++) {
    if (blocks[t] != block) return false;
  }
  for (int64_t c = 0; c < kv.cells; c++) {
    if (kv.cell_pos[c] < 0 || kv.cell_blocks[c] != block) return false;
  }
  return true;
}

#ifdef QUIRE_X86
namespace {

// The widened keys and values, kept between calls (the addon is only called from the JavaScript thread): a fresh
// 38 MB per SigLIP layer cost more in page faults than the widening itself.
std::vector<float> panel_buffer, value_buffer;

__attribute__((target("avx2,f16c"))) void widen(const uint16_t* src, int64_t count, float* dst) {
  int64_t i = 0;
  for (; i + 8 <= count; i += 8) _mm256_storeu_ps(dst + i, _mm256_cvtph_ps(_mm_loadu_si128((const __m128i*)(src + i))));
  for (; i < count; i++) dst[i] = f16_to_f32(src[i]);
}

// Per KV head: keys in panels of `panel` keys, transposed within the panel ([g][panel][i][key], zero past the last
// cell), values as rows ([g][c][i]); widened from f16 once per call, a panel per step so writes fill whole lines.
void widen_cells(ThreadPool& pool, const KvLayer& kv, const AttentionShape& s, int64_t panel, int64_t padded, float* panels, float* values) {
  const int64_t hd = s.head_dim, cells = kv.cells, kv_stride = s.kv_heads * hd;
  pool.run([&](int worker) {
    int64_t p0, p1;
    split_range(padded / panel, pool.size(), worker, &p0, &p1);
    std::vector<float> rows((size_t)(panel * kv_stride));
    for (int64_t p = p0; p < p1; p++) {
      const int64_t c0 = p * panel, count = std::min(panel, cells - c0);
      std::fill(rows.begin(), rows.end(), 0.0f);
      widen(kv.k + c0 * kv_stride, count * kv_stride, rows.data());
      for (int64_t g = 0; g < s.kv_heads; g++) {
        float* dst = panels + (g * padded + c0) * hd;
        for (int64_t i = 0; i < hd; i++)
          for (int64_t j = 0; j < panel; j++) dst[i * panel + j] = rows[(size_t)(j * kv_stride + g * hd + i)];
        for (int64_t j = 0; j < count; j++) widen(kv.v + (c0 + j) * kv_stride + g * hd, hd, values + (g * cells + c0 + j) * hd);
      }
    }
  });
}

}  // namespace

bool attention_dense(ThreadPool& pool, const float* q, int64_t n, const KvLayer& kv, const AttentionShape& s, float* out, bool allow_simd) {
  const CpuFeatures& cpu = cpu_features();
  if (!allow_simd || !cpu.avx2) return false;
  const DenseKernels& kern = cpu.avx512 ? dense_kernels_avx512 : dense_kernels_avx2;
  const int64_t hd = s.head_dim, cells = kv.cells;
  const int64_t padded = (cells + kern.panel - 1) / kern.panel * kern.panel;
  panel_buffer.resize(std::max(panel_buffer.size(), (size_t)(s.kv_heads * padded * hd)));
  value_buffer.resize(std::max(value_buffer.size(), (size_t)(s.kv_heads * cells * hd)));
  widen_cells(pool, kv, s, kern.panel, padded, panel_buffer.data(), value_buffer.data());
  // Score rows one panel longer than the keys: rows a multiple of 4 KiB apart would alias in L1.
  const DenseJob job{q, panel_buffer.data(), value_buffer.data(), out, n, cells, padded, padded + kern.panel, hd, s.heads * hd, s.heads / s.kv_heads};
  const int64_t items = s.heads * ((n + kern.queries - 1) / kern.queries);
  pool.run([&](int worker) {
    std::vector<float> qh((size_t)(kern.queries * hd)), scores((size_t)(kern.queries * job.row));
    for (int64_t item = worker; item < items; item += pool.size()) kern.item(job, item, qh.data(), scores.data());
  });
  return true;
}
#else
bool attention_dense(ThreadPool&, const float*, int64_t, const KvLayer&, const AttentionShape&, float*, bool) { return false; }
#endif

}  // namespace quire
