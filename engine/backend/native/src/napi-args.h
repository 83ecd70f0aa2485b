// Argument checking for the N-API entry points: every buffer's type and length is checked before native code
// touches it, and a bad call throws a JavaScript error naming the argument instead of reading out of bounds.
#pragma once
#include <node_api.h>

#include <cstdint>
#include <string>

namespace quire {

class Args {
 public:
  Args(napi_env env, napi_callback_info info, const char* fn, size_t expected) : env_(env), fn_(fn) {
    size_t argc = 16;
    napi_get_cb_info(env, info, &argc, argv_, nullptr, nullptr);
    if (argc != expected) fail(std::string("takes ") + std::to_string(expected) + " arguments, got " + std::to_string(argc));
  }
  bool ok() const { return ok_; }
  napi_value fail(const std::string& message) {
    if (ok_) napi_throw_error(env_, nullptr, (std::string(fn_) + ": " + message).c_str());
    ok_ = false;
    return nullptr;
  }

  int64_t integer(size_t i, const char* name, int64_t min, int64_t max) {
    int64_t v = 0;
    if (ok_ && (napi_get_value_int64(env_, argv_[i], &v) != napi_ok || v < min || v > max)) {
      fail(std::string(name) + " must be an integer in " + std::to_string(min) + "…" + std::to_string(max));
    }
    return v;
  }
  double number(size_t i, const char* name) {
    double v = 0;
    if (ok_ && napi_get_value_double(env_, argv_[i], &v) != napi_ok) fail(std::string(name) + " must be a number");
    return v;
  }
  bool boolean(size_t i) {
    bool v = true;
    if (ok_) napi_get_value_bool(env_, argv_[i], &v);
    return v;
  }
  bool is_null(size_t i) {
    napi_valuetype t;
    napi_typeof(env_, argv_[i], &t);
    return t == napi_null || t == napi_undefined;
  }
  // A typed array of the given element type, of any length (written to *count).
  template <typename T>
  T* array_of_any_length(size_t i, napi_typedarray_type want, const char* name, int64_t* count) {
    if (!ok_) return nullptr;
    bool is_typed = false;
    napi_is_typedarray(env_, argv_[i], &is_typed);
    napi_typedarray_type type;
    size_t length = 0, offset = 0;
    void* data = nullptr;
    napi_value buffer;
    if (!is_typed || napi_get_typedarray_info(env_, argv_[i], &type, &length, &data, &buffer, &offset) != napi_ok || type != want) {
      fail(std::string(name) + " has the wrong type");
      return nullptr;
    }
    *count = (int64_t)length;
    return static_cast<T*>(data);
  }
  // A typed array of the given element type with exactly `length` elements (or at least, when at_least is set).
  template <typename T>
  T* array(size_t i, napi_typedarray_type want, const char* name, int64_t length, bool at_least = false) {
    int64_t count = 0;
    T* data = array_of_any_length<T>(i, want, name, &count);
    if (data && (at_least ? count < length : count != length)) {
      fail(std::string(name) + " has the wrong size: " + std::to_string(count) + " elements, expected " + std::to_string(length));
      return nullptr;
    }
    return data;
  }
  // A Float32Array of whole rows of `row_length` values (written to *count).
  float* rows(size_t i, const char* name, int64_t row_length, int64_t* count) {
    float* data = array_of_any_length<float>(i, napi_float32_array, name, count);
    if (data && *count % row_length != 0) {
      fail(std::string(name) + " must be a Float32Array of whole rows");
      return nullptr;
    }
    return data;
  }
  napi_value at(size_t i) const { return argv_[i]; }

 private:
  napi_env env_;
  const char* fn_;
  napi_value argv_[16] = {};
  bool ok_ = true;
};

}  // namespace quire
