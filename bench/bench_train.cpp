// The fire-alarm demo's training time: the default network, the demo's kiln.toml settings (100 epochs, batch
// 32, one thread) on the demo project's training features, as `kiln train` runs it. Needs the demo project:
// run `scripts/demo` first (or point KILN_BENCH_PROJECT at another project). One iteration is one whole
// training.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "core/error.h"
#include "data/dataset.h"
#include "impulse/features.h"
#include "project/project.h"
#include "train/classifier.h"

namespace {

void train_demo(benchmark::State& state) {
  const char* env = std::getenv("KILN_BENCH_PROJECT");
  const std::filesystem::path dir = env ? env : KILN_BINARY_DIR "/demo/project";
  if (!std::filesystem::exists(dir / "kiln.toml")) {
    state.SkipWithError(("no project at " + dir.string() + ": run scripts/demo first").c_str());
    return;
  }
  kiln::ProjectPaths paths{dir};
  kiln::Impulse impulse = kiln::load_impulse(dir);
  kiln::Dataset dataset = kiln::Dataset::open(dir);
  const std::vector<kiln::SampleRecord> train = dataset.list(std::nullopt, "train");
  const std::vector<std::string> labels = dataset.labels();
  // No generation: read the cache, stage nothing (a benchmark must not change the project).
  kiln::FeatureTable t =
      kiln::dataset_features(dataset, train, impulse, paths.feature_cache(), nullptr, 2, nullptr);
  kiln::FeatureSet fs;
  fs.shape = t.shape;
  fs.x = t.values;
  for (const auto& w : t.windows) {
    fs.y.push_back(static_cast<int>(std::find(labels.begin(), labels.end(), w.label) - labels.begin()));
    fs.group.push_back(w.sample_id);
  }
  std::vector<kiln::LayerSpec> layers = impulse.learn.layers;
  if (layers.empty()) layers = kiln::default_audio_network();
  for (auto _ : state) {
    kiln::ClassifierModel model = kiln::train_classifier(fs, labels, layers, impulse.train, nullptr);
    benchmark::DoNotOptimize(model.weights.data());
  }
  state.counters["windows"] = static_cast<double>(fs.count());
  state.counters["epochs"] = impulse.train.epochs;
  state.counters["window_epochs_per_s"] = benchmark::Counter(
      static_cast<double>(fs.count()) * impulse.train.epochs, benchmark::Counter::kIsIterationInvariantRate);
}

// A project the benchmark cannot use (an older or newer kiln.toml, no libkiln_torch.so) is reported, not a
// crash.
void BM_TrainDemo(benchmark::State& state) {
  try {
    train_demo(state);
  } catch (const kiln::Error& e) {
    state.SkipWithError(e.what());
  }
}
BENCHMARK(BM_TrainDemo)->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
