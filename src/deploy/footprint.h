// The footprint and speed report of an exported library: cross-compiled for a Cortex-M4F and run under QEMU
// (mps2-an386) with an instruction-counting plugin. Flash splits into code and model (weights or .tflite
// bytes); RAM into the static arena, other static data and the peak stack; instructions into the DSP block
// and the network, counted over one steady-state inference on a fixed synthetic window.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "deploy/library_writer.h"

namespace kiln::deploy {

struct Footprint {
  bool measured = false;
  std::string why_not;          // when not measured: no Arm toolchain, ...
  std::size_t code = 0;         // flash: library code (text) without the model
  std::size_t model = 0;        // flash: weights/tables of the generated model, or the embedded .tflite
  std::size_t const_data = 0;   // flash: other read-only data of the library (DSP tables, strings)
  std::size_t static_ram = 0;   // RAM: .data + .bss of the library, the arena included
  std::size_t stack_peak = 0;   // RAM: deepest stack during the inference
  std::uint64_t dsp_insns = 0;  // Cortex-M4F instructions of the DSP block for one window
  std::uint64_t nn_insns = 0;   // ... of the network
};

// Builds `library` (cpp or arduino layout) with the Arm toolchain in work_dir and measures it. Returns
// measured = false with why_not when the toolchain or QEMU is not installed; throws kiln::Error when the
// library does not compile or fails on the device.
Footprint measure_footprint(const Library& library, const std::filesystem::path& work_dir);

// One column per library: flash, RAM and instructions, side by side.
std::string footprint_table(const std::vector<const Library*>& libraries,
                            const std::vector<Footprint>& prints);

}  // namespace kiln::deploy
