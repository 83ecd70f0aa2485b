// One element of an F32, F16 or BF16 row as f32: the scalar tails of the float kernels.
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
  if (type == TYPE_F16) return f16_to_f32(h);
  const uint32_t bits = (uint32_t)h << 16;  // BF16: the top half of an f32
  float v;
  std::memcpy(&v, &bits, 4);
  return v;
}

}  // namespace quire
