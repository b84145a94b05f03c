// Inside libkiln_torch.so only: the libtorch implementations behind train_classifier() and predict(), whose
// contracts classifier.h documents. kiln reaches them through the module's table (torch_module.h).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "train/classifier.h"

namespace kiln {

ClassifierModel torch_train_classifier(const FeatureSet& train, const std::vector<std::string>& labels,
                                       const std::vector<LayerSpec>& layers, const TrainSettings& settings,
                                       const std::function<void(const EpochStats&)>& on_epoch);

std::vector<float> torch_predict(const ClassifierModel& model, const float* x, std::size_t count);

}  // namespace kiln
