// Generations (core/generation.h) and the project state around them (core/project_state.h): staged files
// appear together on publish, an unpublished generation leaves nothing, a committed one interrupted half-way
// is completed by the next command and an uncommitted one is removed, and the write lock lets one command
// change a project at a time.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "core/atomic_file.h"
#include "core/error.h"
#include "core/generation.h"
#include "core/project_state.h"
#include "support/kiln_cli.h"

namespace fs = std::filesystem;
using kiln::Error;
using kiln::Generation;
using kiln::ProjectTemp;
using kiln::ReadLock;
using kiln::state_dir;
using kiln::WriteLock;
using kiln::test::read_bytes;
using kiln::test::snapshot;
using kiln::test::TempDir;
using kiln::test::write_bytes;

namespace {

// The project's files, without the lock files and empty state folders that .kiln/ keeps between commands.
std::map<std::string, std::string> project_files(const fs::path& dir) {
  std::map<std::string, std::string> files = snapshot(dir);
  files.erase(".kiln/write.lock");
  files.erase(".kiln/publish.lock");
  return files;
}

std::size_t entries(const fs::path& dir) {
  std::error_code ec;
  std::size_t n = 0;
  for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator(); ++it) ++n;
  return n;
}

}  // namespace

TEST(Generation, PublishMakesEveryStagedChangeCurrentTogether) {
  TempDir dir;
  write_bytes(dir / "old.txt", "old");
  write_bytes(dir / "keep.txt", "keep");
  const WriteLock lock(dir.path(), "test");
  Generation gen(dir.path());
  gen.write(dir / "out/a.bin", "A");
  gen.write(dir.path() / "out" / "b.bin", "B");
  gen.remove(dir / "old.txt");
  // Nothing is visible before publish, but the generation reads its own staged files.
  EXPECT_FALSE(fs::exists(dir / "out/a.bin"));
  EXPECT_TRUE(fs::exists(dir / "old.txt"));
  EXPECT_EQ(read_bytes(gen.current(dir / "out/a.bin")), "A");
  EXPECT_EQ(gen.current(dir / "keep.txt"), dir / "keep.txt");
  EXPECT_EQ(gen.current(dir / "old.txt"), fs::path());  // removed in this generation
  gen.publish();
  EXPECT_EQ(read_bytes(dir / "out/a.bin"), "A");
  EXPECT_EQ(read_bytes(dir / "out/b.bin"), "B");
  EXPECT_FALSE(fs::exists(dir / "old.txt"));
  EXPECT_EQ(read_bytes(dir / "keep.txt"), "keep");
  EXPECT_EQ(entries(state_dir(dir.path()) / "staging"), 0u);
}

TEST(Generation, StageAndRemoveOverrideEachOther) {
  TempDir dir;
  write_bytes(dir / "x", "1");
  const WriteLock lock(dir.path(), "test");
  Generation gen(dir.path());
  gen.remove(dir / "x");
  gen.write(dir / "x", "2");  // written again after the removal: the write wins
  gen.write(dir / "y", "3");
  gen.remove(dir / "y");  // removed after the write: nothing is written
  gen.publish();
  EXPECT_EQ(read_bytes(dir / "x"), "2");
  EXPECT_FALSE(fs::exists(dir / "y"));
}

TEST(Generation, AnUnpublishedGenerationLeavesNothing) {
  TempDir dir;
  write_bytes(dir / "a", "a");
  const WriteLock lock(dir.path(), "test");
  const auto before = project_files(dir.path());
  {
    Generation gen(dir.path());
    gen.write(dir / "a", "changed");
    gen.write(dir / "b/c", "new");
    gen.remove(dir / "a");
  }  // e.g. the command failed
  EXPECT_EQ(project_files(dir.path()), before);
  EXPECT_EQ(entries(state_dir(dir.path()) / "staging"), 0u);
}

