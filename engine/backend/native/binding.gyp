{
  "targets": [
    {
      "target_name": "quire_native",
      "sources": ["src/addon.cc", "src/activation.cc", "src/attention.cc", "src/attention-dense.cc", "src/float-kernels-avx2.cc", "src/float-kernels-avx512.cc", "src/cpu.cc", "src/dot-avx2.cc", "src/dot-float-avx2.cc", "src/dot-kquant-avx2.cc", "src/dot-neon.cc", "src/dot-scalar.cc", "src/gemm-vnni.cc", "src/gemv-vnni.cc", "src/matmul.cc", "src/ops.cc", "src/q4-rows8.cc", "src/softmax-f16.cc", "src/thread-pool.cc"],
      "cflags_cc": ["-O3", "-std=c++17", "-ffp-contract=off", "-fno-exceptions", "-Wall", "-Wextra"],
      "cflags_cc!": ["-fno-rtti"],
      "xcode_settings": { "OTHER_CPLUSPLUSFLAGS": ["-O3", "-std=c++17"] },
      "msvs_settings": { "VCCLCompilerTool": { "AdditionalOptions": ["/O2", "/std:c++17"] } }
    }
  ]
}
