#include "cli/session.h"

#include <thread>

#include "cli/progress.h"

namespace kiln::cli {

Session open_session(const Context& ctx) {
  ProjectPaths paths{ctx.project_dir};
  Impulse impulse = load_impulse(paths.dir);
  return Session{paths, impulse, Dataset::open(paths.dir)};
}

int feature_threads() {
  unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : static_cast<int>(n);
}

FeatureTable split_features(const Session& s, const std::string& category, const Context& ctx,
                            FeatureStats* stats) {
  std::vector<SampleRecord> samples;
  for (const auto& r : s.dataset.list()) {
    if (category == "all" || r.category == category) samples.push_back(r);
  }
  Progress bar("features " + category, samples.size(), ctx.quiet);
  FeatureTable t = dataset_features(
      s.dataset, samples, s.impulse, s.paths.feature_cache(), feature_threads(),
      [&](std::size_t done, std::size_t) { bar.set(done); }, stats);
  bar.finish();
  return t;
}

}  // namespace kiln::cli
