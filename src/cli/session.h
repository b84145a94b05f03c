// What most commands start with: the project's paths, its impulse (validated kiln.toml) and its dataset, plus
// the features of one split with a progress bar.
#pragma once

#include <string>

#include "cli/context.h"
#include "data/dataset.h"
#include "impulse/features.h"
#include "project/project.h"

namespace kiln::cli {

struct Session {
  ProjectPaths paths;
  Impulse impulse;
  Dataset dataset;
};

Session open_session(const Context& ctx);

// Features of every window of the samples in `category` ("train", "test" or "all"), from the cache when
// possible.
FeatureTable split_features(const Session& s, const std::string& category, const Context& ctx,
                            FeatureStats* stats = nullptr);

// Worker threads for feature extraction: the machine's cores, at least 1.
int feature_threads();

}  // namespace kiln::cli
