#include "core/signal_cleanup.h"

#include "core/error.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <string>
#include <system_error>

namespace kiln {
namespace {

constexpr int kMaxPaths = 32;
constexpr int kMaxChildren = 64;
constexpr std::size_t kPathBytes = 4096;

// Fixed storage: the handler may run at any moment, so it must not touch anything that allocates. Entries
// are changed only with the signals held (Registry below), so the handler never sees half an entry.
char g_paths[kMaxPaths][kPathBytes];
volatile pid_t g_children[kMaxChildren];
bool g_installed = false;

// Removes everything below the open directory `dir` (then closes it), with system calls only.
void remove_below(int dir, int depth) {
  if (depth > 64) {
    ::close(dir);
    return;
  }
  char buf[4096];
  for (;;) {
    const long n = ::syscall(SYS_getdents64, dir, buf, sizeof buf);
    if (n <= 0) break;
    for (long at = 0; at < n;) {
      // struct linux_dirent64: d_ino (8), d_off (8), d_reclen (2), d_type (1), d_name.
      unsigned short reclen;
      std::memcpy(&reclen, buf + at + 16, sizeof reclen);
      const unsigned char type = static_cast<unsigned char>(buf[at + 18]);
      const char* name = buf + at + 19;
      at += reclen;
      if (std::strcmp(name, ".") == 0 || std::strcmp(name, "..") == 0) continue;
      if (type == DT_DIR) {
        const int sub = ::openat(dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (sub >= 0) remove_below(sub, depth + 1);
        ::unlinkat(dir, name, AT_REMOVEDIR);
      } else {
        ::unlinkat(dir, name, 0);
      }
    }
  }
  ::close(dir);
}

void remove_path(const char* path) {
  // A process dying of our SIGKILL may still finish a file creation in there: try again a few times.
  for (int attempt = 0; attempt < 25; ++attempt) {
    const int dir = ::open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (dir < 0) {
      ::unlink(path);
      return;
    }
    remove_below(dir, 0);
    if (::rmdir(path) == 0 || errno != ENOTEMPTY) return;
    const struct timespec pause = {0, 20 * 1000 * 1000};
    ::nanosleep(&pause, nullptr);
  }
}

void on_signal(int sig) {
  for (int i = 0; i < kMaxChildren; ++i) {
    const pid_t child = g_children[i];
    if (child <= 0) continue;
    ::kill(-child, SIGKILL);  // its process group, when it leads one
    ::kill(child, SIGKILL);
    ::waitpid(child, nullptr, 0);
  }
  for (int i = 0; i < kMaxPaths; ++i) {
    if (g_paths[i][0] != '\0') remove_path(g_paths[i]);
  }
  ::signal(sig, SIG_DFL);
  ::raise(sig);
}

void install() {
  if (g_installed) return;
  g_installed = true;
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  for (int s : {SIGINT, SIGTERM, SIGHUP}) sigaddset(&sa.sa_mask, s);
  for (int s : {SIGINT, SIGTERM, SIGHUP}) {
    struct sigaction old {};
    ::sigaction(s, nullptr, &old);
    if (old.sa_handler == SIG_IGN) continue;  // e.g. started with nohup: keep ignoring it
    ::sigaction(s, &sa, nullptr);
  }
}

}  // namespace

SignalsHeld::SignalsHeld() {
  sigset_t set;
  sigemptyset(&set);
  for (int s : {SIGINT, SIGTERM, SIGHUP}) sigaddset(&set, s);
  ::pthread_sigmask(SIG_BLOCK, &set, &saved_);
}

SignalsHeld::~SignalsHeld() {
  ::pthread_sigmask(SIG_SETMASK, &saved_, nullptr);
}

void cleanup_on_signal(const std::filesystem::path& path) {
  const std::string s = std::filesystem::absolute(path).string();
  if (s.size() >= kPathBytes) return;  // cannot happen for paths the system accepts; nothing to clean then
  SignalsHeld held;
  install();
  for (auto& slot : g_paths) {
    if (slot[0] == '\0') {
      std::memcpy(slot, s.c_str(), s.size() + 1);
      return;
    }
  }
}

void forget_on_signal(const std::filesystem::path& path) {
  const std::string s = std::filesystem::absolute(path).string();
  SignalsHeld held;
  for (auto& slot : g_paths) {
    if (s == slot) slot[0] = '\0';
  }
}

void kill_on_signal(pid_t child) {
  SignalsHeld held;
  install();
  for (auto& slot : g_children) {
    if (slot == 0) {
      slot = child;
      return;
    }
  }
}

void forget_child(pid_t child) {
  SignalsHeld held;
  for (auto& slot : g_children) {
    if (slot == child) slot = 0;
  }
}

void create_dir_removed_on_signal(const std::filesystem::path& path) {
  cleanup_on_signal(path);
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec) {
    forget_on_signal(path);
    throw Error(path.string() + ": cannot create (" + ec.message() + ")");
  }
}

}  // namespace kiln