TEST(Generation, ATargetThatCannotBeReplacedFailsBeforeAnythingChanges) {
  TempDir dir;
  write_bytes(dir / "a", "old a");
  fs::create_directories(dir / "report.html/x");  // a folder where a file goes: the rename would fail
  const WriteLock lock(dir.path(), "test");
  const auto before = project_files(dir.path());
  {
    Generation gen(dir.path());
    gen.write(dir / "a", "new a");
    gen.write(dir / "report.html", "<html>");
    try {
      gen.publish();
      FAIL() << "published over a folder";
    } catch (const Error& e) {
      EXPECT_EQ(std::string(e.what()),
                (dir / "report.html").string() + ": is a folder, where Kiln writes a file; move it away");
    }
  }
  EXPECT_EQ(project_files(dir.path()), before);  // not even "a" changed: the check comes before COMMIT
}

TEST(Generation, NeedsTheWriteLockAndPathsInsideTheProject) {
  TempDir dir, other;
  EXPECT_THROW(Generation{dir.path()}, std::logic_error);
  const WriteLock lock(dir.path(), "test");
  Generation gen(dir.path());
  EXPECT_THROW(gen.write(other / "x", "x"), std::logic_error);
  EXPECT_THROW(gen.write(dir / "../escape", "x"), std::logic_error);
  EXPECT_THROW(gen.write(dir.path(), "x"), std::logic_error);
}

// A command killed after its COMMIT record: the next command that takes a lock completes the generation.
TEST(Generation, ACommittedGenerationIsCompletedByTheNextCommand) {
  TempDir dir;
  write_bytes(dir / "gone", "x");
  write_bytes(dir / "model", "old model");
  write_bytes(dir / "model.tflite", "old tflite");
  // What publish() leaves when killed after moving the first file: the COMMIT record, one staged file.
  const fs::path staging = state_dir(dir.path()) / "staging" / "12345-1";
  fs::create_directories(staging);
  write_bytes(staging / "1", "new tflite");
  write_bytes(dir / "model", "new model");  // file "0" was already moved
  const nlohmann::json commit = {{"write", {{"model", "0"}, {"model.tflite", "1"}}}, {"remove", {"gone"}}};
  write_bytes(staging / "COMMIT", commit.dump());
  {
    const ReadLock reader(dir.path());  // even a reading command completes it, when no writer runs
  }
  EXPECT_EQ(read_bytes(dir / "model"), "new model");
  EXPECT_EQ(read_bytes(dir / "model.tflite"), "new tflite");
  EXPECT_FALSE(fs::exists(dir / "gone"));
  EXPECT_FALSE(fs::exists(staging));
}

TEST(Generation, AnUncommittedGenerationIsRemovedByTheNextCommand) {
  TempDir dir;
  write_bytes(dir / "model", "old model");
  const fs::path staging = state_dir(dir.path()) / "staging" / "12345-2";
  fs::create_directories(staging);
  write_bytes(staging / "0", "half a new model");
  const fs::path scratch = state_dir(dir.path()) / "tmp" / "profile-1";
  fs::create_directories(scratch / "build");
  write_bytes(scratch / "build/x.o", "o");
  { const WriteLock lock(dir.path(), "test"); }
  EXPECT_EQ(read_bytes(dir / "model"), "old model");
  EXPECT_FALSE(fs::exists(staging));
  EXPECT_FALSE(fs::exists(scratch));
}

TEST(Generation, ADamagedCommitRecordIsAnErrorNamingIt) {
  TempDir dir;
  const fs::path staging = state_dir(dir.path()) / "staging" / "1-1";
  fs::create_directories(staging);
  write_bytes(staging / "COMMIT", "{not json");
  try {
    const WriteLock lock(dir.path(), "test");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("COMMIT: damaged record"), std::string::npos) << e.what();
  }
  // The lock was given back: once the record is dealt with, commands work again.
  fs::remove_all(staging);
  EXPECT_NO_THROW(WriteLock(dir.path(), "test"));
}

