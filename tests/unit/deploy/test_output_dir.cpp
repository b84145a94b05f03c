// kiln deploy --out DIR never destroys a user's files: DIR is replaced only when everything in it is what an
// earlier deploy wrote (its manifest, with SHA-256s); a user file, an edited file, a nested project, a
// symbolic link or a stray directory refuses the whole deploy and leaves DIR byte for byte as it was; the
// project itself, its ancestors and its data/ are refused as --out; and files that appear while DIR is being
// swapped are kept in DIR.kiln-kept-<n>, never deleted.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/project_state.h"
#include "data/sha256.h"
#include "deploy/library_writer.h"
#include "deploy/output_dir.h"

namespace fs = std::filesystem;
using kiln::deploy::check_replaceable;
using kiln::deploy::kManifestFile;
using kiln::deploy::Library;
using kiln::deploy::Manifest;
using kiln::deploy::write_library;

namespace {

void write_file(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Everything under `dir`, for "left exactly as it was": each entry's type, permissions and content (files) or
// target (links).
std::map<std::string, std::string> tree(const fs::path& dir) {
  std::map<std::string, std::string> out;
  if (!fs::exists(fs::symlink_status(dir))) return out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    const std::string rel = e.path().lexically_relative(dir).generic_string();
    const fs::file_status st = e.symlink_status();
    const std::string perms = std::to_string(static_cast<int>(st.permissions()));
    if (fs::is_symlink(st)) {
      out[rel] = "link " + fs::read_symlink(e.path()).string();
    } else if (fs::is_directory(st)) {
      out[rel] = "dir " + perms;
    } else {
      out[rel] = "file " + perms + " " + read_file(e.path());
    }
  }
  return out;
}

// The names in `dir` (not recursive).
std::vector<std::string> names(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

Library library(const std::vector<std::pair<std::string, std::string>>& files) {
  Library lib;
  lib.files = files;
  lib.files.emplace_back(kManifestFile, kiln::deploy::manifest_json("cpp", "compiled", files));
  for (const auto& f : lib.files) lib.facts.files.push_back(f.first);
  return lib;
}

const Library kFirst = library({{"README.md", "first"},
                                {"include/kiln_impulse.h", "// header v1\n"},
                                {"src/kiln_impulse.cpp", "// v1\n"},
                                {"src/sdk/dsp/mfe.cpp", "// mfe\n"},
                                {"examples/linux/main.cpp", "int main() {}\n"},
                                {"only-in-first.txt", "stale"}});
const Library kSecond = library({{"README.md", "second"},
                                 {"include/kiln_impulse.h", "// header v2\n"},
                                 {"src/kiln_impulse.cpp", "// v2\n"},
                                 {"src/sdk/dsp/mfe.cpp", "// mfe\n"}});

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const kiln::Error& e) {
    return e.what();
  }
  return "(no error)";
}

// A project directory (with the write lock kiln deploy holds) and, beside it, where libraries go.
class OutputDir : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/kiln_output_dir_XXXXXX";
    root_ = mkdtemp(tmpl);
    project_ = root_ / "project";
    write_file(project_ / "kiln.toml", "name = \"p\"\n");
    write_file(project_ / "data/kiln.db", "db");
    lock_ = std::make_unique<kiln::WriteLock>(project_, "deploy");
    out_ = root_ / "lib";
  }
  void TearDown() override {
    lock_.reset();
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
  // Nothing of the staging folder or its record is left.
  void expect_no_leftovers() {
    for (const auto& n : names(root_)) EXPECT_EQ(n.rfind(".kiln-", 0), std::string::npos) << n;
    EXPECT_TRUE(fs::is_empty(project_ / ".kiln/external"));
  }
  void expect_library(const Library& lib) {
    std::map<std::string, std::string> want;
    for (const auto& [rel, text] : lib.files) {
      want[rel] = text;
      EXPECT_EQ(read_file(out_ / rel), text) << rel;
    }
    for (const auto& [rel, what] : tree(out_)) {
      if (what.rfind("file", 0) == 0) {
        EXPECT_TRUE(want.count(rel)) << rel << " should not be there";
      }
    }
  }

  fs::path root_, project_, out_;
  std::unique_ptr<kiln::WriteLock> lock_;
};

