#include "profile/process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

#include "core/error.h"
#include "core/signal_cleanup.h"

extern char** environ;

namespace kiln::profile {

namespace {

struct FileActions {
  posix_spawn_file_actions_t actions;
  FileActions() { posix_spawn_file_actions_init(&actions); }
  ~FileActions() { posix_spawn_file_actions_destroy(&actions); }
  FileActions(const FileActions&) = delete;
  FileActions& operator=(const FileActions&) = delete;
};

// The child leads a process group of its own, so that the compiler it runs (cc1plus, as, ld) can be killed
// with it: on a timeout, and by core/signal_cleanup when kiln is interrupted.
struct SpawnAttributes {
  posix_spawnattr_t attr;
  SpawnAttributes() {
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attr, 0);
  }
  ~SpawnAttributes() { posix_spawnattr_destroy(&attr); }
  SpawnAttributes(const SpawnAttributes&) = delete;
  SpawnAttributes& operator=(const SpawnAttributes&) = delete;
};

int decode_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 255;
}

}  // namespace

ProcessResult run_process(const std::vector<std::string>& argv, const std::filesystem::path& stdout_file,
                          const std::filesystem::path& stderr_file, int timeout_s) {
  if (argv.empty()) throw Error("run_process: empty command");
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);

  FileActions fa;
  const std::string out = stdout_file.string(), err = stderr_file.string();
  posix_spawn_file_actions_addopen(&fa.actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa.actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (stderr_file == stdout_file)
    posix_spawn_file_actions_adddup2(&fa.actions, 1, 2);
  else
    posix_spawn_file_actions_addopen(&fa.actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);

  pid_t pid = 0;
  const SpawnAttributes attributes;
  int rc = posix_spawnp(&pid, args[0], &fa.actions, &attributes.attr, args.data(), environ);
  if (rc != 0) throw Error("cannot run " + argv[0] + ": " + std::strerror(rc));
  // Interrupted, we take the child (a compiler, QEMU) with us instead of leaving it running.
  kill_on_signal(pid);
  struct Forget {
    pid_t pid;
    ~Forget() { forget_child(pid); }
  } forget{pid};

  ProcessResult result;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
  auto pause = std::chrono::milliseconds(1);
  for (;;) {
    int status = 0;
    pid_t done = waitpid(pid, &status, timeout_s > 0 ? WNOHANG : 0);
    if (done == pid) {
      result.status = decode_status(status);
      return result;
    }
    if (done < 0 && errno != EINTR) throw Error("waiting for " + argv[0] + ": " + std::strerror(errno));
    if (timeout_s > 0 && std::chrono::steady_clock::now() >= deadline) {
      kill(-pid, SIGKILL);  // the whole group: the compiler's own children too
      while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
      }
      result.status = decode_status(status);
      result.timed_out = true;
      return result;
    }
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(20));
  }
}

std::optional<std::filesystem::path> find_on_path(const std::string& name) {
  if (name.find('/') != std::string::npos) {
    if (access(name.c_str(), X_OK) == 0) return std::filesystem::path(name);
    return std::nullopt;
  }
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "/usr/local/bin:/usr/bin:/bin");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    std::filesystem::path candidate = std::filesystem::path(dir.empty() ? "." : dir) / name;
    std::error_code ec;
    if (std::filesystem::is_regular_file(candidate, ec) && access(candidate.c_str(), X_OK) == 0)
      return candidate;
  }
  return std::nullopt;
}

std::string read_text_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path.string() + ": cannot read");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace kiln::profile
