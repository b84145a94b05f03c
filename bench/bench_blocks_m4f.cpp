// Cortex-M4F instructions per window of every processing block in the SDK's table, counted exactly under QEMU
// (mps2-an386, the counting plugin of tools/cortex-m), on the window bench/block_inputs.h gives each block.
// The device program runs the deployed path: the impulse runtime prepared once per block, then run_dsp (the
// block straight into an int8 input tensor), one warm-up window and one counted window. Host windows per
// second: bench_blocks. Needs the Arm toolchain and QEMU (scripts/bootstrap installs them).
//
//   cmake --build build --target bench_blocks_m4f && build/bin/bench_blocks_m4f
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "block_inputs.h"
#include "core/error.h"
#include "impulse/block_table.h"
#include "impulse/impulse.h"
#include "profile/cortex_m.h"

namespace fs = std::filesystem;
namespace rt = kiln::impulse;

namespace {

// What the device program needs per block, worked out on the host with the same runtime.
struct Plan {
  const rt::BlockSpec* block;
  kiln::bench::BlockInput input;
  std::vector<double> values;  // the block's parameters in table order
  std::size_t features;
  std::size_t scratch_s8;
  float scale;  // the int8 input's scale: the largest feature maps to 127
};

Plan plan_block(const rt::BlockSpec* block) {
  const kiln::bench::BlockInput in = kiln::bench::block_input(block->name);
  std::vector<double> values(static_cast<std::size_t>(block->param_count) + 1);
  kiln::bench::block_values(*block, in, values.data());
  const rt::Config config = {block, values.data(), in.frequency, in.axes, in.samples_per_axis};
  rt::Impulse imp;
  if (rt::prepare(config, nullptr, nullptr, 0, &imp) != rt::kOk)
    throw kiln::Error(std::string(block->name) + ": the benchmark window does not suit the block");
  std::vector<double> scratch(rt::scratch_bytes(imp) / sizeof(double) + 1);
  rt::prepare(config, nullptr, scratch.data(), scratch.size() * sizeof(double), &imp);
  std::vector<float> x(in.samples_per_axis * static_cast<std::size_t>(in.axes));
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = kiln::bench::block_sample(in.kind, i);
  std::vector<float> f(static_cast<std::size_t>(imp.shape.frames) *
                       static_cast<std::size_t>(imp.shape.values));
  kiln_float_array array = {x.data(), x.size()};
  if (rt::features(&imp, kiln_signal_from_array(&array), f.data(), f.size()) != rt::kOk)
    throw kiln::Error(std::string(block->name) + ": the block failed on the benchmark window");
  float peak = 0;
  for (float v : f) peak = std::max(peak, std::fabs(v));
  const std::size_t s8 =
      block->scratch_bytes_s8(imp.params.bytes, in.frequency, in.axes, in.samples_per_axis);
  return {block, in, values, f.size(), s8, peak > 0 ? peak / 127.0f : 1.0f};
}

std::string device_main(const std::vector<Plan>& plans) {
  std::size_t max_features = 1, max_scratch = 1;
  for (const Plan& p : plans) {
    max_features = std::max(max_features, p.features);
    max_scratch = std::max(max_scratch, p.scratch_s8);
  }
  std::ostringstream s;
  s.precision(9);
  s << R"(#include <stdio.h>
#include "block_inputs.h"
#include "impulse/block_table.h"
#include "impulse/impulse.h"
#include "kiln_markers.h"
namespace rt = kiln::impulse;
)";
  for (std::size_t i = 0; i < plans.size(); ++i) s << "KILN_DEFINE_MARKERS(b" << i << ");\n";
  s << "alignas(8) static unsigned char g_scratch[" << max_scratch << "];\n"
    << "static int8_t g_input[" << max_features << "];\n"
    << R"(static int8_t g_output[1];
static kiln::bench::InputKind g_kind;
static rt::Network g_network;
static rt::Impulse g_impulse;
static kiln_signal g_signal;
static void* input_data(void*) { return g_input; }
static const void* output_data(void*) { return g_output; }
static bool invoke(void*) { return true; }
static int read_signal(void*, size_t offset, size_t length, float* out) {
  for (size_t k = 0; k < length; ++k) out[k] = kiln::bench::block_sample(g_kind, offset + k);
  return 0;
}
// Prepares the block and runs one warm-up window; 0 on success.
static int prepare(const char* name, const double* values, size_t features, float scale) {
  const rt::BlockSpec* block = rt::find_block(name);
  if (!block) return 1;
  const kiln::bench::BlockInput in = kiln::bench::block_input(name);
  g_kind = in.kind;
  const rt::Network n = {{rt::kTensorInt8, features, scale, 0}, {rt::kTensorInt8, 1, 1.0f, 0}, 0,
                         input_data, output_data, invoke};
  g_network = n;
  const rt::Config config = {block, values, in.frequency, in.axes, in.samples_per_axis};
  if (rt::prepare(config, &g_network, g_scratch, sizeof g_scratch, &g_impulse) != rt::kOk) return 2;
  g_signal.total_length = in.samples_per_axis * static_cast<size_t>(in.axes);
  g_signal.get_data = read_signal;
  g_signal.ctx = 0;
  return rt::run_dsp(&g_impulse, g_signal) == rt::kOk ? 0 : 3;
}
int main() {
  int failed = 0;
)";
  for (std::size_t i = 0; i < plans.size(); ++i) {
    const Plan& p = plans[i];
    s << "  static const double values" << i << "[] = {";
    for (double v : p.values) s << v << ",";
    s << "};\n";
    s << "  if (prepare(\"" << p.block->name << "\", values" << i << ", " << p.features << ", " << p.scale
      << "f) != 0) return " << 10 + i << ";\n"
      << "  KILN_MARK_BEGIN(b" << i << ");\n  failed |= rt::run_dsp(&g_impulse, g_signal);\n  KILN_MARK_END(b"
      << i << ");\n";
  }
  s << "  printf(\"%s\\n\", failed ? \"failed\" : \"ok\");\n  return failed ? 2 : 0;\n}\n";
  return s.str();
}

