// N-API entry points. N-API is ABI-stable, so one build serves Node and Electron.
#include <node_api.h>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <memory>
#include <string>
#include <thread>

#include "matmul.h"

namespace {

std::unique_ptr<quire::ThreadPool> pool;

napi_value throw_error(napi_env env, const std::string& message) {
  napi_throw_error(env, nullptr, message.c_str());
  return nullptr;
}

bool get_args(napi_env env, napi_callback_info info, size_t expected, napi_value* args) {
  size_t argc = expected;
  napi_get_cb_info(env, info, &argc, args, nullptr, nullptr);
  return argc == expected;
}

bool typed_array(napi_env env, napi_value value, napi_typedarray_type want, void** data, size_t* length) {
  bool is_typed = false;
  napi_is_typedarray(env, value, &is_typed);
  if (!is_typed) return false;
  napi_typedarray_type type;
  napi_value buffer;
  size_t offset;
  napi_get_typedarray_info(env, value, &type, length, data, &buffer, &offset);
  return type == want;
}

int64_t get_int(napi_env env, napi_value value) {
  int64_t v = 0;
  napi_get_value_int64(env, value, &v);
  return v;
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

// mmapFile(path) → ArrayBuffer over the whole file, read-only, unmapped when collected.
napi_value MmapFile(napi_env env, napi_callback_info info) {
  napi_value args[1];
  if (!get_args(env, info, 1, args)) return throw_error(env, "mmapFile(path) takes one argument");
  char path[4096];
  size_t length = 0;
  if (napi_get_value_string_utf8(env, args[0], path, sizeof path, &length) != napi_ok) return throw_error(env, "mmapFile: path must be a string");
  const int fd = open(path, O_RDONLY);
  if (fd < 0) return throw_error(env, std::string("cannot open ") + path);
  struct stat st;
  if (fstat(fd, &st) != 0 || st.st_size == 0) {
    close(fd);
    return throw_error(env, std::string("cannot map an empty or unreadable file: ") + path);
  }
  void* address = mmap(nullptr, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
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

// matmul(w: Uint8Array, type, k, rows, x: Float32Array, n, out: Float32Array, allowSimd: boolean)
napi_value Matmul(napi_env env, napi_callback_info info) {
  napi_value args[8];
  if (!get_args(env, info, 8, args)) return throw_error(env, "matmul takes 8 arguments");
  void* w = nullptr;
  void* x = nullptr;
  void* out = nullptr;
  size_t w_len = 0, x_len = 0, out_len = 0;
  if (!typed_array(env, args[0], napi_uint8_array, &w, &w_len)) return throw_error(env, "matmul: w must be a Uint8Array");
  if (!typed_array(env, args[4], napi_float32_array, &x, &x_len)) return throw_error(env, "matmul: x must be a Float32Array");
  if (!typed_array(env, args[6], napi_float32_array, &out, &out_len)) return throw_error(env, "matmul: out must be a Float32Array");
  const int type = (int)get_int(env, args[1]);
  const int64_t k = get_int(env, args[2]), rows = get_int(env, args[3]), n = get_int(env, args[5]);
  bool allow_simd = true;
  napi_get_value_bool(env, args[7], &allow_simd);
  if (!quire::matmul_supported(type)) return throw_error(env, "matmul: unsupported weight type " + std::to_string(type));
  const int64_t block_bytes = type == quire::TYPE_Q4_0 ? 18 : 34;
  if (k <= 0 || k % 32 != 0 || rows <= 0 || n <= 0) return throw_error(env, "matmul: bad shape");
  if ((int64_t)w_len != rows * (k / 32) * block_bytes) return throw_error(env, "matmul: w has the wrong size for its shape");
  if ((int64_t)x_len != n * k || (int64_t)out_len != n * rows) return throw_error(env, "matmul: x or out has the wrong size");
  if (!pool) pool = std::make_unique<quire::ThreadPool>(1);
  quire::matmul(*pool, type, static_cast<const uint8_t*>(w), k, rows, static_cast<const float*>(x), n, static_cast<float*>(out), allow_simd);
  return nullptr;
}

napi_value SetThreads(napi_env env, napi_callback_info info) {
  napi_value args[1];
  if (!get_args(env, info, 1, args)) return throw_error(env, "setThreads(n) takes one argument");
  const int64_t n = get_int(env, args[0]);
  if (n < 1 || n > 256) return throw_error(env, "setThreads: n must be 1–256");
  if (!pool || pool->size() != n) pool = std::make_unique<quire::ThreadPool>((int)n);
  return nullptr;
}

napi_value Features(napi_env env, napi_callback_info) {
  const quire::CpuFeatures f = quire::cpu_features();
  napi_value result, value;
  napi_create_object(env, &result);
  napi_get_boolean(env, f.avx2 && f.fma && f.f16c, &value);
  napi_set_named_property(env, result, "avx2", value);
  napi_create_uint32(env, std::thread::hardware_concurrency(), &value);
  napi_set_named_property(env, result, "hardwareThreads", value);
  return result;
}

napi_value Init(napi_env env, napi_value exports) {
  const napi_property_descriptor props[] = {
      {"mmapFile", nullptr, MmapFile, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"matmul", nullptr, Matmul, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"setThreads", nullptr, SetThreads, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"features", nullptr, Features, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
