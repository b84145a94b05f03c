// What a command must not leave behind when it is interrupted by SIGINT, SIGTERM or SIGHUP: staging and
// temporary folders, and child processes (compilers, QEMU). The handler removes the registered folders and
// signals the children using only async-signal-safe system calls, then dies of the same signal, so the
// shell still sees "interrupted". SIGKILL cannot be caught: what it leaves is found and removed by the next
// command (recover_project in core/project_state.h).
#pragma once

#include <signal.h>
#include <sys/types.h>

#include <filesystem>

namespace kiln {

// Registers `path` (a folder or file) for removal if the process is interrupted. At most 32 at a time;
// registering installs the handlers on first use. Removing the path itself stays the caller's job.
void cleanup_on_signal(const std::filesystem::path& path);
void forget_on_signal(const std::filesystem::path& path);

// Creates the folder `path` (with its parents), registered for removal first so that an interruption right
// after it is made removes it too; throws Error naming the folder when it cannot be made.
void create_dir_removed_on_signal(const std::filesystem::path& path);

// A child process to SIGKILL if we are interrupted, with its process group when it leads one (so the
// compiler a driver runs dies too), and to reap before the folders are removed (at most 64 at a time).
void kill_on_signal(pid_t child);
void forget_child(pid_t child);

// Holds SIGINT, SIGTERM and SIGHUP back for its lifetime (delivered when it ends): for short steps that must
// not stop half-way, such as publishing a generation.
class SignalsHeld {
 public:
  SignalsHeld();
  ~SignalsHeld();
  SignalsHeld(const SignalsHeld&) = delete;
  SignalsHeld& operator=(const SignalsHeld&) = delete;

 private:
  sigset_t saved_;
};

}  // namespace kiln
