// The boundary between kiln and libkiln_torch.so, the module that holds libtorch. Loading libtorch costs
// about 0.5 s and 160 MB, so the kiln binary does not link it: train_classifier() and predict()
// (classifier.h) load the module on first use and call through the table below. Every other command starts
// without it.
//
// Both sides are built from the same tree by the same compiler, so the table passes C++ types; what it does
// not pass is exceptions. The module catches everything and returns a status and a message, and kiln's epoch
// callback reports its own exception by returning false (kiln then rethrows it), so no exception crosses the
// boundary and neither side depends on the other's type_info.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "train/classifier.h"

namespace kiln {

// Bump when the table or a type passed through it (FeatureSet, TrainSettings, LayerSpec, ClassifierModel,
// EpochStats) changes. torch_module_layout() catches most forgotten bumps.
//   1: first version.  2: TrainSettings::class_weights.
constexpr int kTorchModuleAbi = 2;

constexpr const char* kTorchModuleFile = "libkiln_torch.so";
constexpr const char* kTorchModuleEntry = "kiln_torch_api";  // extern "C" const TorchModuleApi* (int abi)

enum class TorchStatus : int {
  ok = 0,
  error = 1,           // a kiln::Error: *message is for the user
  internal_error = 2,  // anything else (a bug, out of memory): *message says what
  stopped = 3,         // on_epoch returned false
};

struct TorchModuleApi {
  int abi;                   // kTorchModuleAbi as the module was built
  const char* kiln_version;  // the kiln version it was built with
  std::size_t layout;        // torch_module_layout() as the module computed it
  // train_classifier() of classifier.h. on_epoch(stats, ctx) is called after every epoch; returning false
  // stops training with TorchStatus::stopped.
  TorchStatus (*train)(const FeatureSet& train, const std::vector<std::string>& labels,
                       const std::vector<LayerSpec>& layers, const TrainSettings& settings,
                       bool (*on_epoch)(const EpochStats& stats, void* ctx), void* ctx,
                       ClassifierModel* model, std::string* message);
  // predict() of classifier.h.
  TorchStatus (*predict)(const ClassifierModel& model, const float* x, std::size_t count,
                         std::vector<float>* scores, std::string* message);
};

// The sizes of the types passed through the table, mixed into one number: a module built from other headers
// almost surely gives another one.
constexpr std::size_t torch_module_layout() {
  std::size_t h = 0;
  for (std::size_t s : {sizeof(FeatureSet), sizeof(TrainSettings), sizeof(LayerSpec), sizeof(ClassifierModel),
                        sizeof(EpochStats), sizeof(LayerWeights), sizeof(TorchModuleApi)}) {
    h = h * 1000003u + s;
  }
  return h;
}

// The running executable (/proc/self/exe).
std::filesystem::path running_executable();

// Where the module is: $KILN_TORCH_MODULE when set, else the first that exists of
// <dir of the executable>/../lib/kiln/libkiln_torch.so (an installed kiln, and the build tree) and
// <dir of the executable>/libkiln_torch.so. Throws kiln::Error naming the places it looked.
std::filesystem::path find_torch_module(const std::filesystem::path& executable = running_executable());

// Loads the module at `path` (RTLD_NOW | RTLD_LOCAL; never unloaded) and checks that it was built for this
// kiln. Throws kiln::Error with the reason (dlerror's text, a missing entry point, a version mismatch).
const TorchModuleApi& load_torch_module(const std::filesystem::path& path);

// The process's module: find_torch_module() + load_torch_module() on the first call, thread-safe. A failed
// load throws and is retried by the next call.
const TorchModuleApi& torch_module();

}  // namespace kiln
