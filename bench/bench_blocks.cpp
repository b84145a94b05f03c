// Host windows per second of every processing block in the SDK's table, through the impulse runtime exactly
// as `kiln features` runs it (prepared once, float features), on the window bench/block_inputs.h gives each
// block. items_per_second = windows per second. The Cortex-M4F figures: bench_blocks_m4f.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "block_inputs.h"
#include "impulse/block_table.h"
#include "impulse/impulse.h"

namespace {

namespace rt = kiln::impulse;

void run_block(benchmark::State& state, const rt::BlockSpec* block) {
  const kiln::bench::BlockInput in = kiln::bench::block_input(block->name);
  std::vector<float> x(in.samples_per_axis * static_cast<std::size_t>(in.axes));
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = kiln::bench::block_sample(in.kind, i);
  std::vector<double> values(static_cast<std::size_t>(block->param_count) + 1);
  kiln::bench::block_values(*block, in, values.data());
  const rt::Config config = {block, values.data(), in.frequency, in.axes, in.samples_per_axis};
  rt::Impulse imp;
  if (rt::prepare(config, nullptr, nullptr, 0, &imp) != rt::kOk) {
    state.SkipWithError("prepare failed");
    return;
  }
  std::vector<double> scratch(rt::scratch_bytes(imp) / sizeof(double) + 1);
  rt::prepare(config, nullptr, scratch.data(), scratch.size() * sizeof(double), &imp);
  std::vector<float> out(static_cast<std::size_t>(imp.shape.frames) *
                         static_cast<std::size_t>(imp.shape.values));
  kiln_float_array array = {x.data(), x.size()};
  const kiln_signal signal = kiln_signal_from_array(&array);
  for (auto _ : state) {
    if (rt::features(&imp, signal, out.data(), out.size()) != rt::kOk) {
      state.SkipWithError("features failed");
      break;
    }
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(std::string(in.what) + " -> " + std::to_string(imp.shape.frames) + "x" +
                 std::to_string(imp.shape.values));
}

const bool kRegistered = [] {
  int count = 0;
  const rt::BlockSpec* const* all = rt::all_blocks(&count);
  for (int i = 0; i < count; ++i)
    benchmark::RegisterBenchmark((std::string("BM_Block/") + all[i]->name).c_str(), run_block, all[i]);
  return true;
}();

}  // namespace

BENCHMARK_MAIN();