int run() {
  std::string why;
  if (!kiln::profile::arm_toolchain_available(&why)) {
    std::fprintf(stderr, "bench_blocks_m4f: %s (scripts/bootstrap installs it)\n", why.c_str());
    return 1;
  }
  int count = 0;
  const rt::BlockSpec* const* all = rt::all_blocks(&count);
  std::vector<Plan> plans;
  for (int i = 0; i < count; ++i) plans.push_back(plan_block(all[i]));

  const fs::path sdk = fs::path(KILN_SOURCE_DIR) / "sdk";
  const fs::path work = fs::temp_directory_path() / "kiln-bench-blocks-m4f";
  fs::remove_all(work);
  fs::create_directories(work);
  kiln::profile::Program program;
  for (const char* dir : {"dsp", "impulse"}) {
    for (const auto& e : fs::directory_iterator(sdk / dir))
      if (e.path().extension() == ".cpp") program.sources.push_back(e.path());
  }
  {
    std::FILE* f = std::fopen((work / "main.cpp").c_str(), "w");
    const std::string text = device_main(plans);
    std::fwrite(text.data(), 1, text.size(), f);
    std::fclose(f);
  }
  program.sources.push_back(work / "main.cpp");
  program.include_dirs = {sdk, sdk / "include", fs::path(KILN_SOURCE_DIR) / "bench"};
  const kiln::profile::CortexM cpu = kiln::profile::cortex_m4f();
  const kiln::profile::Build build = kiln::profile::build_for(cpu, program, work);
  std::vector<std::string> regions;
  for (std::size_t i = 0; i < plans.size(); ++i) regions.push_back("b" + std::to_string(i));
  const kiln::profile::Run r = kiln::profile::run_on_qemu(cpu, build, regions);
  if (r.exit_status != 0 || r.output.find("ok") == std::string::npos) {
    std::fprintf(stderr, "bench_blocks_m4f: the device program failed (exit %d): %s%s\n", r.exit_status,
                 r.output.c_str(), r.diagnostics.c_str());
    return 1;
  }
  std::printf("%-18s %-28s %-10s %16s\n", "block", "window", "features", "M4F insns/window");
  for (std::size_t i = 0; i < plans.size(); ++i) {
    const Plan& p = plans[i];
    std::printf("%-18s %-28s %-10zu %16llu\n", p.block->name, p.input.what, p.features,
                static_cast<unsigned long long>(r.region_insns.at(regions[i])));
  }
  return 0;
}

}  // namespace

int main() {
  try {
    return run();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_blocks_m4f: %s\n", e.what());
    return 1;
  }
}
