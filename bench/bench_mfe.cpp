// MFE throughput: windows per second (items_per_second) with Studio's default parameters at 16 kHz, for 1 s
// and 2 s windows. "Sdk" reuses one scratch block (the device path); "Host" goes through run_dsp_block, which
// validates and allocates per call (the training-feature path). Also the real FFT alone, per transform.
#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "dsp/fft.h"
#include "dsp/mfe.h"
#include "impulse/impulse_runner.h"

namespace {

std::vector<float> audio(std::size_t n) {
  std::mt19937 rng(1);
  std::uniform_int_distribution<int> pcm(-20000, 20000);
  std::vector<float> x(n);
  for (float& v : x) v = static_cast<float>(pcm(rng));
  return x;
}

void BM_MfeSdk(benchmark::State& state) {
  const std::vector<float> x = audio(static_cast<std::size_t>(state.range(0)));
  const kiln::dsp::MfeParams p = kiln::dsp::mfe_default_params(16000);
  std::vector<unsigned char> scratch(kiln::dsp::mfe_scratch_bytes(p));
  kiln::dsp::MfeShape shape;
  kiln::dsp::mfe_output_shape(p, x.size(), &shape);
  std::vector<float> out(static_cast<std::size_t>(shape.frames) * static_cast<std::size_t>(shape.values));
  kiln_float_array array = {x.data(), x.size()};
  const kiln_signal signal = kiln_signal_from_array(&array);
  for (auto _ : state) {
    if (kiln::dsp::mfe_run(p, signal, scratch.data(), scratch.size(), out.data(), out.size()) !=
        kiln::dsp::kOk) {
      state.SkipWithError("mfe_run failed");
      break;
    }
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(std::to_string(shape.frames) + "x" + std::to_string(shape.values) + " per window");
}
BENCHMARK(BM_MfeSdk)->Arg(16000)->Arg(32000);

void BM_MfeHost(benchmark::State& state) {
  const std::vector<float> x = audio(static_cast<std::size_t>(state.range(0)));
  const std::map<std::string, double> params = kiln::dsp_default_params("mfe");
  for (auto _ : state) {
    std::vector<float> out = kiln::run_dsp_block("mfe", "ei-4", params, 16000, 1, x);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_MfeHost)->Arg(16000)->Arg(32000);

void BM_Rfft(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  std::vector<unsigned char> memory(kiln::dsp::rfft_scratch_bytes(n));
  kiln::dsp::RfftPlan plan;
  kiln::dsp::rfft_init(&plan, n, memory.data(), memory.size());
  const std::vector<float> x = audio(static_cast<std::size_t>(n));
  std::vector<float> out(static_cast<std::size_t>(n) + 2);
  for (auto _ : state) {
    kiln::dsp::rfft(plan, x.data(), out.data());
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Rfft)->RangeMultiplier(4)->Range(64, 4096);

}  // namespace

BENCHMARK_MAIN();
