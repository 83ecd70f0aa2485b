#include "dot-neon.h"

#include "half.h"
#include "quant-types.h"

#if defined(__aarch64__)
#include <arm_neon.h>

#define NEON_DOT_TARGET __attribute__((target("arch=armv8.2-a+dotprod")))

namespace quire {

namespace {

// Σ over 32 bytes of w·a into four i32 lanes (lane l holds elements 4l…4l+3 and 16+4l…16+4l+3).
NEON_DOT_TARGET inline int32x4_t dot32(int8x16_t w0, int8x16_t w1, const int8_t* a) {
  return vdotq_s32(vdotq_s32(vdupq_n_s32(0), w0, vld1q_s8(a)), w1, vld1q_s8(a + 16));
}

}  // namespace

NEON_DOT_TARGET float dot_q4_0_neon(const uint8_t* w, const BlockQ8* a, int64_t k) {
  float32x4_t acc = vdupq_n_f32(0.0f);
  const uint8x16_t low = vdupq_n_u8(0x0f);
  const int8x16_t eight = vdupq_n_s8(8);
  for (int64_t b = 0; b < k / 32; b++) {
    const uint8_t* block = w + b * 18;
    const uint8x16_t packed = vld1q_u8(block + 2);
    const int8x16_t lo = vsubq_s8(vreinterpretq_s8_u8(vandq_u8(packed, low)), eight);
    const int8x16_t hi = vsubq_s8(vreinterpretq_s8_u8(vshrq_n_u8(packed, 4)), eight);
    const float d = f16_to_f32(read_u16(block)) * a[b].d;
    acc = vmlaq_n_f32(acc, vcvtq_f32_s32(dot32(lo, hi, a[b].qs)), d);
  }
  return vaddvq_f32(acc);
}

NEON_DOT_TARGET float dot_q5_0_neon(const uint8_t* w, const BlockQ8* a, int64_t k) {
  float32x4_t acc = vdupq_n_f32(0.0f);
  const uint8x16_t low = vdupq_n_u8(0x0f);
  const uint8x16_t bit_of_byte = {1, 2, 4, 8, 16, 32, 64, 128, 1, 2, 4, 8, 16, 32, 64, 128};
  for (int64_t b = 0; b < k / 32; b++) {
    const uint8_t* block = w + b * 22;
    const uint32_t qh = read_u32(block + 2);
    // The fifth bit of element j is bit j of qh: spread each byte of qh over eight lanes and test one bit per lane.
    const uint8x16_t h0 = vcombine_u8(vdup_n_u8((uint8_t)qh), vdup_n_u8((uint8_t)(qh >> 8)));
    const uint8x16_t h1 = vcombine_u8(vdup_n_u8((uint8_t)(qh >> 16)), vdup_n_u8((uint8_t)(qh >> 24)));
    const uint8x16_t fifth0 = vandq_u8(vtstq_u8(h0, bit_of_byte), vdupq_n_u8(16));
    const uint8x16_t fifth1 = vandq_u8(vtstq_u8(h1, bit_of_byte), vdupq_n_u8(16));
    const uint8x16_t packed = vld1q_u8(block + 6);
    const int8x16_t lo = vsubq_s8(vreinterpretq_s8_u8(vorrq_u8(vandq_u8(packed, low), fifth0)), vdupq_n_s8(16));
    const int8x16_t hi = vsubq_s8(vreinterpretq_s8_u8(vorrq_u8(vshrq_n_u8(packed, 4), fifth1)), vdupq_n_s8(16));
    const float d = f16_to_f32(read_u16(block)) * a[b].d;
    acc = vmlaq_n_f32(acc, vcvtq_f32_s32(dot32(lo, hi, a[b].qs)), d);
  }
  return vaddvq_f32(acc);
}

NEON_DOT_TARGET float dot_q8_0_neon(const uint8_t* w, const BlockQ8* a, int64_t k) {
  float32x4_t acc = vdupq_n_f32(0.0f);
  for (int64_t b = 0; b < k / 32; b++) {
    const uint8_t* block = w + b * 34;
    const int8x16_t q0 = vld1q_s8((const int8_t*)(block + 2)), q1 = vld1q_s8((const int8_t*)(block + 18));
    const float d = f16_to_f32(read_u16(block)) * a[b].d;
    acc = vmlaq_n_f32(acc, vcvtq_f32_s32(dot32(q0, q1, a[b].qs)), d);
  }
  return vaddvq_f32(acc);
}

}  // namespace quire

#else
namespace quire {
float dot_q4_0_neon(const uint8_t*, const BlockQ8*, int64_t) { return 0; }
float dot_q5_0_neon(const uint8_t*, const BlockQ8*, int64_t) { return 0; }
float dot_q8_0_neon(const uint8_t*, const BlockQ8*, int64_t) { return 0; }
}  // namespace quire
#endif
