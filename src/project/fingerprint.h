// What a model was made for: every setting that shapes its input (window length, sample rate, axes, or an
// image input's width, height and resize mode; the DSP block, its version and each of its parameters) and its
// output (the labels, in output order). `kiln train` and `kiln import` store it with the model; `classify`,
// `test`, `deploy` and `profile` compare it with the project as it is now and refuse a model that no longer
// fits, naming the setting that changed.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "project/impulse.h"

namespace kiln {

nlohmann::json model_fingerprint(const Impulse& impulse, const std::vector<std::string>& labels);

// "" when `now` matches `recorded`; else the first difference, in kiln.toml's terms, e.g.
// "[dsp] noise_floor_db was -52 when the model was made, kiln.toml now says -30" or
// "the dataset has label 'siren' that the model was not trained on".
std::string fingerprint_change(const nlohmann::json& recorded, const nlohmann::json& now);

}  // namespace kiln