TEST_F(OutputDir, WritesTheLibraryAndAManifestOfEveryFile) {
  EXPECT_EQ(write_library(kFirst, out_, project_), fs::path());
  expect_library(kFirst);
  const nlohmann::json m = nlohmann::json::parse(read_file(out_ / kManifestFile));
  EXPECT_EQ(m.at("format"), "cpp");
  EXPECT_EQ(m.at("engine"), "compiled");
  ASSERT_EQ(m.at("files").size(), kFirst.files.size() - 1);
  for (const auto& [rel, text] : kFirst.files) {
    if (rel != kManifestFile) {
      EXPECT_EQ(m["files"][rel], kiln::sha256_hex(text)) << rel;
    }
  }
  expect_no_leftovers();
}

TEST_F(OutputDir, ReplacesItsOwnEarlierOutputCompletely) {
  write_library(kFirst, out_, project_);
  EXPECT_EQ(write_library(kSecond, out_, project_), fs::path());
  expect_library(kSecond);
  EXPECT_FALSE(fs::exists(out_ / "only-in-first.txt"));
  EXPECT_FALSE(fs::exists(out_ / "examples"));  // the directories it made for its files went with them
  EXPECT_EQ(names(root_), (std::vector<std::string>{"lib", "project"}));
  expect_no_leftovers();
}

TEST_F(OutputDir, AnEmptyDirectoryIsFine) {
  fs::create_directories(out_);
  write_library(kFirst, out_, project_);
  expect_library(kFirst);
  EXPECT_EQ(names(root_), (std::vector<std::string>{"lib", "project"}));
}

// The hostile user's case: files of their own (and a folder) in an earlier output. Refused with the first
// one named and the others counted; nothing changes, not even the earlier library's files.
TEST_F(OutputDir, RefusesUserFilesAndLeavesTheDirectoryAsItWas) {
  write_library(kFirst, out_, project_);
  write_file(out_ / "notes.txt", "precious");
  write_file(out_ / "src/mine.cpp", "mine");
  write_file(out_ / "work/a.txt", "a");
  write_file(out_ / "work/b.txt", "b");
  write_file(out_ / "zz.txt", "z");
  const auto before = tree(out_);
  EXPECT_EQ(error_of([&] { write_library(kSecond, out_, project_); }),
            (out_ / "notes.txt").string() +
                ": not written by kiln deploy (and 3 more); move them away or choose another --out");
  EXPECT_EQ(tree(out_), before);
  expect_no_leftovers();
}

// Building the library in place (make, cmake -B build) makes build/: the user's too, with a hint.
TEST_F(OutputDir, RefusesABuildFolderWithAHint) {
  write_library(kFirst, out_, project_);
  write_file(out_ / "build/libkiln_impulse.a", "archive");
  EXPECT_EQ(
      error_of([&] { write_library(kSecond, out_, project_); }),
      (out_ / "build").string() +
          ": not written by kiln deploy; move it away or choose another --out (`make clean` removes build/)");
}

TEST_F(OutputDir, RefusesAnEditedFile) {
  write_library(kFirst, out_, project_);
  write_file(out_ / "src/kiln_impulse.cpp", "// my fix\n");
  const auto before = tree(out_);
  EXPECT_EQ(error_of([&] { write_library(kSecond, out_, project_); }),
            (out_ / "src/kiln_impulse.cpp").string() +
                ": changed since kiln deploy wrote it; move it away or choose another --out");
  EXPECT_EQ(tree(out_), before);
}

TEST_F(OutputDir, RefusesAProjectPlacedInsideIt) {
  write_library(kFirst, out_, project_);
  write_file(out_ / "app/kiln.toml", "name = \"app\"\n");
  write_file(out_ / "app/data/kiln.db", "db");
  write_file(out_ / "app/out/model.kmodel", "model");
  const auto before = tree(out_);
  EXPECT_EQ(error_of([&] { write_library(kSecond, out_, project_); }),
            (out_ / "app").string() + ": not written by kiln deploy; move it away or choose another --out");
  EXPECT_EQ(tree(out_), before);
}

