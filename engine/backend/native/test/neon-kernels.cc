// The NEON kernels against their scalar twins (which tests/unit/native-kernels.test.ts proves bit-identical to the
// TypeScript reference). Built for arm64 and run under qemu by tests/unit/native-neon.test.ts, on any machine.
// Prints one line per kernel and exits non-zero on the first disagreement beyond the f32 reordering bound.
#include <cmath>
#include <cstdio>
#include <cstring>
#include <random>
#include <vector>

#include "../src/activation.h"
#include "../src/cpu.h"
#include "../src/dot-neon.h"
#include "../src/dot-scalar.h"
#include "../src/half.h"
#include "../src/quant-types.h"

using namespace quire;

int main() {
  if (!cpu_features().neon_dot) {
    std::printf("FAIL: the CPU probe found no dot-product extension\n");
    return 2;
  }
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_real_distribution<float> value(-2.0f, 2.0f);
  struct Case { const char* name; int type; float (*neon)(const uint8_t*, const BlockQ8*, int64_t); };
  const Case cases[] = {{"Q4_0", TYPE_Q4_0, dot_q4_0_neon}, {"Q5_0", TYPE_Q5_0, dot_q5_0_neon}, {"Q8_0", TYPE_Q8_0, dot_q8_0_neon}};
  for (const Case& c : cases) {
    double worst = 0;
    for (int64_t k : {32, 96, 1152, 4096}) {
      const int bytes = type_info(c.type).bytes;
      std::vector<uint8_t> w((size_t)(k / 32 * bytes));
      for (auto& b : w) b = (uint8_t)byte(rng);
      for (int64_t b = 0; b < k / 32; b++) {  // sane scales: small positive f16
        const uint16_t d = f32_to_f16(0.001f + 0.01f * (float)byte(rng) / 255.0f);
        std::memcpy(&w[(size_t)(b * bytes)], &d, 2);
      }
      std::vector<float> x((size_t)k);
      for (auto& v : x) v = value(rng);
      std::vector<BlockQ8> a((size_t)(k / 32));
      quantize_row_q8_0(x.data(), k, a.data(), false);
      const float expected = c.type == TYPE_Q8_0 ? dot_q8_0_scalar(w.data(), a.data(), k) : dot_block32_scalar(c.type, w.data(), a.data(), k);
      const float actual = c.neon(w.data(), a.data(), k);
      double magnitude = 0;  // Σ|w·a| bounds the reordering error: 2 · terms · 2⁻²⁴ · Σ|w·a|
      for (int64_t b = 0; b < k / 32; b++) {
        int8_t q[32];
        const uint8_t* blk = &w[(size_t)(b * bytes)];
        const float d = f16_to_f32(read_u16(blk));
        for (int j = 0; j < 32; j++) {
          if (c.type == TYPE_Q8_0) q[j] = (int8_t)blk[2 + j];
          else if (c.type == TYPE_Q4_0) q[j] = (int8_t)(((j < 16 ? blk[2 + j] : blk[2 + j - 16] >> 4) & 15) - 8);
          else {
            const uint32_t qh = read_u32(blk + 2);
            q[j] = (int8_t)((((j < 16 ? blk[6 + j] : blk[6 + j - 16] >> 4) & 15) | (((qh >> j) & 1) << 4)) - 16);
          }
          magnitude += std::fabs((double)d * q[j] * a[(size_t)b].d * a[(size_t)b].qs[j]);
        }
      }
      const double bound = 2.0 * (double)(k / 32) * 8 * std::ldexp(1.0, -24) * magnitude * 1.01;
      const double diff = std::fabs((double)actual - expected);
      if (diff > bound) {
        std::printf("FAIL %s k=%lld: neon %.9g scalar %.9g (|diff| %.3g > bound %.3g)\n", c.name, (long long)k, actual, expected, diff, bound);
        return 1;
      }
      worst = std::max(worst, bound > 0 ? diff / bound : 0);
    }
    std::printf("ok %s (largest difference %.2f of the bound)\n", c.name, worst);
  }
  return 0;
}
