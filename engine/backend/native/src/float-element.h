// One element of an F32, F16 or BF16 row as f32: the scalar twin's reads and the SIMD kernels' scalar tails.
#pragma once
#include <cstdint>
#include <cstring>

#include "half.h"
#include "quant-types.h"

namespace quire {

inline float float_element(int type, const uint8_t* w, int64_t i) {
  if (type == TYPE_F32) {
    float v;
    std::memcpy(&v, w + 4 * i, 4);
    return v;
  }
  const uint16_t h = read_u16(w + 2 * i);
  return type == TYPE_F16 ? f16_to_f32(h) : bf16_to_f32(h);
}

}  // namespace quire
