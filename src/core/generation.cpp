#include "core/generation.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>
#include <random>
#include <stdexcept>

#include "core/atomic_file.h"
#include "core/error.h"
#include "core/project_state.h"
#include "core/signal_cleanup.h"

namespace kiln {
namespace {

namespace fs = std::filesystem;

const char* const kCommit = "COMMIT";

fs::path normal_absolute(const fs::path& p) {
  return fs::absolute(p).lexically_normal();
}

void fsync_dir(const fs::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

// Writes `bytes` to a new file `path` (no fsync: publish() syncs the whole staging folder at once).
void write_new_file(const fs::path& path, std::string_view bytes, const fs::path& target) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw Error(target.string() + ": cannot write (" + std::strerror(errno) + ")");
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      ::close(fd);
      throw Error(target.string() + ": cannot write (" + std::strerror(err) + ")");
    }
    done += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0) throw Error(target.string() + ": cannot write (" + std::strerror(errno) + ")");
}

// Step 3 and 4 of the header, from a COMMIT record; safe to run again after an interruption (a staged file
// already moved is simply no longer there).
void apply(const fs::path& root, const fs::path& staging, const nlohmann::json& commit) {
  std::set<fs::path> dirs;
  for (const auto& [target, staged] : commit.at("write").items()) {
    const fs::path from = staging / staged.get<std::string>();
    const fs::path to = root / target;
    std::error_code ec;
    if (!fs::exists(from, ec)) continue;
    fs::create_directories(to.parent_path(), ec);
    if (::rename(from.c_str(), to.c_str()) != 0) {
      throw Error(to.string() + ": cannot put the new file in place (" + std::strerror(errno) + ")");
    }
    dirs.insert(to.parent_path());
  }
  for (const auto& target : commit.at("remove")) {
    const fs::path p = root / target.get<std::string>();
    std::error_code ec;
    if (fs::remove(p, ec)) dirs.insert(p.parent_path());
  }
  for (const fs::path& d : dirs) fsync_dir(d);
  std::error_code ec;
  fs::remove_all(staging, ec);
}

// Once COMMIT is written every move must succeed, so whatever can make one fail is found before: a target
// that is a folder, a folder that cannot be created, a target on another filesystem than the staging folder
// (rename cannot cross filesystems, e.g. out/ as a link to another disk).
void check_replaceable(const fs::path& root, const fs::path& staging,
                       const std::map<std::string, std::string>& writes) {
  struct stat staged {};
  if (::stat(staging.c_str(), &staged) != 0) {
    throw Error(staging.string() + ": cannot read (" + std::strerror(errno) + ")");
  }
  std::set<fs::path> checked;
  for (const auto& [target, name] : writes) {
    const fs::path to = root / target;
    std::error_code ec;
    if (fs::is_directory(fs::symlink_status(to, ec))) {
      throw Error(to.string() + ": is a folder, where Kiln writes a file; move it away");
    }
    if (!checked.insert(to.parent_path()).second) continue;
    // The folder itself or, when it is still to be created, the nearest folder above it that exists.
    fs::path dir = to.parent_path();
    while (!fs::exists(dir, ec) && dir != root && dir.has_parent_path()) dir = dir.parent_path();
    struct stat st {};
    if (::stat(dir.c_str(), &st) != 0 || (S_ISDIR(st.st_mode) && ::access(dir.c_str(), W_OK) != 0)) {
      throw Error(dir.string() + ": cannot write there (" + std::strerror(errno) + ")");
    }
    if (!S_ISDIR(st.st_mode))
      throw Error(dir.string() + ": is a file, where Kiln needs a folder; move it away");
    if (st.st_dev != staged.st_dev) {
      throw Error(dir.string() + ": on another filesystem than " + staging.parent_path().string() +
                  "; a project's folders must be on one filesystem");
    }
  }
}

}  // namespace

Generation::Generation(const fs::path& project_dir) : root_(normal_absolute(project_dir)) {
  if (!WriteLock::held(root_)) {
    throw std::logic_error("Generation on " + root_.string() + " without the project's write lock");
  }
  std::random_device rd;
  staging_ = state_dir(root_) / "staging" /
             (std::to_string(::getpid()) + "-" + std::to_string(rd()) + std::to_string(rd()));
  create_dir_removed_on_signal(staging_);
}

Generation::~Generation() {
  if (published_) return;
  std::error_code ec;
  fs::remove_all(staging_, ec);
  forget_on_signal(staging_);
}

std::string Generation::relative(const fs::path& target) const {
  const fs::path rel = normal_absolute(target).lexically_relative(root_);
  if (rel.empty() || *rel.begin() == ".." || rel == ".") {
    throw std::logic_error(target.string() + " is not inside the project " + root_.string());
  }
  return rel.string();
}

fs::path Generation::stage(const fs::path& target) {
  const std::string rel = relative(target);
  std::lock_guard<std::mutex> lock(mutex_);
  removes_.erase(rel);
  std::string& name = writes_[rel];
  name = std::to_string(next_++);
  return staging_ / name;
}

void Generation::write(const fs::path& target, std::string_view bytes) {
  write_new_file(stage(target), bytes, target);
}

void Generation::remove(const fs::path& target) {
  const std::string rel = relative(target);
  std::lock_guard<std::mutex> lock(mutex_);
  writes_.erase(rel);
  removes_.insert(rel);
}

fs::path Generation::current(const fs::path& target) const {
  const std::string rel = relative(target);
  std::lock_guard<std::mutex> lock(mutex_);
  if (auto it = writes_.find(rel); it != writes_.end()) return staging_ / it->second;
  return removes_.count(rel) ? fs::path() : target;
}

void Generation::publish() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (published_) throw std::logic_error("generation published twice");
  nlohmann::json commit = {{"write", nlohmann::json::object()}, {"remove", nlohmann::json::array()}};
  for (const auto& [target, staged] : writes_) commit["write"][target] = staged;
  for (const auto& target : removes_) commit["remove"].push_back(target);
  if (writes_.empty() && removes_.empty()) {
    std::error_code ec;
    fs::remove_all(staging_, ec);
    published_ = true;
    forget_on_signal(staging_);
    return;
  }

  check_replaceable(root_, staging_, writes_);
  const SignalsHeld held;  // from the COMMIT record on, an interruption would only delay the same result
  const int fd = ::open(staging_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0 || ::syncfs(fd) != 0) {
    const int err = errno;
    if (fd >= 0) ::close(fd);
    throw Error(staging_.string() + ": cannot write to disk (" + std::strerror(err) + ")");
  }
  ::close(fd);
  const PublishLock publishing(root_);
  write_file_atomic(staging_ / kCommit, commit.dump() + "\n");
  fsync_dir(staging_);
  apply(root_, staging_, commit);
  published_ = true;
  forget_on_signal(staging_);
}

void complete_or_discard_generation(const fs::path& project_dir, const fs::path& staging) {
  std::error_code ec;
  const fs::path commit_path = staging / kCommit;
  if (!fs::exists(commit_path, ec)) {
    fs::remove_all(staging, ec);
    return;
  }
  const nlohmann::json commit = nlohmann::json::parse(read_file(commit_path), nullptr, false);
  if (commit.is_discarded() || !commit.contains("write") || !commit.contains("remove")) {
    // write_file_atomic makes a torn COMMIT impossible; a damaged one can only come from outside.
    throw Error(commit_path.string() + ": damaged record of an interrupted command; remove " +
                staging.string() + " by hand after checking the project");
  }
  apply(normal_absolute(project_dir), staging, commit);
}

}  // namespace kiln
