// kill -9 at every rename, write and unlink of `kiln add`, `train`, `quantize`, `test` and `deploy`, injected
// with strace (-e inject=SET:signal=KILL:when=N, counted per system call and per thread, from N = 1 until
// the command gets through), and a full disk (ENOSPC) at every write. After each:
//  - the next command (a plain `kiln dataset`) works, and the project it leaves is exactly the old
//    generation or exactly the new one (every file, compared with a clean run of the same command);
//  - nothing is left behind: no staging, scratch or temporary files in the project, no staging folder beside
//    the deploy output;
//  - the commands that use what was written work (classify after train/quantize, a second run of the killed
//    command).
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <vector>

#include "e2e/tiny_project.h"
#include "support/kiln_cli.h"

namespace fs = std::filesystem;
using kiln::test::KilnRun;
using kiln::test::read_bytes;
using kiln::test::run_kiln;
using kiln::test::snapshot;
using kiln::test::TempDir;
using kiln::test::write_bytes;

namespace {

using Files = std::map<std::string, std::string>;

void kiln_ok(const std::vector<std::string>& args) {
  const KilnRun r = run_kiln(args);
  ASSERT_EQ(r.exit_code, 0) << args.back() << ": " << r.err;
}

// Which stage the project is in before the command under test runs.
struct Case {
  std::string name;
  std::function<void(const fs::path& project, const fs::path& recordings, const fs::path& library)> prepare;
  std::vector<std::string> command;    // after `kiln -C PROJECT -q`; "@LIB" is the deploy output
  std::vector<std::string> follow_up;  // a command that uses what the command wrote; "@REC" is a recording
};

fs::path g_recordings;  // made once

void prepare_trained(const fs::path& project, const fs::path&, const fs::path&) {
  kiln::test::make_trained_project(project, g_recordings);
}

// Runs `args` under strace with `fault` ("signal=KILL" or "error=ENOSPC") injected at the N-th call (per
// thread) of one of `syscalls`.
KilnRun run_injected(const std::vector<std::string>& args, const std::string& syscalls,
                     const std::string& fault, int n) {
  std::string cmd = "strace -f -qq -o /dev/null -e trace=" + syscalls + " -e inject=" + syscalls + ":" +
                    fault + ":when=" + std::to_string(n) + " '" + KILN_BINARY + "'";
  for (const auto& a : args) cmd += " '" + a + "'";
  cmd += " >/dev/null 2>&1";
  const int status = std::system(cmd.c_str());
  KilnRun r;
  // strace dies of the tracee's signal, so the shell reports 128 + 9.
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return r;
}

// A project's files, as the comparison sees them: the lock files (kept between commands) left out, the
// dataset index as the rows it holds (the file's bytes carry the time it was added), the report's time of
// generation blanked.
Files state_of(const fs::path& project, const fs::path& library) {
  Files files;
  for (const auto& [path, bytes] : snapshot(project)) {
    if (path == ".kiln/write.lock" || path == ".kiln/publish.lock") continue;
    if (path == "data/kiln.db") {
      nlohmann::json rows =
          nlohmann::json::parse(run_kiln({"-C", project.string(), "--json", "dataset", "list"}).out);
      for (auto& row : rows) row.erase("added_at");
      files[path] = rows.dump();
    } else if (path == "out/report.html") {
      files[path] = std::regex_replace(bytes, std::regex("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC"), "TIME");
    } else {
      files[path] = bytes;
    }
  }
  for (const auto& [path, bytes] : snapshot(library)) files["@LIB/" + path] = bytes;
  return files;
}

// What an interrupted command may leave and the next command must have removed.
std::vector<std::string> leftovers(const fs::path& project, const fs::path& library) {
  std::vector<std::string> found;
  std::error_code ec;
  for (const char* dir : {".kiln/staging", ".kiln/tmp", ".kiln/external"}) {
    for (const auto& e : fs::directory_iterator(project / dir, ec)) found.push_back(e.path().string());
  }
  for (const auto& e : fs::recursive_directory_iterator(project, ec)) {
    const std::string name = e.path().filename().string();
    if (name.find(".tmp") != std::string::npos || name.find("-journal") != std::string::npos)
      found.push_back(e.path().string());
  }
  for (const auto& e : fs::directory_iterator(library.parent_path(), ec)) {
    const std::string name = e.path().filename().string();
    if (name.rfind(".kiln", 0) == 0 || name.find("kiln-kept") != std::string::npos)
      found.push_back(e.path().string());
  }
  return found;
}

std::vector<std::string> substitute(std::vector<std::string> args, const fs::path& library) {
  for (auto& a : args) {
    if (a == "@LIB") a = library.string();
    if (a == "@REC") a = (g_recordings / "alarm/a1.wav").string();
  }
  return args;
}

void copy_tree(const fs::path& from, const fs::path& to) {
  fs::remove_all(to);
  fs::create_directories(to.parent_path());
  if (fs::exists(from)) fs::copy(from, to, fs::copy_options::recursive);
}

void run_case(const Case& c) {
  ASSERT_EQ(std::system("strace -V >/dev/null 2>&1"), 0)
      << "strace is missing (scripts/bootstrap installs it)";
  TempDir tmp;
  const fs::path base = tmp / "base", base_lib = tmp / "base-out/lib";
  fs::create_directories(base_lib.parent_path());
  c.prepare(base, g_recordings, base_lib);
  const Files old_state = state_of(base, base_lib);

  // The new generation: the command run without interruption.
  const fs::path clean = tmp / "clean/p", clean_lib = tmp / "clean-out/lib";
  copy_tree(base, clean);
  fs::create_directories(clean_lib.parent_path());
  copy_tree(base_lib, clean_lib);
  std::vector<std::string> args = {"-C", clean.string(), "-q"};
  for (const auto& a : substitute(c.command, clean_lib)) args.push_back(a);
  KilnRun r = run_kiln(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Files new_state = state_of(clean, clean_lib);
  ASSERT_NE(new_state, old_state) << "the command changes nothing: the test would prove nothing";

  // Both old and new: the generation that a check must find, with the first file that is neither named.
  const auto expect_old_or_new = [&](const Files& state) {
    if (state == old_state || state == new_state) return;
    std::string diff;
    for (const auto& [path, bytes] : state) {
      const bool in_old = old_state.count(path) && old_state.at(path) == bytes;
      const bool in_new = new_state.count(path) && new_state.at(path) == bytes;
      if (!in_old || !in_new) diff += " " + path + (in_old ? "(old)" : in_new ? "(new)" : "(neither)");
    }
    for (const auto& [path, bytes] : old_state)
      if (!state.count(path)) diff += " -" + path;
    ADD_FAILURE() << "a mix of generations:" << diff;
  };
  struct Mode {
    std::string syscalls, fault;
  };
  const Mode modes[] = {{"rename,renameat,renameat2", "signal=KILL"},
                        {"write,pwrite64,writev", "signal=KILL"},
                        {"unlink,unlinkat,rmdir", "signal=KILL"},
                        {"write,pwrite64,writev", "error=ENOSPC"}};
  int kills = 0, full_disks = 0;
  for (const Mode& mode : modes) {
    const bool kill = mode.fault == "signal=KILL";
    for (int n = 1;; ++n) {
      SCOPED_TRACE(c.name + ": " + mode.fault + " at call " + std::to_string(n) + " of " + mode.syscalls);
      const fs::path work = tmp / "work/p", lib = tmp / "work-out/lib";
      copy_tree(base, work);
      fs::create_directories(lib.parent_path());
      copy_tree(base_lib, lib);
      std::vector<std::string> work_args = {"-C", work.string(), "-q"};
      for (const auto& a : substitute(c.command, lib)) work_args.push_back(a);
      r = run_injected(work_args, mode.syscalls, mode.fault, n);
      if (r.exit_code == 0) break;  // fewer than n calls: every point of this set is done
      if (kill) {
        ASSERT_EQ(r.exit_code, 128 + SIGKILL) << "neither killed nor successful";
        ++kills;
      } else {
        // A full disk is an error like any other: status 1, and the command cleans up after itself.
        ASSERT_EQ(r.exit_code, 1) << "a failed write must give a clear error";
        ++full_disks;
        expect_old_or_new(state_of(work, lib));
        EXPECT_EQ(leftovers(work, lib), std::vector<std::string>());
      }
      // The next command completes or discards what the killed one left.
      KilnRun next = run_kiln({"-C", work.string(), "-q", "dataset"});
      ASSERT_EQ(next.exit_code, 0) << next.err;
      expect_old_or_new(state_of(work, lib));
      EXPECT_EQ(leftovers(work, lib), std::vector<std::string>());
      // The project works: the command runs again, and what uses its output runs.
      r = run_kiln(work_args);
      EXPECT_EQ(r.exit_code, 0) << r.err;
      if (!c.follow_up.empty()) {
        std::vector<std::string> f = {"-C", work.string(), "-q"};
        for (const auto& a : substitute(c.follow_up, lib)) f.push_back(a);
        r = run_kiln(f);
        EXPECT_EQ(r.exit_code, 0) << r.err;
      }
      EXPECT_EQ(leftovers(work, lib), std::vector<std::string>());
      if (::testing::Test::HasFailure()) return;
    }
  }
  EXPECT_GE(kills, 5) << "too few kill points: is strace injecting?";
  EXPECT_GE(full_disks, 3);
  std::printf(
      "%s: killed at %d points and a write failed (ENOSPC) at %d; each time the old or the new generation\n",
      c.name.c_str(), kills, full_disks);
}

class CrashSafety : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // One feature thread: strace counts calls per thread, so with one thread doing the writes every N
    // is a distinct point of the command.
    ::setenv("KILN_THREADS", "1", 1);
    g_recordings = fs::temp_directory_path() / ("kiln-crash-recordings-" + std::to_string(::getpid()));
    kiln::test::make_recordings(g_recordings, 1, 6);
    kiln::test::make_recordings(g_recordings / "more", 7, 3);
  }
  static void TearDownTestSuite() { fs::remove_all(g_recordings); }
};

}  // namespace

