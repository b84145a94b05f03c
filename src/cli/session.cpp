#include "cli/session.h"

#include <cstdlib>
#include <thread>

#include "cli/progress.h"
#include "core/error.h"

namespace kiln::cli {

WriteSession open_write_session(const Context& ctx, std::string_view command, bool update_dataset) {
  const ProjectPaths paths{ctx.project_dir};
  require_project(paths.dir);  // before any lock: a mistyped -C creates nothing
  auto lock = std::make_unique<WriteLock>(paths.dir, command);
  auto generation = std::make_unique<Generation>(paths.dir);
  Impulse impulse = load_impulse(paths.dir);
  Dataset dataset =
      update_dataset ? Dataset::open_for_update(paths.dir, *generation) : Dataset::open(paths.dir);
  return WriteSession{std::move(lock), std::move(generation), paths, std::move(impulse), std::move(dataset)};
}

ReadSession open_read_session(const Context& ctx) {
  const ProjectPaths paths{ctx.project_dir};
  require_project(paths.dir);  // before any lock: a mistyped -C creates nothing
  auto lock = std::make_unique<ReadLock>(paths.dir);
  Impulse impulse = load_impulse(paths.dir);
  return ReadSession{std::move(lock), paths, std::move(impulse), Dataset::open(paths.dir)};
}

int feature_threads() {
  if (const char* env = std::getenv("KILN_THREADS")) {
    char* end = nullptr;
    const long n = std::strtol(env, &end, 10);
    if (end == env || *end != '\0' || n < 1 || n > 1024) {
      throw Error(std::string("KILN_THREADS=") + env + ": expected a number of threads from 1 to 1024");
    }
    return static_cast<int>(n);
  }
  unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : static_cast<int>(n);
}

FeatureTable split_features(const WriteSession& s, const std::string& category, const Context& ctx,
                            FeatureStats* stats) {
  std::vector<SampleRecord> samples;
  for (const auto& r : s.dataset.list()) {
    if (category == "all" || r.category == category) samples.push_back(r);
  }
  Progress bar("features " + category, samples.size(), ctx.quiet);
  FeatureTable t = dataset_features(
      s.dataset, samples, s.impulse, s.paths.feature_cache(), s.generation.get(), feature_threads(),
      [&](std::size_t done, std::size_t) { bar.set(done); }, stats);
  bar.finish();
  return t;
}

}  // namespace kiln::cli
