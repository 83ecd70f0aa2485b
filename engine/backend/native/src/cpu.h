// What the CPU can do, read once at startup; every SIMD kernel is chosen from this at run time so one build runs on
// any x86-64 or arm64 machine.
#pragma once

namespace quire {

struct CpuFeatures {
  bool avx2 = false;       // with FMA and F16C, as every AVX2 CPU has
  bool avx512 = false;     // AVX-512 F/VL (float kernels on 512-bit registers)
  bool avx512vnni = false; // AVX-512 F/BW/VL + VNNI (vpdpbusd on 512-bit registers)
  bool neon_dot = false;   // arm64 SDOT
};

const CpuFeatures& cpu_features();
// Lets the AVX-512 kernels run (the default where the CPU has them) or not, so the AVX2 ones can be tested and
// measured on the same machine. Not thread-safe: call between kernels.
void allow_avx512(bool allowed);
// Physical cores (hyper-threads of one core share its SIMD units, so a second thread per core only adds contention).
int physical_cores();

}  // namespace quire
