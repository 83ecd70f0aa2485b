#include "cpu.h"

#include <fstream>
#include <set>
#include <string>
#include <thread>
#include <utility>

#if defined(__aarch64__) && defined(__linux__)
#include <sys/auxv.h>
#ifndef HWCAP_ASIMDDP
#define HWCAP_ASIMDDP (1 << 20)
#endif
#elif defined(__aarch64__) && defined(__APPLE__)
#include <sys/sysctl.h>
#endif

namespace quire {

namespace {
CpuFeatures detect() {
  CpuFeatures f;
#if defined(__x86_64__) || defined(_M_X64)
  __builtin_cpu_init();
  f.avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  f.avx512 = f.avx2 && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl");
  f.avx512vnni = f.avx512 && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vnni");
#elif defined(__aarch64__) && defined(__linux__)
  f.neon_dot = (getauxval(AT_HWCAP) & HWCAP_ASIMDDP) != 0;
#elif defined(__aarch64__) && defined(__APPLE__)
  int dotprod = 0;
  size_t size = sizeof dotprod;
  f.neon_dot = sysctlbyname("hw.optional.arm.FEAT_DotProd", &dotprod, &size, nullptr, 0) == 0 && dotprod != 0;
#endif
  return f;
}

const CpuFeatures& detected() {
  static const CpuFeatures features = detect();
  return features;
}

CpuFeatures& active() {
  static CpuFeatures features = detected();
  return features;
}

}  // namespace

const CpuFeatures& cpu_features() { return active(); }

void allow_avx512(bool allowed) {
  active().avx512 = allowed && detected().avx512;
  active().avx512vnni = allowed && detected().avx512vnni;
}

int physical_cores() {
  const int logical = (int)std::thread::hardware_concurrency();
  std::set<std::pair<int, int>> cores;  // (package, core) pairs from Linux's sysfs
  for (int cpu = 0; cpu < logical; cpu++) {
    const std::string base = "/sys/devices/system/cpu/cpu" + std::to_string(cpu) + "/topology/";
    std::ifstream package(base + "physical_package_id"), core(base + "core_id");
    int p = -1, c = -1;
    if (!(package >> p) || !(core >> c)) return logical > 0 ? logical : 1;
    cores.insert({p, c});
  }
  return cores.empty() ? (logical > 0 ? logical : 1) : (int)cores.size();
}

}  // namespace quire