TEST_F(OutputDir, RefusesLinksStrayDirectoriesAndAForgedManifest) {
  write_library(kFirst, out_, project_);
  fs::create_symlink(project_ / "kiln.toml", out_ / "link");
  EXPECT_NE(error_of([&] { write_library(kSecond, out_, project_); }).find("/link: not written"),
            std::string::npos);
  fs::remove(out_ / "link");
  fs::create_directories(out_ / "src/empty");
  EXPECT_NE(error_of([&] { write_library(kSecond, out_, project_); }).find("src/empty: not written"),
            std::string::npos);
  fs::remove(out_ / "src/empty");
  // A manifest that reaches outside the directory is no manifest: everything in it counts as the user's.
  write_file(out_ / kManifestFile,
             "{\"files\": {\"../project/kiln.toml\": \"" + kiln::sha256_hex("name = \"p\"\n") + "\"}}");
  const auto before = tree(out_);
  EXPECT_NE(error_of([&] { write_library(kSecond, out_, project_); }).find("not written by kiln deploy (and"),
            std::string::npos);
  EXPECT_EQ(tree(out_), before);
  EXPECT_EQ(read_file(project_ / "kiln.toml"), "name = \"p\"\n");
}

TEST_F(OutputDir, RefusesADirectoryWithoutManifest) {
  write_file(out_ / "photo.jpg", "jpeg");
  const auto before = tree(out_);
  EXPECT_EQ(
      error_of([&] { write_library(kFirst, out_, project_); }),
      (out_ / "photo.jpg").string() + ": not written by kiln deploy; move it away or choose another --out");
  EXPECT_EQ(tree(out_), before);
  // An output of kiln deploy before manifests: its marker does not say which files are its own.
  write_file(out_ / ".kiln-deploy", "kiln deploy --format cpp --engine compiled\n");
  EXPECT_NE(error_of([&] { write_library(kFirst, out_, project_); }).find("older kiln deploy"),
            std::string::npos);
  write_file(root_ / "file", "x");
  EXPECT_NE(error_of([&] { write_library(kFirst, root_ / "file", project_); }).find("not a directory"),
            std::string::npos);
}

TEST_F(OutputDir, NormalisesTheOutPath) {
  write_library(kFirst, out_.string() + "/", project_);  // a trailing slash used to fail
  expect_library(kFirst);
  write_library(kSecond, root_ / "project/../lib/./", project_);
  expect_library(kSecond);
  EXPECT_EQ(names(root_), (std::vector<std::string>{"lib", "project"}));
  // Through a symbolic link: the directory it points to is replaced, the link stays.
  fs::create_directory_symlink(out_, root_ / "link");
  write_library(kFirst, root_ / "link", project_);
  expect_library(kFirst);
  EXPECT_TRUE(fs::is_symlink(fs::symlink_status(root_ / "link")));
}

TEST_F(OutputDir, RefusesTheProjectItsAncestorsAndItsData) {
  const auto before = tree(root_);
  EXPECT_NE(
      error_of([&] { write_library(kFirst, project_, project_); }).find("this is the project directory"),
      std::string::npos);
  EXPECT_NE(error_of([&] { write_library(kFirst, project_ / ".", project_); }).find("project directory"),
            std::string::npos);
  EXPECT_NE(error_of([&] { write_library(kFirst, root_, project_); }).find("contains the project directory"),
            std::string::npos);
  EXPECT_NE(error_of([&] { write_library(kFirst, "/", project_); }).find("contains the project directory"),
            std::string::npos);
  EXPECT_NE(error_of([&] { write_library(kFirst, project_ / "data/lib", project_); }).find("data/"),
            std::string::npos);
  EXPECT_NE(error_of([&] { write_library(kFirst, project_ / "data", project_); }).find("data/"),
            std::string::npos);
  EXPECT_EQ(tree(root_), before);
  // Elsewhere inside the project is fine.
  write_library(kFirst, project_ / "library", project_);
  out_ = project_ / "library";
  expect_library(kFirst);
}

TEST_F(OutputDir, AFailedWriteLeavesNothing) {
  write_library(kFirst, out_, project_);
  const auto before = tree(root_);
  // "x" cannot be a file and a directory at once.
  const Library bad = library({{"x", "file"}, {"x/y", "file below a file"}});
  EXPECT_NE(error_of([&] { write_library(bad, out_, project_); }), "(no error)");
  EXPECT_EQ(tree(root_), before);
  expect_no_leftovers();
}