TEST_F(CrashSafety, Add) {
  run_case({"add",
            [](const fs::path& p, const fs::path&, const fs::path&) {
              kiln_ok({"-q", "init", p.string()});
              write_bytes(p / "kiln.toml", kiln::test::tiny_toml());
              kiln_ok({"-C", p.string(), "-q", "add", (g_recordings / "alarm").string()});
            },
            {"add", (g_recordings / "more").string()},
            {"dataset", "list"}});
}

TEST_F(CrashSafety, Train) {
  run_case({"train",
            [](const fs::path& p, const fs::path& r, const fs::path& l) {
              prepare_trained(p, r, l);
              write_bytes(p / "kiln.toml", kiln::test::tiny_toml(2));  // another seed: another model
            },
            {"train"},
            {"classify", "@REC"}});
}

TEST_F(CrashSafety, Quantize) {
  run_case({"quantize", prepare_trained, {"quantize", "--per-tensor"}, {"classify", "@REC"}});
}

TEST_F(CrashSafety, Test) {
  run_case({"test", prepare_trained, {"test"}, {}});
}

TEST_F(CrashSafety, Deploy) {
  run_case({"deploy",
            [](const fs::path& p, const fs::path& r, const fs::path& l) {
              prepare_trained(p, r, l);
              kiln_ok({"-C", p.string(), "-q", "deploy", "--no-measure", "--engine", "interpreter", "--out",
                       l.string()});
            },
            {"deploy", "--no-measure", "--out", "@LIB"},
            {"classify", "@REC"}});
}
