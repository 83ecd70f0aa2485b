#include "dot-scalar.h"

#include <cstring>

#include "float-element.h"
#include "half.h"
#include "quant-types.h"

namespace quire {

namespace {

uint16_t f32_to_bf16(float v) {  // round to nearest even; NaN stays NaN (quiet)
  uint32_t bits;
  std::memcpy(&bits, &v, 4);
  if ((bits & 0x7fffffff) > 0x7f800000) return (uint16_t)((bits >> 16) | 64);
  return (uint16_t)((bits + (0x7fff + ((bits >> 16) & 1))) >> 16);
}

// Unpacks one 32-value block of a legacy type into signed levels (minus the offset for Q4_0/Q5_0); returns d (and m).
void unpack_block32(int type, const uint8_t* b, int8_t* q, float* d, float* m) {
  *d = f16_to_f32(read_u16(b));
  *m = 0;
  switch (type) {
    case TYPE_Q4_0:
    case TYPE_Q4_1: {
      const uint8_t* qs = b + (type == TYPE_Q4_0 ? 2 : 4);
      const int bias = type == TYPE_Q4_0 ? 8 : 0;
      if (type == TYPE_Q4_1) *m = f16_to_f32(read_u16(b + 2));
      for (int j = 0; j < 16; j++) {
        q[j] = (int8_t)((qs[j] & 0xf) - bias);
        q[j + 16] = (int8_t)((qs[j] >> 4) - bias);
      }
      break;
    }
    default: {  // Q5_0, Q5_1
      const uint8_t* qh_at = b + (type == TYPE_Q5_0 ? 2 : 4);
      const int bias = type == TYPE_Q5_0 ? 16 : 0;
      if (type == TYPE_Q5_1) *m = f16_to_f32(read_u16(b + 2));
      const uint32_t qh = read_u32(qh_at);
      for (int j = 0; j < 16; j++) {
        const uint8_t byte = qh_at[4 + j];
        q[j] = (int8_t)(((byte & 0xf) | (((qh >> j) & 1) << 4)) - bias);
        q[j + 16] = (int8_t)(((byte >> 4) | (((qh >> (j + 16)) & 1) << 4)) - bias);
      }
    }
  }
}

void scale_min_k4(const uint8_t* s, int j, int* sc, int* mn) {
  if (j < 4) {
    *sc = s[j] & 63;
    *mn = s[j + 4] & 63;
  } else {
    *sc = (s[j + 4] & 0xf) | ((s[j - 4] >> 6) << 4);
    *mn = (s[j + 4] >> 4) | ((s[j] >> 6) << 4);
  }
}

}  // namespace

float dot_block32_scalar(int type, const uint8_t* w, const BlockQ8* a, int64_t k) {
  const int bytes = type_info(type).bytes;
  const bool with_min = type == TYPE_Q4_1 || type == TYPE_Q5_1;
  double sum = 0;
  int8_t q[32];
  for (int64_t b = 0; b < k / 32; b++) {
    float d, m;
    unpack_block32(type, w + b * bytes, q, &d, &m);
    int sumi = 0;
    for (int j = 0; j < 32; j++) sumi += q[j] * a[b].qs[j];
    if (with_min) {
      sum += (double)((d * a[b].d) * (float)sumi) + (double)(m * a[b].s);
    } else {
      sum += (double)(((float)sumi * d) * a[b].d);
    }
  }
  return (float)sum;
}

float dot_q8_0_scalar(const uint8_t* w, const BlockQ8* a, int64_t k) {
  float lanes[8] = {0};
  for (int64_t b = 0; b < k / 32; b++) {
    const uint8_t* block = w + b * 34;
    const float d = f16_to_f32(read_u16(block)) * a[b].d;
    const int8_t* q = (const int8_t*)(block + 2);
    for (int l = 0; l < 8; l++) {
      int s = 0;
      for (int j = 4 * l; j < 4 * l + 4; j++) s += q[j] * a[b].qs[j];
      lanes[l] = (float)((double)lanes[l] + (double)d * s);  // one rounding, as FMA
    }
  }
  return ((lanes[4] + lanes[0]) + (lanes[6] + lanes[2])) + ((lanes[5] + lanes[1]) + (lanes[7] + lanes[3]));
}

float dot_kquant_scalar(int type, const uint8_t* w, const BlockQ8K* a, int64_t k) {
  double sum = 0;
  for (int64_t b = 0; b < k / 256; b++) {
    const BlockQ8K& ab = a[b];
    if (type == TYPE_Q6_K) {
      const uint8_t* blk = w + b * 210;
      const float d = f16_to_f32(read_u16(blk + 208));
      int8_t q[256];
      for (int h = 0; h < 2; h++) {
        const uint8_t* ql = blk + 64 * h;
        const uint8_t* qh = blk + 128 + 32 * h;
        int8_t* y = q + 128 * h;
        for (int l = 0; l < 32; l++) {
          const int bits = qh[l];
          y[l] = (int8_t)(((ql[l] & 0xf) | ((bits & 3) << 4)) - 32);
          y[l + 32] = (int8_t)(((ql[l + 32] & 0xf) | (((bits >> 2) & 3) << 4)) - 32);
          y[l + 64] = (int8_t)(((ql[l] >> 4) | (((bits >> 4) & 3) << 4)) - 32);
          y[l + 96] = (int8_t)(((ql[l + 32] >> 4) | (((bits >> 6) & 3) << 4)) - 32);
        }
      }
      int isum = 0;
      for (int g = 0; g < 16; g++) {
        int sumi = 0;
        for (int i = 0; i < 16; i++) sumi += q[16 * g + i] * ab.qs[16 * g + i];
        isum += (int8_t)blk[192 + g] * sumi;
      }
      sum += (double)((d * ab.d) * (float)isum);
      continue;
    }
    const bool five = type == TYPE_Q5_K;
    const uint8_t* blk = w + b * (five ? 176 : 144);
    const float d = f16_to_f32(read_u16(blk)), dmin = f16_to_f32(read_u16(blk + 2));
    const uint8_t* qs = blk + (five ? 48 : 16);
    int dot = 0, mins = 0;
    for (int j = 0; j < 8; j++) {
      int sc, mn;
      scale_min_k4(blk + 4, j, &sc, &mn);
      const int c = j / 2, shift = (j & 1) * 4;
      const uint8_t high_bit = (uint8_t)((j & 1 ? 2 : 1) << (2 * c));
      int sumi = 0;
      for (int l = 0; l < 32; l++) {
        int v = (qs[32 * c + l] >> shift) & 0xf;
        if (five && (blk[16 + l] & high_bit)) v += 16;
        sumi += v * ab.qs[32 * j + l];
      }
      dot += sc * sumi;
      mins += mn * (ab.bsums[2 * j] + ab.bsums[2 * j + 1]);
    }
    sum += (double)((d * ab.d) * (float)dot) - (double)((dmin * ab.d) * (float)mins);
  }
  return (float)sum;
}

void round_activation(int type, const float* x, int64_t k, float* out) {
  for (int64_t i = 0; i < k; i++) {
    out[i] = type == TYPE_F16 ? f16_to_f32(f32_to_f16(x[i])) : type == TYPE_BF16 ? bf16_to_f32(f32_to_bf16(x[i])) : x[i];
  }
}

float dot_float_scalar(int type, const uint8_t* w, const float* a, int64_t k) {
  double s = 0;
  for (int64_t i = 0; i < k; i++) s += (double)a[i] * float_element(type, w, i);
  return (float)s;
}

}  // namespace quire
