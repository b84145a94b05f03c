// Runs the built kiln binary (KILN_BINARY) with arguments and captures its exit code, stdout and stderr; and
// a temporary directory that cleans up after itself.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace kiln::test {

struct KilnRun {
  int exit_code = -1;
  std::string out;
  std::string err;
};

KilnRun run_kiln(const std::vector<std::string>& args);

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

std::string read_bytes(const std::filesystem::path& path);
// Every regular file under dir: relative path -> content. Tests compare snapshots to show a failed command
// changed nothing.
std::map<std::string, std::string> snapshot(const std::filesystem::path& dir);

void write_bytes(const std::filesystem::path& path, const std::string& bytes);
void write_f32(const std::filesystem::path& path, const std::vector<float>& values);

}  // namespace kiln::test
