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

// Widens the cells and runs every item of the job (tiles of queries × heads) on the pool, interleaved: causal
// tiles grow with their position, so neighbours go to different workers.
void run_tiles(ThreadPool& pool, const DenseKernels& kern, const KvLayer& kv, const AttentionShape& s, DenseJob job, bool causal) {
  widen_cells(pool, kv, s, kern.panel, job.padded, panel_buffer.data(), value_buffer.data());
  const int64_t items = s.heads * ((job.n + kern.queries - 1) / kern.queries);
  const auto run = causal ? kern.causal_item : kern.item;
  pool.run([&](int worker) {
    std::vector<float> qh((size_t)(kern.queries * job.hd)), scores((size_t)(kern.queries * job.row));
    for (int64_t item = worker; item < items; item += pool.size()) run(job, item, qh.data(), scores.data());
  });
}

// Score rows a little longer than the keys they hold: rows a multiple of 4 KiB apart would alias in L1.
int64_t score_row(int64_t keys, int64_t panel) {
  const int64_t row = keys + panel;
  return row % 1024 == 0 ? row + panel : row;
}

// The widened keys and values of one call (f32: twice the f16 cache) stay under this; past it the per-query path,
// which reads the f16 cells in place, is used instead.
constexpr size_t kMaxWidenedBytes = size_t(512) << 20;

bool prepare(const DenseKernels& kern, const KvLayer& kv, const AttentionShape& s, int64_t* padded) {
  *padded = (kv.cells + kern.panel - 1) / kern.panel * kern.panel;
  const size_t floats = (size_t)(s.kv_heads * (*padded + kv.cells) * s.head_dim);
  if (floats * sizeof(float) > kMaxWidenedBytes) return false;
  panel_buffer.resize(std::max(panel_buffer.size(), (size_t)(s.kv_heads * *padded * s.head_dim)));
  value_buffer.resize(std::max(value_buffer.size(), (size_t)(s.kv_heads * kv.cells * s.head_dim)));
  return true;
}

const DenseKernels* kernels(bool allow_simd) {
  const CpuFeatures& cpu = cpu_features();
  if (!allow_simd || !cpu.avx2) return nullptr;
  return cpu.avx512 ? &dense_kernels_avx512 : &dense_kernels_avx2;
}

}  // namespace

bool attention_dense(ThreadPool& pool, const float* q, int64_t n, const KvLayer& kv, const AttentionShape& s, float* out, bool allow_simd) {
  const DenseKernels* kern = kernels(allow_simd);
  int64_t padded;
  if (!kern || !prepare(*kern, kv, s, &padded)) return false;
  const int64_t hd = s.head_dim;
  run_tiles(pool, *kern, kv, s, DenseJob{q, panel_buffer.data(), value_buffer.data(), out, n, kv.cells, padded, score_row(padded, kern->panel), hd, s.heads * hd, s.heads / s.kv_heads}, false);
  return true;
}

bool attention_causal(ThreadPool& pool, const float* q, int64_t n, const int32_t* positions, const int32_t* blocks, const KvLayer& kv,
                      const AttentionShape& s, float* out, bool allow_simd) {
  const DenseKernels* kern = kernels(allow_simd);
  if (!kern || n < 4) return false;
  const int64_t cells = kv.cells;
  for (int64_t t = 0; t < n; t++) {
    if ((blocks && blocks[t] != 0) || positions[t] < 0) return false;
  }
  // The layout the tiles rely on: position p in cell p mod cells (a global layer: p; a ring: p mod its size).
  for (int64_t c = 0; c < cells; c++) {
    if (kv.cell_pos[c] >= 0 && kv.cell_pos[c] % cells != c) return false;
  }
  // Every tile's run of positions (its window back from its first query to its last query) fits in the cells once.
  int64_t longest = 0;
  for (int64_t t0 = 0; t0 < n; t0 += kern->queries) {
    int32_t lo = positions[t0], hi = positions[t0];
    for (int64_t t = t0; t < std::min(n, t0 + kern->queries); t++) lo = std::min(lo, positions[t]), hi = std::max(hi, positions[t]);
    const int64_t first = s.window > 0 ? std::max<int64_t>(0, (int64_t)lo - s.window + 1) : 0;
    longest = std::max(longest, (int64_t)hi - first + 1);
  }
  int64_t padded;
  if (longest > cells || !prepare(*kern, kv, s, &padded)) return false;
  const int64_t hd = s.head_dim;
  DenseJob job{q, panel_buffer.data(), value_buffer.data(), out, n, cells, padded, 0, hd, s.heads * hd, s.heads / s.kv_heads};
  job.row = score_row(std::min(padded, longest + 2 * kern->panel) + 2 * kern->panel, kern->panel);   // a wrapped run is two runs, each widened to panels
  job.positions = positions, job.cell_pos = kv.cell_pos, job.window = s.window;
  run_tiles(pool, *kern, kv, s, job, true);
  return true;
}
#else
bool attention_dense(ThreadPool&, const float*, int64_t, const KvLayer&, const AttentionShape&, float*, bool) { return false; }
bool attention_causal(ThreadPool&, const float*, int64_t, const int32_t*, const int32_t*, const KvLayer&, const AttentionShape&, float*, bool) { return false; }
#endif

}  // namespace quire
