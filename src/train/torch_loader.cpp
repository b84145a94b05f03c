// kiln's side of the torch module boundary (torch_module.h): find and load libkiln_torch.so, and implement
// train_classifier() and predict() by calling through its table. Torch-free.
#include <dlfcn.h>

#include <cstdlib>
#include <exception>
#include <stdexcept>
#include <system_error>

#include "core/error.h"
#include "train/classifier.h"
#include "train/torch_module.h"

namespace kiln {

namespace {

// Turns the module's status back into what the in-process call would have thrown.
void rethrow(TorchStatus status, const std::string& message) {
  switch (status) {
    case TorchStatus::ok:
      return;
    case TorchStatus::error:
      throw Error(message);
    default:
      throw std::runtime_error(message);
  }
}

// Calls the caller's std::function; an exception it throws is kept for the caller and stops training.
struct EpochCallback {
  const std::function<void(const EpochStats&)>* on_epoch = nullptr;
  std::exception_ptr error;
};

bool call_on_epoch(const EpochStats& stats, void* ctx) {
  auto* cb = static_cast<EpochCallback*>(ctx);
  try {
    if (*cb->on_epoch) (*cb->on_epoch)(stats);
    return true;
  } catch (...) {
    cb->error = std::current_exception();
    return false;
  }
}

}  // namespace

std::filesystem::path running_executable() {
  std::error_code ec;
  std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) {
    throw Error(std::string(kTorchModuleFile) + ": cannot find the running executable (/proc/self/exe: " +
                ec.message() + "); set KILN_TORCH_MODULE to the module's path");
  }
  return exe;
}

std::filesystem::path find_torch_module(const std::filesystem::path& executable) {
  if (const char* env = std::getenv("KILN_TORCH_MODULE"); env && *env) {
    if (!std::filesystem::exists(env)) {
      throw Error(std::string(env) + ": no such file (KILN_TORCH_MODULE); `kiln train` needs " +
                  kTorchModuleFile);
    }
    // Absolute: dlopen() searches the library path, not the current directory, for a name without a slash.
    return std::filesystem::absolute(env);
  }
  const std::filesystem::path dir = executable.parent_path();
  const std::filesystem::path candidates[] = {
      (dir / ".." / "lib" / "kiln" / kTorchModuleFile).lexically_normal(), dir / kTorchModuleFile};
  for (const auto& p : candidates) {
    if (std::filesystem::exists(p)) return p;
  }
  throw Error(std::string(kTorchModuleFile) + ": not found next to " + executable.filename().string() +
              " (looked in " + candidates[0].parent_path().string() + " and " + dir.string() +
              "; KILN_TORCH_MODULE is unset); `kiln train` needs it");
}

const TorchModuleApi& load_torch_module(const std::filesystem::path& path) {
  // RTLD_LOCAL: libtorch's many symbols stay out of kiln's namespace. RTLD_NOW: a missing symbol fails here,
  // with dlerror's text, instead of crashing in the middle of training.
  void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    // dlerror() usually starts with the path again: "<path>: cannot open shared object file: ...".
    const char* text = ::dlerror();
    std::string why = text ? text : "unknown reason";
    if (why.rfind(path.string() + ": ", 0) == 0) why.erase(0, path.string().size() + 2);
    throw Error(path.string() + ": cannot load the training module (" + why + ")");
  }
  using Entry = const TorchModuleApi* (*)(int);
  auto entry = reinterpret_cast<Entry>(::dlsym(handle, kTorchModuleEntry));
  if (!entry) {
    throw Error(path.string() + ": not a kiln training module (it has no " + kTorchModuleEntry + ")");
  }
  const TorchModuleApi* api = entry(kTorchModuleAbi);
  const std::string rebuild =
      "; rebuild or reinstall kiln and " + std::string(kTorchModuleFile) + " together";
  if (!api) {
    throw Error(path.string() + ": built for another kiln (its interface is not version " +
                std::to_string(kTorchModuleAbi) + ")" + rebuild);
  }
  if (api->abi != kTorchModuleAbi || std::string(api->kiln_version) != KILN_VERSION ||
      api->layout != torch_module_layout() || !api->train || !api->predict) {
    throw Error(path.string() + ": built for kiln " + api->kiln_version + " (interface " +
                std::to_string(api->abi) + "), this is kiln " + KILN_VERSION + " (interface " +
                std::to_string(kTorchModuleAbi) + ")" +
                (api->layout != torch_module_layout() ? " with other data layouts" : "") + rebuild);
  }
  return *api;
}

const TorchModuleApi& torch_module() {
  static const TorchModuleApi& api = load_torch_module(find_torch_module());
  return api;
}

ClassifierModel train_classifier(const FeatureSet& train, const std::vector<std::string>& labels,
                                 const std::vector<LayerSpec>& layers, const TrainSettings& settings,
                                 const std::function<void(const EpochStats&)>& on_epoch) {
  const TorchModuleApi& api = torch_module();
  EpochCallback cb{&on_epoch, nullptr};
  ClassifierModel model;
  std::string message;
  TorchStatus status = api.train(train, labels, layers, settings, call_on_epoch, &cb, &model, &message);
  if (status == TorchStatus::stopped && cb.error) std::rethrow_exception(cb.error);
  rethrow(status, message);
  return model;
}

std::vector<float> predict(const ClassifierModel& model, const float* x, std::size_t count) {
  const TorchModuleApi& api = torch_module();
  std::vector<float> scores;
  std::string message;
  rethrow(api.predict(model, x, count, &scores, &message), message);
  return scores;
}

}  // namespace kiln
