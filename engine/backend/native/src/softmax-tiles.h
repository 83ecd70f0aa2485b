// Softmax of one row of scores with probabilities rounded to f16 (softmax-f16.h), written once over a SIMD traits
// type V (see dense-tiles.h) that also provides set1, max, sub, mul, round, pow2, reduce_max, to_f16_and_back and a
// double accumulator (dzero, dadd, dsum); instantiated by float-kernels-avx2.cc and float-kernels-avx512.cc.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstdint>

#include "half.h"

namespace quire {
namespace {

// e^x for x ≤ 0 (Cephes' expf: x = n·ln2 + r, a degree-6 polynomial in r, then 2ⁿ), within 2 ulp of expf.
// ggml's softmax also uses a SIMD exponential; the scalar twin uses the libm one as the reference does.
template <class V>
inline typename V::reg exp_nonpositive(typename V::reg x) {
  x = V::max(x, V::set1(-87.33f));
  const typename V::reg n = V::round(V::mul(x, V::set1(1.44269504088896341f)));
  typename V::reg r = V::fma(n, V::set1(-0.693359375f), x);
  r = V::fma(n, V::set1(2.12194440e-4f), r);
  typename V::reg p = V::set1(1.9875691500e-4f);
  p = V::fma(p, r, V::set1(1.3981999507e-3f));
  p = V::fma(p, r, V::set1(8.3334519073e-3f));
  p = V::fma(p, r, V::set1(4.1665795894e-2f));
  p = V::fma(p, r, V::set1(1.6666665459e-1f));
  p = V::fma(p, r, V::set1(5.0000001201e-1f));
  const typename V::reg y = V::add(V::fma(V::mul(p, r), r, r), V::set1(1.0f));
  return V::mul(y, V::pow2(n));
}

template <class V>
void softmax_row(float* sc, int64_t count) {
  typename V::reg vmax = V::set1(-INFINITY);
  int64_t j = 0;
  for (; j + V::lanes <= count; j += V::lanes) vmax = V::max(vmax, V::load(sc + j));
  float max = V::reduce_max(vmax);
  for (int64_t i = j; i < count; i++) max = std::max(max, sc[i]);
  const typename V::reg m = V::set1(max);
  typename V::dacc acc = V::dzero();
  for (j = 0; j + V::lanes <= count; j += V::lanes) {
    const typename V::reg e = exp_nonpositive<V>(V::sub(V::load(sc + j), m));
    V::store(sc + j, e);
    acc = V::dadd(acc, e);
  }
  double sum = V::dsum(acc);
  for (int64_t i = j; i < count; i++) {
    sc[i] = std::exp(sc[i] - max);
    sum += sc[i];
  }
  const float inv = (float)(1.0 / sum);
  const typename V::reg vinv = V::set1(inv);
  for (j = 0; j + V::lanes <= count; j += V::lanes) V::store(sc + j, V::to_f16_and_back(V::mul(V::load(sc + j), vinv)));
  for (int64_t i = j; i < count; i++) sc[i] = f16_to_f32(f32_to_f16(sc[i] * inv));
}

}  // namespace
}  // namespace quire