TEST(ProjectState, OneWriterAtATimeWithAMessageNamingIt) {
  TempDir dir;
  int ready[2], done[2];
  ASSERT_EQ(::pipe(ready), 0);
  ASSERT_EQ(::pipe(done), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    const WriteLock lock(dir.path(), "train");
    char c = 1;
    if (::write(ready[1], &c, 1) != 1) ::_exit(2);
    if (::read(done[0], &c, 1) != 1) ::_exit(3);
    ::_exit(0);
  }
  char c;
  ASSERT_EQ(::read(ready[0], &c, 1), 1);
  try {
    const WriteLock lock(dir.path(), "add");
    ADD_FAILURE() << "two writers at once";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), dir.path().string() + ": `kiln train` (pid " + std::to_string(child) +
                                         ") is changing this project; wait for it to finish");
  }
  ASSERT_EQ(::write(done[1], &c, 1), 1);
  int status = 0;
  ::waitpid(child, &status, 0);
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_NO_THROW(WriteLock(dir.path(), "add"));  // free again once that command ended
}

TEST(ProjectState, TheWriteLockIsReentrantWithinAProcess) {
  TempDir dir;
  const WriteLock outer(dir.path(), "demo");
  EXPECT_TRUE(WriteLock::held(dir.path()));
  {
    const WriteLock inner(dir.path(), "train");  // `kiln demo` runs train inside its own command
    const ReadLock reader(dir.path());
    Generation gen(dir.path());
    gen.write(dir / "f", "x");
    gen.publish();  // takes the publish lock while this process also reads: no self-deadlock
  }
  EXPECT_TRUE(WriteLock::held(dir.path()));
  EXPECT_EQ(read_bytes(dir / "f"), "x");
}

TEST(ProjectState, ProjectTempIsRemovedWithItsObject) {
  TempDir dir;
  const WriteLock lock(dir.path(), "profile");
  fs::path p;
  {
    const ProjectTemp tmp(dir.path(), "profile");
    p = tmp.path();
    write_bytes(p / "x", "x");
    EXPECT_TRUE(fs::exists(p / "x"));
  }
  EXPECT_FALSE(fs::exists(p));
}

TEST(ProjectState, ExternalStagingRecordsAreRemovedOnlyWhenTheyNameTheirOwnFolder) {
  TempDir dir, outside;
  write_bytes(outside / "precious", "user data");
  fs::create_directories(outside / ".kiln-deploy-777");
  write_bytes(outside / ".kiln-deploy-777/old.h", "stale");
  fs::create_directories(state_dir(dir.path()) / "external");
  // A record left by a killed deploy, and two hostile ones that name other folders.
  kiln::write_file_atomic(state_dir(dir.path()) / "external/777", (outside / ".kiln-deploy-777").string());
  kiln::write_file_atomic(state_dir(dir.path()) / "external/888", outside.path().string());
  kiln::write_file_atomic(state_dir(dir.path()) / "external/999", (outside / ".kiln-deploy-777").string());
  { const WriteLock lock(dir.path(), "deploy"); }
  EXPECT_FALSE(fs::exists(outside / ".kiln-deploy-777"));
  EXPECT_EQ(read_bytes(outside / "precious"), "user data");
  EXPECT_EQ(entries(state_dir(dir.path()) / "external"), 0u);
}

// An older Kiln wrote each file alone (temporary + rename): a kill left "<file>.tmp<pid>-<n>" files behind.
TEST(ProjectState, TemporariesOfAnOlderKilnAreRemoved) {
  TempDir dir;
  fs::create_directories(dir / "out/features");
  fs::create_directories(dir / "data");
  write_bytes(dir / "out/model.kmodel.tmp1234-98765", "half");
  write_bytes(dir / "out/features/abc.feat.tmp1-2", "half");
  write_bytes(dir / "data/kiln.db.tmp77-1", "half");
  write_bytes(dir / "out/notes.tmp", "a user's file");   // not that pattern: kept
  write_bytes(dir / "out/x.tmp12-ab", "a user's file");  // not that pattern: kept
  { const WriteLock lock(dir.path(), "train"); }
  EXPECT_FALSE(fs::exists(dir / "out/model.kmodel.tmp1234-98765"));
  EXPECT_FALSE(fs::exists(dir / "out/features/abc.feat.tmp1-2"));
  EXPECT_FALSE(fs::exists(dir / "data/kiln.db.tmp77-1"));
  EXPECT_TRUE(fs::exists(dir / "out/notes.tmp"));
  EXPECT_TRUE(fs::exists(dir / "out/x.tmp12-ab"));
}
