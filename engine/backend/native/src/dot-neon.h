// arm64 NEON (with the dot-product extension, SDOT) kernels for Q4_0, Q5_0 and Q8_0 rows with Q8_0 activations.
// Lane order differs from ggml's x86 kernels (four i32 lanes of SDOT), so results agree with the scalar twin to
// the f32 reordering bound, not bit for bit.
#pragma once
#include <cstdint>

#include "activation.h"

namespace quire {

float dot_q4_0_neon(const uint8_t* w, const BlockQ8* a, int64_t k);
float dot_q5_0_neon(const uint8_t* w, const BlockQ8* a, int64_t k);
float dot_q8_0_neon(const uint8_t* w, const BlockQ8* a, int64_t k);

}  // namespace quire
