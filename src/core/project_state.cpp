#include "core/project_state.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <mutex>
#include <random>

#include "core/atomic_file.h"
#include "core/error.h"
#include "core/generation.h"
#include "core/signal_cleanup.h"

namespace kiln {
namespace {

namespace fs = std::filesystem;

// flock() locks belong to an open file, so a second open() of the same lock file in this process would
// wait for the first: every lock is opened once per process and counted here.
struct Held {
  int write_fd = -1, write_count = 0;
  int publish_fd = -1, shared_count = 0, exclusive_count = 0;
};
std::mutex g_mutex;
std::map<std::string, Held> g_held;

std::string key_of(const fs::path& project_dir) {
  return fs::absolute(project_dir).lexically_normal().string();
}

int open_lock(const fs::path& path) {
  return ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
}

// Creates DIR/.kiln; false when the project cannot be written (a read-only copy).
bool make_state_dir(const fs::path& project_dir) {
  std::error_code ec;
  fs::create_directories(state_dir(project_dir), ec);
  return !ec;
}

std::string holder_text(int fd) {
  char buf[256];
  const ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
  std::string s(buf, n > 0 ? static_cast<std::size_t>(n) : 0);
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

void flock_or_throw(int fd, int op, const fs::path& path) {
  while (::flock(fd, op) != 0) {
    if (errno == EINTR) continue;
    throw Error(path.string() + ": cannot lock (" + std::strerror(errno) + ")");
  }
}

bool has_entries(const fs::path& dir) {
  std::error_code ec;
  return fs::directory_iterator(dir, ec) != fs::directory_iterator();
}

bool has_leftovers(const fs::path& project_dir) {
  const fs::path state = state_dir(project_dir);
  return has_entries(state / "staging") || has_entries(state / "tmp") || has_entries(state / "external");
}

std::string random_token() {
  std::random_device rd;
  return std::to_string(rd()) + std::to_string(rd());
}

}  // namespace

fs::path state_dir(const fs::path& project_dir) {
  return project_dir / ".kiln";
}

void create_state_dir(const fs::path& project_dir) {
  std::error_code ec;
  fs::create_directories(state_dir(project_dir), ec);
  if (ec) throw Error(state_dir(project_dir).string() + ": cannot create (" + ec.message() + ")");
  for (const char* name : {"write.lock", "publish.lock"}) {
    const int fd = open_lock(state_dir(project_dir) / name);
    if (fd < 0)
      throw Error((state_dir(project_dir) / name).string() + ": cannot create (" + std::strerror(errno) +
                  ")");
    ::close(fd);
  }
}

WriteLock::WriteLock(const fs::path& project_dir, std::string_view command) : key_(key_of(project_dir)) {
  {
    std::lock_guard<std::mutex> guard(g_mutex);
    Held& h = g_held[key_];
    if (h.write_count > 0) {
      ++h.write_count;
      return;
    }
    if (!make_state_dir(project_dir)) {
      throw Error(project_dir.string() + ": cannot write to this project (" +
                  state_dir(project_dir).string() + " cannot be created)");
    }
    const fs::path path = state_dir(project_dir) / "write.lock";
    const int fd = open_lock(path);
    if (fd < 0) throw Error(path.string() + ": cannot open (" + std::strerror(errno) + ")");
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      const std::string other = holder_text(fd);
      ::close(fd);
      throw Error(project_dir.string() + ": " + (other.empty() ? "another kiln command" : other) +
                  " is changing this project; wait for it to finish");
    }
    // Who holds it, for the message above (the lock itself is the flock, not this text).
    const std::string me = "`kiln " + std::string(command) + "` (pid " + std::to_string(::getpid()) + ")\n";
    if (::ftruncate(fd, 0) == 0) {
      [[maybe_unused]] const ssize_t n = ::pwrite(fd, me.data(), me.size(), 0);
    }
    h.write_fd = fd;
    h.write_count = 1;
  }
  try {
    recover_project(project_dir);
  } catch (...) {
    release();
    throw;
  }
}

WriteLock::~WriteLock() {
  release();
}

void WriteLock::release() {
  std::lock_guard<std::mutex> guard(g_mutex);
  Held& h = g_held[key_];
  if (h.write_count > 0 && --h.write_count == 0) {
    // Empty again: the holder's name only matters while it runs (and a killed holder's is overwritten).
    [[maybe_unused]] const int rc = ::ftruncate(h.write_fd, 0);
    ::close(h.write_fd);
    h.write_fd = -1;
  }
}

bool WriteLock::held(const fs::path& project_dir) {
  std::lock_guard<std::mutex> guard(g_mutex);
  auto it = g_held.find(key_of(project_dir));
  return it != g_held.end() && it->second.write_count > 0;
}

ReadLock::ReadLock(const fs::path& project_dir) : key_(key_of(project_dir)) {
  {
    std::lock_guard<std::mutex> guard(g_mutex);
    Held& h = g_held[key_];
    if (h.write_count > 0 || h.publish_fd >= 0) {
      ++h.shared_count;  // this process already writes or reads the project: nothing else can publish
      return;
    }
  }
  if (!make_state_dir(project_dir)) {
    key_.clear();  // a read-only project: nobody can be publishing into it
    return;
  }
  // Something an interrupted command left: clean it up, unless a command is running (it may be its own).
  if (has_leftovers(project_dir)) {
    const fs::path write_path = state_dir(project_dir) / "write.lock";
    const int wfd = open_lock(write_path);
    if (wfd >= 0 && ::flock(wfd, LOCK_EX | LOCK_NB) == 0) {
      try {
        recover_project(project_dir);
      } catch (...) {
        ::close(wfd);
        throw;
      }
    }
    if (wfd >= 0) ::close(wfd);
  }

  const fs::path path = state_dir(project_dir) / "publish.lock";
  const int fd = open_lock(path);
  if (fd < 0) {
    key_.clear();
    return;
  }
  flock_or_throw(fd, LOCK_SH, path);
  std::lock_guard<std::mutex> guard(g_mutex);
  Held& h = g_held[key_];
  h.publish_fd = fd;
  h.shared_count = 1;
}

ReadLock::~ReadLock() {
  if (key_.empty()) return;
  std::lock_guard<std::mutex> guard(g_mutex);
  Held& h = g_held[key_];
  if (--h.shared_count == 0 && h.exclusive_count == 0 && h.publish_fd >= 0) {
    ::close(h.publish_fd);
    h.publish_fd = -1;
  }
}

PublishLock::PublishLock(const fs::path& project_dir) : key_(key_of(project_dir)) {
  std::lock_guard<std::mutex> guard(g_mutex);
  Held& h = g_held[key_];
  const fs::path path = state_dir(project_dir) / "publish.lock";
  if (h.publish_fd < 0) {
    h.publish_fd = open_lock(path);
    if (h.publish_fd < 0) throw Error(path.string() + ": cannot open (" + std::strerror(errno) + ")");
  }
  if (h.exclusive_count++ == 0) flock_or_throw(h.publish_fd, LOCK_EX, path);
}

PublishLock::~PublishLock() {
  std::lock_guard<std::mutex> guard(g_mutex);
  Held& h = g_held[key_];
  if (--h.exclusive_count > 0) return;
  if (h.shared_count > 0) {
    ::flock(h.publish_fd, LOCK_SH);  // back to what the reader in this process had
  } else {
    ::close(h.publish_fd);
    h.publish_fd = -1;
  }
}

ProjectTemp::ProjectTemp(const fs::path& project_dir, std::string_view name) {
  path_ = state_dir(project_dir) / "tmp" / (std::string(name) + "-" + random_token());
  create_dir_removed_on_signal(path_);
}

ProjectTemp::~ProjectTemp() {
  std::error_code ec;
  fs::remove_all(path_, ec);
  forget_on_signal(path_);
}

ExternalStaging::ExternalStaging(const fs::path& project_dir, const fs::path& target, std::string_view name) {
  const std::string token = random_token();
  const fs::path abs = fs::absolute(target).lexically_normal();
  path_ = abs.parent_path() / (".kiln-" + std::string(name) + "-" + token);
  record_ = state_dir(project_dir) / "external" / token;
  cleanup_on_signal(path_);  // first: an interruption right after the folder is made must remove it
  cleanup_on_signal(record_);
  std::error_code ec;
  try {
    write_file_atomic(record_, path_.string());
    fs::create_directories(path_, ec);
    if (ec) throw Error(path_.parent_path().string() + ": cannot write here (" + ec.message() + ")");
  } catch (...) {
    fs::remove(record_, ec);
    forget_on_signal(path_);
    forget_on_signal(record_);
    throw;
  }
}

void ExternalStaging::release() {
  forget_on_signal(path_);
  path_.clear();
}

ExternalStaging::~ExternalStaging() {
  std::error_code ec;
  if (!path_.empty()) {
    fs::remove_all(path_, ec);
    forget_on_signal(path_);
  }
  fs::remove(record_, ec);
  forget_on_signal(record_);
}

namespace {

// "<name>.tmp<pid>-<random>": what write_file_atomic (core/atomic_file.h) leaves when killed mid-write.
bool is_atomic_write_temporary(const std::string& name) {
  const std::size_t at = name.rfind(".tmp");
  if (at == std::string::npos) return false;
  const std::string rest = name.substr(at + 4);
  const std::size_t dash = rest.find('-');
  const auto digits = [](const std::string& d) {
    return !d.empty() && d.find_first_not_of("0123456789") == std::string::npos;
  };
  return dash != std::string::npos && digits(rest.substr(0, dash)) && digits(rest.substr(dash + 1));
}

}  // namespace

void recover_project(const fs::path& project_dir) {
  const fs::path state = state_dir(project_dir);
  std::error_code ec;
  // Half-written files of an interrupted older Kiln (before generations, every file was written alone).
  for (const fs::path& dir :
       {project_dir, project_dir / "data", project_dir / "out", project_dir / "out/features"}) {
    for (const auto& e : fs::directory_iterator(dir, ec)) {
      if (is_atomic_write_temporary(e.path().filename().string())) fs::remove(e.path(), ec);
    }
  }
  if (!fs::is_directory(state, ec)) return;
  std::vector<fs::path> staged;
  for (const auto& e : fs::directory_iterator(state / "staging", ec)) staged.push_back(e.path());
  if (!staged.empty()) {
    const PublishLock publishing(project_dir);
    for (const fs::path& s : staged) complete_or_discard_generation(project_dir, s);
  }
  for (const auto& e : fs::directory_iterator(state / "tmp", ec)) fs::remove_all(e.path(), ec);
  for (const auto& e : fs::directory_iterator(state / "external", ec)) {
    // Only a folder this record names and that has the shape ExternalStaging gives it: a damaged or
    // hostile record must not make us delete anything else.
    const std::string token = e.path().filename().string();
    std::string text;
    try {
      text = read_file(e.path());
    } catch (const Error&) {
    }
    const fs::path p = text;
    const std::string base = p.filename().string();
    if (p.is_absolute() && base.rfind(".kiln-", 0) == 0 && base.size() > token.size() + 1 &&
        base.compare(base.size() - token.size() - 1, std::string::npos, "-" + token) == 0) {
      fs::remove_all(p, ec);
    }
    fs::remove(e.path(), ec);
  }
}

}  // namespace kiln