// A user drops a file into DIR (or edits one) after the check, before the swap: the old content is checked
// again, kiln's unchanged files are deleted and the rest is kept beside DIR, with a warning.
TEST_F(OutputDir, KeepsFilesThatAppearDuringTheSwap) {
  write_library(kFirst, out_, project_);
  const Manifest earlier = check_replaceable(out_);
  write_file(out_ / "late.txt", "dropped in just now");
  write_file(out_ / "src/kiln_impulse.cpp", "// edited just now\n");
  std::optional<kiln::ExternalStaging> staging;
  staging.emplace(project_, out_, "deploy");
  for (const auto& [rel, text] : kSecond.files) write_file(staging->path() / rel, text);

  const fs::path kept = kiln::deploy::put_in_place(staging, out_, &earlier);
  EXPECT_FALSE(staging);
  EXPECT_EQ(kept, root_ / "lib.kiln-kept-1");
  expect_library(kSecond);
  EXPECT_EQ(names(kept), (std::vector<std::string>{"late.txt", "src"}));
  EXPECT_EQ(names(kept / "src"), (std::vector<std::string>{"kiln_impulse.cpp"}));
  EXPECT_EQ(read_file(kept / "late.txt"), "dropped in just now");
  EXPECT_EQ(read_file(kept / "src/kiln_impulse.cpp"), "// edited just now\n");

  // A second time: the next free name.
  const Manifest again = check_replaceable(out_);
  write_file(out_ / "late.txt", "again");
  staging.emplace(project_, out_, "deploy");
  for (const auto& [rel, text] : kFirst.files) write_file(staging->path() / rel, text);
  EXPECT_EQ(kiln::deploy::put_in_place(staging, out_, &again), root_ / "lib.kiln-kept-2");
  EXPECT_EQ(read_file(root_ / "lib.kiln-kept-2/late.txt"), "again");
  EXPECT_EQ(names(root_ / "lib.kiln-kept-2"), (std::vector<std::string>{"late.txt"}));
  // Nothing hidden is left, and the project holds no record that could delete the kept folders.
  EXPECT_EQ(names(root_), (std::vector<std::string>{"lib", "lib.kiln-kept-1", "lib.kiln-kept-2", "project"}));
  EXPECT_TRUE(fs::is_empty(project_ / ".kiln/external"));
}

// Filesystems that cannot exchange two names (renameat2 RENAME_EXCHANGE fails with EINVAL): the fallback
// moves the old directory aside first. The tests above run again with renameat2 interposed to fail that way.
TEST_F(OutputDir, WithoutRenameExchangeTheFallbackBehavesTheSame) {
  if (std::getenv("KILN_TEST_NO_EXCHANGE")) GTEST_SKIP() << "this run is the one with the interposer";
  write_file(root_ / "no_exchange.cpp", R"(#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
extern "C" int renameat2(int from_dir, const char* from, int to_dir, const char* to, unsigned flags) {
  if (flags & RENAME_EXCHANGE) {
    if (FILE* f = fopen(getenv("KILN_TEST_NO_EXCHANGE"), "a")) {
      fputs("refused\n", f);
      fclose(f);
    }
    errno = EINVAL;
    return -1;
  }
  typedef int (*Real)(int, const char*, int, const char*, unsigned);
  return reinterpret_cast<Real>(dlsym(RTLD_NEXT, "renameat2"))(from_dir, from, to_dir, to, flags);
}
)");
  const fs::path shim = root_ / "no_exchange.so";
  const std::string build = std::string(KILN_HOST_CXX) + " -shared -fPIC -o '" + shim.string() + "' '" +
                            (root_ / "no_exchange.cpp").string() + "' -ldl";
  ASSERT_EQ(std::system(build.c_str()), 0);
  const fs::path log = root_ / "log", refused = root_ / "refused";
  const std::string run = "LD_PRELOAD='" + shim.string() + "' KILN_TEST_NO_EXCHANGE='" + refused.string() +
                          "' /proc/" + std::to_string(::getpid()) + "/exe --gtest_filter='OutputDir.*' > '" +
                          log.string() + "' 2>&1";
  EXPECT_EQ(std::system(run.c_str()), 0) << read_file(log);
  EXPECT_NE(read_file(refused).find("refused"), std::string::npos) << "the fallback was not exercised";
}

}  // namespace
