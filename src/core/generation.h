// The one way a command changes a project's files: as a generation. Everything the command writes (and
// deletes) is staged in DIR/.kiln/staging/<id>/ while it works; publish() then makes the whole set current:
//
//   1. syncfs, so the staged bytes are on disk before anything points at them;
//   2. the COMMIT record (the list of moves and deletions) is written atomically: from here on the
//      generation will happen, even if the process dies;
//   3. each staged file is renamed onto its target, each deletion done, the directories fsynced;
//   4. the staging folder is removed.
//
// A command killed before 2 leaves an uncommitted folder, which the next command deletes: the project is the
// old generation. Killed after 2, the next command replays 3 and 4: the new generation. Readers hold the
// shared publish lock (project_state.h) while they load files that belong together, and publish() holds it
// exclusively, so a reader sees the old set or the new one. SIGINT/SIGTERM during the work remove the
// staging folder; during publish() they wait until it is done.
#pragma once

#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <string_view>

namespace kiln {

class Generation {
 public:
  // The calling process must hold the project's WriteLock.
  explicit Generation(const std::filesystem::path& project_dir);
  ~Generation();  // an unpublished generation is discarded
  Generation(const Generation&) = delete;
  Generation& operator=(const Generation&) = delete;

  // Stages `bytes` as the new content of `target` (a path inside the project, absolute or relative to the
  // current directory like any path the command got). Thread-safe.
  void write(const std::filesystem::path& target, std::string_view bytes);
  // A fresh staging file for `target` that the caller writes itself (e.g. a database); it becomes `target`
  // on publish, as written by then. Thread-safe.
  std::filesystem::path stage(const std::filesystem::path& target);
  // Stages the deletion of `target` (no error if it does not exist then). Thread-safe.
  void remove(const std::filesystem::path& target);
  // What to read for `target` while the generation is open: its staged file if it has one, an empty path
  // when its removal is staged, else `target`.
  std::filesystem::path current(const std::filesystem::path& target) const;

  // Makes the staged set current, as described above. Nothing staged: nothing happens. Throws kiln::Error
  // when the staged files cannot be written to disk; the project then stays the old generation.
  void publish();

  const std::filesystem::path& project_dir() const { return root_; }

 private:
  std::string relative(const std::filesystem::path& target) const;
  std::filesystem::path root_, staging_;
  mutable std::mutex mutex_;
  std::map<std::string, std::string> writes_;  // target relative to root_ -> staged file name
  std::set<std::string> removes_;
  int next_ = 0;
  bool published_ = false;
};

// For recover_project(): completes the generation in `staging` if it was committed, else deletes it.
void complete_or_discard_generation(const std::filesystem::path& project_dir,
                                    const std::filesystem::path& staging);

}  // namespace kiln
