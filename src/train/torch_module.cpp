// libkiln_torch.so's entry point: the table of torch_module.h over torch_classifier.cpp. Every exception
// becomes a status and a message here, so none crosses into kiln.
#include <exception>
#include <string>

#include "core/error.h"
#include "train/torch_classifier.h"
#include "train/torch_module.h"

namespace kiln {
namespace {

// Thrown through torch_train_classifier() when kiln's epoch callback asks to stop; caught below.
struct Stopped {};

template <typename F>
TorchStatus guarded(std::string* message, const F& f) {
  try {
    f();
    return TorchStatus::ok;
  } catch (const Stopped&) {
    *message = "training stopped by the epoch callback";
    return TorchStatus::stopped;
  } catch (const Error& e) {
    *message = e.what();
    return TorchStatus::error;
  } catch (const std::exception& e) {
    *message = e.what();
    return TorchStatus::internal_error;
  } catch (...) {
    *message = std::string("unknown exception in ") + kTorchModuleFile;
    return TorchStatus::internal_error;
  }
}

TorchStatus module_train(const FeatureSet& train, const std::vector<std::string>& labels,
                         const std::vector<LayerSpec>& layers, const TrainSettings& settings,
                         bool (*on_epoch)(const EpochStats&, void*), void* ctx, ClassifierModel* model,
                         std::string* message) {
  return guarded(message, [&] {
    *model = torch_train_classifier(train, labels, layers, settings, [&](const EpochStats& stats) {
      if (on_epoch && !on_epoch(stats, ctx)) throw Stopped{};
    });
  });
}

TorchStatus module_predict(const ClassifierModel& model, const float* x, std::size_t count,
                           std::vector<float>* scores, std::string* message) {
  return guarded(message, [&] { *scores = torch_predict(model, x, count); });
}

}  // namespace
}  // namespace kiln

// The one symbol the module exports. A kiln asking for another interface version gets nullptr: the table's
// layout may differ, so it must not be read.
extern "C" __attribute__((visibility("default"))) const kiln::TorchModuleApi* kiln_torch_api(int abi) {
  static const kiln::TorchModuleApi api = {kiln::kTorchModuleAbi, KILN_VERSION, kiln::torch_module_layout(),
                                           kiln::module_train, kiln::module_predict};
  return abi == kiln::kTorchModuleAbi ? &api : nullptr;
}
