// Which files `kiln add PATH...` picks up, and the label each gets (the rules in data/ingest_files.h).
#include <gtest/gtest.h>
#include <unistd.h>

#include <map>

#include "core/error.h"
#include "data/ingest_files.h"
#include "sample_files.h"

namespace kiln {
namespace {

namespace fs = std::filesystem;
using test::fresh_dir;
using test::write_text;

// file name (relative to `root`) -> label
std::map<std::string, std::string> labels(const std::vector<IngestFile>& files, const fs::path& root) {
  std::map<std::string, std::string> out;
  for (const auto& f : files) out[f.path.lexically_normal().lexically_relative(root).string()] = f.label;
  return out;
}

// Restores the working directory when a test changes it.
struct WorkingDirectory {
  explicit WorkingDirectory(const fs::path& p) : saved(fs::current_path()) { fs::current_path(p); }
  ~WorkingDirectory() { fs::current_path(saved); }
  fs::path saved;
};

TEST(IngestFiles, FolderWalkLabelsAndSkips) {
  auto root = fresh_dir("ingest-walk");
  for (const char* f : {"rec/alarm/a1.wav", "rec/alarm/day2/a2.flac", "rec/noise/n1.csv", "rec/noise/n2.json",
                        "rec/loose.wav", "rec/fan.03.ogg", "rec/.hidden.wav", "rec/.git/x.wav",
                        "rec/notes.txt", "rec/alarm/readme.md", "rec/UPPER.WAV"}) {
    write_text(root / f, "x");
  }
  auto files = collect_ingest_files({root / "rec"}, std::nullopt);
  std::map<std::string, std::string> expected = {
      {"rec/alarm/a1.wav", "alarm"},  // rule 2: first-level subfolder
      {"rec/alarm/day2/a2.flac", "alarm"},
      {"rec/noise/n1.csv", "noise"},
      {"rec/noise/n2.json", "noise"},
      {"rec/fan.03.ogg", "fan"},  // rule 3: label before the first dot
      {"rec/loose.wav", "rec"},   // rule 4: the folder passed
      {"rec/UPPER.WAV", "rec"},
  };
  EXPECT_EQ(labels(files, root), expected);
  // The same with a trailing slash or "/.".
  EXPECT_EQ(labels(collect_ingest_files({root / "rec/"}, std::nullopt), root), expected);
  EXPECT_EQ(labels(collect_ingest_files({root / "rec" / "."}, std::nullopt), root), expected);
  // Sorted by path, so ids follow file order.
  for (std::size_t i = 1; i < files.size(); ++i) EXPECT_LT(files[i - 1].path, files[i].path);
}

TEST(IngestFiles, ExplicitFilesAndTheLabelOption) {
  auto root = fresh_dir("ingest-explicit");
  for (const char* f : {"door/d1.wav", "door/knock.7.wav", "x.wav", "alarm.01.wav", "data.bin"}) {
    write_text(root / f, "x");
  }
  auto files = collect_ingest_files({root / "door/d1.wav", root / "door/knock.7.wav", root / "data.bin"},
                                    std::nullopt);
  std::map<std::string, std::string> expected = {
      {"door/d1.wav", "door"}, {"door/knock.7.wav", "knock"}, {"data.bin", root.filename().string()}};
  EXPECT_EQ(labels(files, root), expected);

  files = collect_ingest_files({root / "door", root / "x.wav"}, std::string("bell"));
  for (const auto& f : files) EXPECT_EQ(f.label, "bell") << f.path;
  EXPECT_EQ(files.size(), 3u);

  // No folder part, or "." / "..": the working directory's name is incidental, the file name decides.
  WorkingDirectory cwd(root / "door");
  files = collect_ingest_files({"d1.wav", "./knock.7.wav", "../x.wav", "../alarm.01.wav", "."}, std::nullopt);
  ASSERT_EQ(files.size(), 6u);
  EXPECT_EQ(files[0].label, "d1");
  EXPECT_EQ(files[1].label, "knock");
  EXPECT_EQ(files[2].label, "x");
  EXPECT_EQ(files[3].label, "alarm");
  EXPECT_EQ(files[4].label, "d1");  // `kiln add .`: d1.wav directly in "."
  EXPECT_EQ(files[5].label, "knock");
}

TEST(IngestFiles, Errors) {
  auto root = fresh_dir("ingest-errors");
  write_text(root / "empty/notes.txt", "x");
  write_text(root / "a.wav", "x");
  auto message = [](const std::vector<fs::path>& paths, std::optional<std::string> label) {
    try {
      collect_ingest_files(paths, label);
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_EQ(message({root / "a.wav", root / "missing"}, std::nullopt),
            (root / "missing").string() + ": no such file or directory");
  EXPECT_EQ(message({root / "empty"}, std::nullopt).rfind((root / "empty").string() + ": no sample files", 0),
            0u);
  EXPECT_EQ(message({root / "a.wav"}, std::string("")), "a label cannot be empty");
  EXPECT_EQ(message({root / "a.wav"}, std::string("a\nb")),
            "the label 'a\\nb' contains a control character (U+000A)");
  // A missing file inside a path that is a file is missing too.
  EXPECT_EQ(message({root / "a.wav" / "x.wav"}, std::nullopt),
            (root / "a.wav" / "x.wav").string() + ": no such file or directory");
}

// A path the system cannot even look up is not "missing": the real reason is shown (ENAMETOOLONG), on one
// line cut to a readable length.
TEST(IngestFiles, NamesTooLongSayWhy) {
  auto root = fresh_dir("ingest-long");
  auto message = [](const fs::path& p) {
    try {
      collect_ingest_files({p}, std::nullopt);
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  const fs::path long_component = root / (std::string(300, 'a') + ".wav");  // > NAME_MAX (255)
  std::string msg = message(long_component);
  EXPECT_NE(msg.find(": File name too long"), std::string::npos) << msg;
  EXPECT_EQ(msg.find("no such file"), std::string::npos) << msg;
  fs::path long_path = root;
  while (long_path.string().size() <= 5000) long_path /= std::string(200, 'b');  // > PATH_MAX (4096)
  msg = message(long_path / "x.wav");
  EXPECT_NE(msg.find(": File name too long"), std::string::npos) << msg.substr(0, 200);
  EXPECT_LT(msg.size(), 1100u);
}

}  // namespace
}  // namespace kiln
