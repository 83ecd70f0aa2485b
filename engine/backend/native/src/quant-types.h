// The GGML weight types the native matmul computes with, and their block geometry (ENGINE-SPEC §4.2–§4.3).
#pragma once
#include <cstdint>

namespace quire {

enum : int {
  TYPE_F32 = 0, TYPE_F16 = 1, TYPE_Q4_0 = 2, TYPE_Q4_1 = 3, TYPE_Q5_0 = 6, TYPE_Q5_1 = 7, TYPE_Q8_0 = 8,
  TYPE_Q4_K = 12, TYPE_Q5_K = 13, TYPE_Q6_K = 14, TYPE_BF16 = 30,
};

struct TypeInfo {
  int block;      // values per block
  int bytes;      // bytes per block
};

// {0, 0} for a type the native backend does not compute with.
inline TypeInfo type_info(int type) {
  switch (type) {
    case TYPE_F32: return {1, 4};
    case TYPE_F16: return {1, 2};
    case TYPE_BF16: return {1, 2};
    case TYPE_Q4_0: return {32, 18};
    case TYPE_Q4_1: return {32, 20};
    case TYPE_Q5_0: return {32, 22};
    case TYPE_Q5_1: return {32, 24};
    case TYPE_Q8_0: return {32, 34};
    case TYPE_Q4_K: return {256, 144};
    case TYPE_Q5_K: return {256, 176};
    case TYPE_Q6_K: return {256, 210};
    default: return {0, 0};
  }
}

inline uint16_t read_u16(const uint8_t* p) { return (uint16_t)(p[0] | (p[1] << 8)); }
inline uint32_t read_u32(const uint8_t* p) { return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24); }

}  // namespace quire
