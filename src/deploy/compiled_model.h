// The "compiled" engine of `kiln deploy`: turns a .tflite model into one plain C++11 source file,
// kiln_model.cpp, that calls the sdk/nn kernels directly. Every operator is prepared at export time by the
// very code the interpreter runs at start-up (sdk/nn/op_table.h), and its call struct (dimensions,
// requantization multipliers, activation bounds) is printed as a constant for the same kernel eval the
// interpreter calls, so both engines compute identical bytes.
// Activations live at arena offsets planned at export time (deploy/overlap_plan.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace kiln::deploy {

struct CompiledModel {
  std::string source;                  // contents of kiln_model.cpp (C++11), implementing kiln_model.h
  std::size_t arena_bytes = 0;         // activation arena the generated code needs (no bookkeeping at all)
  std::size_t weight_bytes = 0;        // bytes of const data (weights, biases, multipliers) emitted
  std::size_t input_offset = 0;        // where the input tensor starts in the arena
  std::vector<std::string> sdk_files;  // sdk files the generated code needs, relative to sdk/
  std::vector<std::string> operators;  // builtin op names used, in graph order, for the report
};

// Throws kiln::Error with a message naming `name` and the first unsupported operator/tensor.
CompiledModel compile_model(const std::vector<std::uint8_t>& tflite, const std::string& name);

}  // namespace kiln::deploy
