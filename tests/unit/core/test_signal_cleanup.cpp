// core/signal_cleanup.h: a process interrupted by SIGINT or SIGTERM removes the folders it registered, kills
// the children it registered, and still dies of the signal.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>

#include "core/signal_cleanup.h"
#include "support/kiln_cli.h"

namespace fs = std::filesystem;
using kiln::test::TempDir;
using kiln::test::write_bytes;

namespace {

// Forks a child that registers `dir` (with nested content) and a grandchild, reports the grandchild's pid,
// and waits; the parent sends `sig`. Returns the child's wait status and the grandchild's pid.
std::pair<int, pid_t> interrupt_child(const fs::path& dir, const fs::path& kept, int sig) {
  int ready[2];
  if (::pipe(ready) != 0) return {-1, -1};
  const pid_t child = ::fork();
  if (child == 0) {
    fs::create_directories(dir / "a/b/c");
    write_bytes(dir / "a/b/c/file", "x");
    write_bytes(dir / "top", "x");
    fs::create_directories(kept);
    kiln::cleanup_on_signal(dir);
    kiln::cleanup_on_signal(kept);
    kiln::forget_on_signal(kept);  // forgotten: must stay
    const pid_t grandchild = ::fork();
    if (grandchild == 0) {
      for (;;) ::pause();
    }
    kiln::kill_on_signal(grandchild);
    if (::write(ready[1], &grandchild, sizeof grandchild) != sizeof grandchild) ::_exit(2);
    for (;;) ::pause();
  }
  pid_t grandchild = -1;
  if (::read(ready[0], &grandchild, sizeof grandchild) != sizeof grandchild) return {-1, -1};
  ::kill(child, sig);
  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  return {status, grandchild};
}

bool alive(pid_t pid) {
  // The grandchild is re-parented once the child dies; it may stay a zombie until init reaps it.
  for (int i = 0; i < 200; ++i) {
    if (::kill(pid, 0) != 0) return false;
    char path[64];
    std::snprintf(path, sizeof path, "/proc/%d/stat", static_cast<int>(pid));
    std::string stat = kiln::test::read_bytes(path);
    const auto close = stat.rfind(')');
    if (close != std::string::npos && close + 2 < stat.size() && stat[close + 2] == 'Z') return false;
    ::usleep(10000);
  }
  return true;
}

}  // namespace

TEST(SignalCleanup, SigtermRemovesRegisteredFoldersKillsChildrenAndStillDies) {
  TempDir tmp;
  const auto [status, grandchild] = interrupt_child(tmp / "staging", tmp / "kept", SIGTERM);
  ASSERT_TRUE(WIFSIGNALED(status)) << status;
  EXPECT_EQ(WTERMSIG(status), SIGTERM);
  EXPECT_FALSE(fs::exists(tmp / "staging"));
  EXPECT_TRUE(fs::exists(tmp / "kept"));
  EXPECT_FALSE(alive(grandchild));
}

TEST(SignalCleanup, SigintToo) {
  TempDir tmp;
  const auto [status, grandchild] = interrupt_child(tmp / "staging", tmp / "kept", SIGINT);
  ASSERT_TRUE(WIFSIGNALED(status)) << status;
  EXPECT_EQ(WTERMSIG(status), SIGINT);
  EXPECT_FALSE(fs::exists(tmp / "staging"));
  EXPECT_FALSE(alive(grandchild));
}

TEST(SignalCleanup, SignalsHeldAreDeliveredAfterwards) {
  TempDir tmp;
  const pid_t child = ::fork();
  if (child == 0) {
    fs::create_directories(tmp / "staging");
    kiln::cleanup_on_signal(tmp / "staging");
    {
      const kiln::SignalsHeld held;
      ::raise(SIGTERM);  // held: the step goes on
      write_bytes(tmp / "finished", "x");
    }
    ::_exit(0);  // not reached: the held signal arrives when the hold ends
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status));
  EXPECT_TRUE(fs::exists(tmp / "finished"));
  EXPECT_FALSE(fs::exists(tmp / "staging"));
}
