// N-API entry points. N-API is ABI-stable, so one build serves Node and Electron. Every kernel writes into an
// output array the caller owns; shapes are checked in napi-args.h before any native code runs.
#include <node_api.h>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <memory>
#include <string>
#include <thread>

#include "attention.h"
#include "cpu.h"
#include "matmul.h"
#include "napi-args.h"
#include "ops.h"
#include "quant-types.h"

namespace {

using quire::Args;
constexpr int64_t kMax = (int64_t)1 << 40;
std::unique_ptr<quire::ThreadPool> pool;

quire::ThreadPool& thread_pool() {
  if (!pool) pool = std::make_unique<quire::ThreadPool>(quire::physical_cores());
  return *pool;
}

struct Mapping {
  void* address;
  size_t length;
};

void unmap(napi_env, void*, void* hint) {
  auto* m = static_cast<Mapping*>(hint);
  munmap(m->address, m->length);
  delete m;
}

napi_value throw_error(napi_env env, const std::string& message) {
  napi_throw_error(env, nullptr, message.c_str());
  return nullptr;
}

// mmapFile(path) → ArrayBuffer over the whole file, read-only, unmapped when collected.
napi_value MmapFile(napi_env env, napi_callback_info info) {
  Args args(env, info, "mmapFile", 1);
  if (!args.ok()) return nullptr;
  char path[4096];
  size_t length = 0;
  if (napi_get_value_string_utf8(env, args.at(0), path, sizeof path, &length) != napi_ok) return throw_error(env, "mmapFile: path must be a string");
  const int fd = open(path, O_RDONLY);
  if (fd < 0) return throw_error(env, std::string("cannot open ") + path);
  struct stat st;
  if (fstat(fd, &st) != 0 || st.st_size == 0) {
    close(fd);
    return throw_error(env, std::string("cannot map an empty or unreadable file: ") + path);
  }
  // MAP_POPULATE (as llama.cpp's default prefetch) faults the pages in now, at load, instead of one by one during
  // the first prompt.
#ifdef MAP_POPULATE
  const int flags = MAP_SHARED | MAP_POPULATE;
#else
  const int flags = MAP_SHARED;
#endif
  void* address = mmap(nullptr, (size_t)st.st_size, PROT_READ, flags, fd, 0);
  close(fd);
  if (address == MAP_FAILED) return throw_error(env, std::string("mmap failed for ") + path);
  auto* mapping = new Mapping{address, (size_t)st.st_size};
  napi_value result;
  // The JS side only reads: N-API has no read-only ArrayBuffer, so writes would fault (PROT_READ) rather than corrupt.
  if (napi_create_external_arraybuffer(env, address, mapping->length, unmap, mapping, &result) != napi_ok) {
    unmap(env, nullptr, mapping);
    return throw_error(env, "external ArrayBuffers are not allowed here (Electron's V8 sandbox): read the file instead");
  }
  return result;
}

// matmul(w: Uint8Array, type, k, rows, x: Float32Array, n, out: Float32Array, allowSimd)
napi_value Matmul(napi_env env, napi_callback_info info) {
  Args args(env, info, "matmul", 8);
  const int type = (int)args.integer(1, "type", 0, 1000);
  if (!args.ok()) return nullptr;
  if (!quire::matmul_supported(type)) return args.fail("unsupported weight type " + std::to_string(type));
  const quire::TypeInfo ti = quire::type_info(type);
  const int64_t k = args.integer(2, "k", 1, kMax), rows = args.integer(3, "rows", 1, kMax), n = args.integer(5, "n", 1, kMax);
  if (args.ok() && k % ti.block != 0) return args.fail("k must be a multiple of " + std::to_string(ti.block));
  auto* w = args.array<uint8_t>(0, napi_uint8_array, "w", rows * (k / ti.block) * ti.bytes);
  auto* x = args.array<float>(4, napi_float32_array, "x", n * k);
  auto* out = args.array<float>(6, napi_float32_array, "out", n * rows);
  const bool simd = args.boolean(7);
  if (!args.ok()) return nullptr;
  quire::matmul(thread_pool(), type, w, k, rows, x, n, out, simd);
  return nullptr;
}

// repack(w, type, k, rows, out) → false when this weight has no repacked form on this CPU (out untouched).
napi_value Repack(napi_env env, napi_callback_info info) {
  Args args(env, info, "repack", 5);
  const int type = (int)args.integer(1, "type", 0, 1000);
  const int64_t k = args.integer(2, "k", 1, kMax), rows = args.integer(3, "rows", 1, kMax);
  napi_value result;
  if (!args.ok()) return nullptr;
  if (!quire::repack_supported(type, k, rows)) {
    napi_get_boolean(env, false, &result);
    return result;
  }
  const quire::TypeInfo ti = quire::type_info(type);
  const int64_t bytes = rows * (k / ti.block) * ti.bytes;
  auto* w = args.array<uint8_t>(0, napi_uint8_array, "w", bytes);
  auto* out = args.array<uint8_t>(4, napi_uint8_array, "out", bytes);
  if (!args.ok()) return nullptr;
  quire::repack(type, w, k, rows, out);
  napi_get_boolean(env, true, &result);
  return result;
}

// matmulRepacked(repacked, type, k, rows, x, n, out)
napi_value MatmulRepacked(napi_env env, napi_callback_info info) {
  Args args(env, info, "matmulRepacked", 7);
  const int type = (int)args.integer(1, "type", 0, 1000);
  const int64_t k = args.integer(2, "k", 1, kMax), rows = args.integer(3, "rows", 1, kMax), n = args.integer(5, "n", 1, kMax);
  if (args.ok() && !quire::repack_supported(type, k, rows)) return args.fail("no repacked form for this type and shape");
  if (!args.ok()) return nullptr;
  const quire::TypeInfo ti = quire::type_info(type);
  auto* w = args.array<uint8_t>(0, napi_uint8_array, "repacked", rows * (k / ti.block) * ti.bytes);
  auto* x = args.array<float>(4, napi_float32_array, "x", n * k);
  auto* out = args.array<float>(6, napi_float32_array, "out", n * rows);
  if (!args.ok()) return nullptr;
  quire::matmul_repacked(thread_pool(), type, w, k, rows, x, n, out);
  return nullptr;
}

// releasePages(view): the whole pages inside a view of a memory-mapped file are dropped from this process's
// resident memory (they come back from the file if read again). Only for views of mmapFile's buffers: on ordinary
// memory it would zero them, so the JavaScript side checks first.
napi_value ReleasePages(napi_env env, napi_callback_info info) {
  Args args(env, info, "releasePages", 2);
  const int64_t length = args.integer(1, "length", 0, kMax);
  auto* view = args.array<uint8_t>(0, napi_uint8_array, "view", length);
  if (!args.ok()) return nullptr;
  const uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
  const uintptr_t begin = ((uintptr_t)view + page - 1) & ~(page - 1), end = ((uintptr_t)view + (uintptr_t)length) & ~(page - 1);
  if (end > begin) madvise((void*)begin, end - begin, MADV_DONTNEED);
  return nullptr;
}

// rmsNorm(x, rowLength, weight, eps, out, allowSimd)
napi_value RmsNorm(napi_env env, napi_callback_info info) {
  Args args(env, info, "rmsNorm", 6);
  const int64_t len = args.integer(1, "rowLength", 1, kMax);
  auto* w = args.array<float>(2, napi_float32_array, "weight", len);
  const double eps = args.number(3, "eps");
  int64_t count = 0;
  float* x = args.rows(0, "x", len, &count);
  auto* out = args.array<float>(4, napi_float32_array, "out", count);
  if (!args.ok()) return nullptr;
  quire::rms_norm(thread_pool(), x, count / len, len, w, (float)eps, out, args.boolean(5));
  return nullptr;
}

// rope(x, n, heads, headDim, positions: Int32Array, base, freqScale)
napi_value Rope(napi_env env, napi_callback_info info) {
  Args args(env, info, "rope", 7);
  const int64_t n = args.integer(1, "n", 1, kMax), heads = args.integer(2, "heads", 1, 1 << 16), hd = args.integer(3, "headDim", 2, 1 << 16);
  if (args.ok() && hd % 2 != 0) return args.fail("headDim must be even");
  auto* x = args.array<float>(0, napi_float32_array, "x", n * heads * hd);
  auto* pos = args.array<int32_t>(4, napi_int32_array, "positions", n);
  const double base = args.number(5, "base"), scale = args.number(6, "freqScale");
  if (!args.ok()) return nullptr;
  quire::rope(thread_pool(), x, n, heads, hd, pos, (float)base, (float)scale);
  return nullptr;
}

// geglu(gate, up | null, out, count, allowSimd), all of one length; a null up gives plain GELU
napi_value Geglu(napi_env env, napi_callback_info info) {
  Args args(env, info, "geglu", 5);
  const int64_t count = args.integer(3, "count", 1, kMax);
  auto* gate = args.array<float>(0, napi_float32_array, "gate", count);
  auto* up = args.is_null(1) ? nullptr : args.array<float>(1, napi_float32_array, "up", count);
  auto* out = args.array<float>(2, napi_float32_array, "out", count);
  if (!args.ok()) return nullptr;
  quire::geglu(thread_pool(), gate, up, count, out, args.boolean(4));
  return nullptr;
}

// layerNorm(x, rowLength, weight, bias, eps, out)
napi_value LayerNorm(napi_env env, napi_callback_info info) {
  Args args(env, info, "layerNorm", 6);
  const int64_t len = args.integer(1, "rowLength", 1, kMax);
  auto* w = args.array<float>(2, napi_float32_array, "weight", len);
  auto* b = args.array<float>(3, napi_float32_array, "bias", len);
  const double eps = args.number(4, "eps");
  int64_t count = 0;
  float* x = args.rows(0, "x", len, &count);
  auto* out = args.array<float>(5, napi_float32_array, "out", count);
  if (!args.ok()) return nullptr;
  quire::layer_norm(thread_pool(), x, count / len, len, w, b, (float)eps, out);
  return nullptr;
}

// addRows(x, count, bias, biasLength): x += bias on every row
napi_value AddRows(napi_env env, napi_callback_info info) {
  Args args(env, info, "addRows", 4);
  const int64_t count = args.integer(1, "count", 0, kMax), len = args.integer(3, "biasLength", 1, kMax);
  if (args.ok() && count % len != 0) return args.fail("x must hold whole rows of the bias length");
  auto* x = args.array<float>(0, napi_float32_array, "x", count);
  auto* bias = args.array<float>(2, napi_float32_array, "bias", len);
  if (!args.ok()) return nullptr;
  quire::add_rows_in_place(thread_pool(), x, count, bias, len);
  return nullptr;
}

// add(a, b, count): a += b
napi_value Add(napi_env env, napi_callback_info info) {
  Args args(env, info, "add", 3);
  const int64_t count = args.integer(2, "count", 0, kMax);
  auto* a = args.array<float>(0, napi_float32_array, "a", count);
  auto* b = args.array<float>(1, napi_float32_array, "b", count);
  if (!args.ok()) return nullptr;
  quire::add_in_place(thread_pool(), a, b, count);
  return nullptr;
}

// scale(a, s, count): a *= s
napi_value Scale(napi_env env, napi_callback_info info) {
  Args args(env, info, "scale", 3);
  const int64_t count = args.integer(2, "count", 0, kMax);
  auto* a = args.array<float>(0, napi_float32_array, "a", count);
  const double s = args.number(1, "s");
  if (!args.ok()) return nullptr;
  quire::scale_in_place(thread_pool(), a, (float)s, count);
  return nullptr;
}

// f32ToF16(x: Float32Array, out: Uint16Array)
napi_value F32ToF16(napi_env env, napi_callback_info info) {
  Args args(env, info, "f32ToF16", 3);
  const int64_t count = args.integer(2, "count", 0, kMax);
  auto* x = args.array<float>(0, napi_float32_array, "x", count, true);
  auto* out = args.array<uint16_t>(1, napi_uint16_array, "out", count, true);
  if (!args.ok()) return nullptr;
  quire::f32_to_f16_row(x, count, out);
  return nullptr;
}

// attention(q, n, positions, blocks|null, k: Uint16Array, v: Uint16Array, cellPos, cellBlocks, heads, kvHeads,
//           headDim, window, out, allowSimd)
napi_value Attention(napi_env env, napi_callback_info info) {
  Args args(env, info, "attention", 14);
  const int64_t n = args.integer(1, "n", 1, kMax);
  const int64_t heads = args.integer(8, "heads", 1, 1 << 12), kv_heads = args.integer(9, "kvHeads", 1, 1 << 12);
  const int64_t hd = args.integer(10, "headDim", 1, 1 << 14), window = args.integer(11, "window", 0, kMax);
  if (args.ok() && heads % kv_heads != 0) return args.fail("heads must be a multiple of kvHeads");
  auto* q = args.array<float>(0, napi_float32_array, "q", n * heads * hd);
  auto* positions = args.array<int32_t>(2, napi_int32_array, "positions", n);
  const int32_t* blocks = args.is_null(3) ? nullptr : args.array<int32_t>(3, napi_int32_array, "blocks", n);
  int64_t cells = 0;
  const int32_t* cell_pos = args.array_of_any_length<int32_t>(6, napi_int32_array, "cellPos", &cells);
  quire::KvLayer kv{
      args.array<uint16_t>(4, napi_uint16_array, "k", cells * kv_heads * hd, true),
      args.array<uint16_t>(5, napi_uint16_array, "v", cells * kv_heads * hd, true),
      cell_pos,
      args.array<int32_t>(7, napi_int32_array, "cellBlocks", cells, true),
      cells,
  };
  auto* out = args.array<float>(12, napi_float32_array, "out", n * heads * hd);
  const bool simd = args.boolean(13);
  if (!args.ok()) return nullptr;
  quire::attention(thread_pool(), q, n, positions, blocks, kv, {heads, kv_heads, hd, window}, out, simd);
  return nullptr;
}

napi_value SetThreads(napi_env env, napi_callback_info info) {
  Args args(env, info, "setThreads", 1);
  const int64_t n = args.integer(0, "n", 1, 256);
  if (!args.ok()) return nullptr;
  if (!pool || pool->size() != n) pool = std::make_unique<quire::ThreadPool>((int)n);
  return nullptr;
}

// allowAvx512(allowed: boolean)
napi_value AllowAvx512(napi_env env, napi_callback_info info) {
  Args args(env, info, "allowAvx512", 1);
  const bool allowed = args.boolean(0);
  if (!args.ok()) return nullptr;
  quire::allow_avx512(allowed);
  return nullptr;
}

napi_value Features(napi_env env, napi_callback_info) {
  const quire::CpuFeatures& f = quire::cpu_features();
  napi_value result, value;
  napi_create_object(env, &result);
  const std::pair<const char*, bool> flags[] = {{"avx2", f.avx2}, {"avx512", f.avx512}, {"avx512vnni", f.avx512vnni}, {"neonDot", f.neon_dot}};
  for (const auto& [name, on] : flags) {
    napi_get_boolean(env, on, &value);
    napi_set_named_property(env, result, name, value);
  }
  napi_create_uint32(env, std::thread::hardware_concurrency(), &value);
  napi_set_named_property(env, result, "hardwareThreads", value);
  napi_create_uint32(env, (uint32_t)quire::physical_cores(), &value);
  napi_set_named_property(env, result, "physicalCores", value);
  napi_create_uint32(env, (uint32_t)thread_pool().size(), &value);
  napi_set_named_property(env, result, "threads", value);
  return result;
}

napi_value Init(napi_env env, napi_value exports) {
  const napi_property_descriptor props[] = {
      {"mmapFile", nullptr, MmapFile, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"matmul", nullptr, Matmul, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"repack", nullptr, Repack, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"matmulRepacked", nullptr, MatmulRepacked, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"releasePages", nullptr, ReleasePages, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"rmsNorm", nullptr, RmsNorm, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"rope", nullptr, Rope, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"geglu", nullptr, Geglu, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"layerNorm", nullptr, LayerNorm, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"addRows", nullptr, AddRows, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"add", nullptr, Add, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"scale", nullptr, Scale, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"f32ToF16", nullptr, F32ToF16, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"attention", nullptr, Attention, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"setThreads", nullptr, SetThreads, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"features", nullptr, Features, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"allowAvx512", nullptr, AllowAvx512, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
