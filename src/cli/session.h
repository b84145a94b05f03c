// What most commands start with: the project's paths, its impulse (validated kiln.toml), its dataset and
// the locks and generation (core/project_state.h, core/generation.h) that keep the project whole.
//
// A command that writes opens a WriteSession: it holds the project's write lock for its whole run, stages
// every file it writes in `generation`, and publishes it once at the end, so a failure or a kill leaves the
// project as it was. A command that only reads opens a ReadSession.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "cli/context.h"
#include "core/generation.h"
#include "core/project_state.h"
#include "data/dataset.h"
#include "impulse/features.h"
#include "project/project.h"

namespace kiln::cli {

struct WriteSession {
  // Declaration order is destruction order reversed: the dataset goes first, the lock last.
  std::unique_ptr<WriteLock> lock;
  std::unique_ptr<Generation> generation;
  ProjectPaths paths;
  Impulse impulse;
  Dataset dataset;  // read-only view unless opened with `update_dataset`
};

// `command` names the command in the message another command gets while this one runs. With
// `update_dataset`, the dataset's changes are staged in the generation too.
WriteSession open_write_session(const Context& ctx, std::string_view command, bool update_dataset = false);

struct ReadSession {
  std::unique_ptr<ReadLock> lock;
  ProjectPaths paths;
  Impulse impulse;
  Dataset dataset;
};
ReadSession open_read_session(const Context& ctx);

// Features of every window of the samples in `category` ("train", "test" or "all"), from the cache when
// possible (new cache entries are staged in the session's generation).
FeatureTable split_features(const WriteSession& s, const std::string& category, const Context& ctx,
                            FeatureStats* stats = nullptr);

// Worker threads for feature extraction: the environment's KILN_THREADS, else the machine's cores.
int feature_threads();

}  // namespace kiln::cli
