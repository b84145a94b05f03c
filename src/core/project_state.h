// How commands share a project directory safely. The state lives in DIR/.kiln/:
//
//   write.lock    held (flock, exclusive) by the one command that changes the project, for its whole run;
//                 its text names that command, for the message another command gets
//   publish.lock  exclusive while a generation is published (generation.h), shared while a reader loads
//                 files that belong together (a model and its .tflite files), so it sees the old set or the
//                 new one, never a mix
//   staging/      generations being prepared; one with a COMMIT record is completed by the next command
//   tmp/          scratch folders of running commands (ProjectTemp)
//   external/     records of staging folders a command made outside the project (ExternalStaging)
//
// Whatever a killed command left there is completed (a committed generation) or removed by the next command
// that takes a lock: every command does, through WriteLock or ReadLock.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace kiln {

std::filesystem::path state_dir(const std::filesystem::path& project_dir);

// Creates DIR/.kiln with its lock files (`kiln init` does, so that the first command of a new project, even
// a failing one, adds no file; the locks create them in older projects).
void create_state_dir(const std::filesystem::path& project_dir);

// The right to change the project. Non-blocking: throws kiln::Error when another command holds it ("DIR:
// `kiln train` (pid 42) is changing this project; wait for it to finish"). Re-entrant within a process
// (`kiln demo` runs train, test and deploy in one). Taking it completes or removes what interrupted commands
// left behind.
class WriteLock {
 public:
  WriteLock(const std::filesystem::path& project_dir, std::string_view command);
  ~WriteLock();
  WriteLock(const WriteLock&) = delete;
  WriteLock& operator=(const WriteLock&) = delete;

  // True when this process holds the write lock of `project_dir`.
  static bool held(const std::filesystem::path& project_dir);

 private:
  void release();
  std::string key_;
};

// A consistent view for a command that only reads: waits while a generation is being published. Also
// cleans up after interrupted commands when no writer is running. In a read-only project it takes no lock.
class ReadLock {
 public:
  explicit ReadLock(const std::filesystem::path& project_dir);
  ~ReadLock();
  ReadLock(const ReadLock&) = delete;
  ReadLock& operator=(const ReadLock&) = delete;

 private:
  std::string key_;
};

// Exclusive hold of publish.lock while files are renamed into place (used by Generation::publish).
class PublishLock {
 public:
  explicit PublishLock(const std::filesystem::path& project_dir);
  ~PublishLock();
  PublishLock(const PublishLock&) = delete;
  PublishLock& operator=(const PublishLock&) = delete;

 private:
  std::string key_;
};

// A scratch folder DIR/.kiln/tmp/<unique> for the life of the object (removed on destruction, on SIGINT or
// SIGTERM, and by the next command after a SIGKILL). Needs the write lock.
class ProjectTemp {
 public:
  ProjectTemp(const std::filesystem::path& project_dir, std::string_view name);
  ~ProjectTemp();
  ProjectTemp(const ProjectTemp&) = delete;
  ProjectTemp& operator=(const ProjectTemp&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// A staging folder beside `target` (outside the project, e.g. `kiln deploy --out`), named
// "<parent>/.kiln-<name>-<token>", so that it can be renamed onto `target`. Recorded in DIR/.kiln/external/
// while it exists, so that the next command removes it after a SIGKILL; removed with its content on
// destruction and on SIGINT/SIGTERM, unless release()d (then the caller owns whatever is left there). Needs
// the write lock.
class ExternalStaging {
 public:
  ExternalStaging(const std::filesystem::path& project_dir, const std::filesystem::path& target,
                  std::string_view name);
  ~ExternalStaging();
  ExternalStaging(const ExternalStaging&) = delete;
  ExternalStaging& operator=(const ExternalStaging&) = delete;
  const std::filesystem::path& path() const { return path_; }
  void release();

 private:
  std::filesystem::path record_, path_;
};

// Completes committed generations and removes uncommitted ones, scratch folders and recorded external
// staging folders. Needs the write lock (the constructors above call it).
void recover_project(const std::filesystem::path& project_dir);

}  // namespace kiln
