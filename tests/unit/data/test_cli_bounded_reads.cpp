// The hostile-input cases of the issue, through the built kiln binary: each used to end in an internal error
// (exit 3), a crash (139) or a read without end, and is now one line on stderr naming the file, exit 1.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <algorithm>
#include <map>
#include <string>

#include "sample_files.h"
#include "support/kiln_cli.h"

namespace {

namespace fs = std::filesystem;
using kiln::test::KilnRun;
using kiln::test::run_kiln;
using kiln::test::write_text;

// kiln runs with at most 4 GiB of address space (it needs well under 2): a read without bound fails within
// seconds with bad_alloc instead of taking the machine's memory.
KilnRun run_capped(const std::vector<std::string>& args) {
  rlimit old{};
  getrlimit(RLIMIT_AS, &old);
  rlimit capped = old;
  capped.rlim_cur = std::min<rlim_t>(old.rlim_cur, rlim_t{4} << 30);
  setrlimit(RLIMIT_AS, &capped);
  KilnRun r = run_kiln(args);
  setrlimit(RLIMIT_AS, &old);
  return r;
}

// Exit 1 and exactly one line on stderr, "kiln: error: <file>: <what>".
void expect_one_line_error(const KilnRun& r, const std::string& file, const std::string& what) {
  EXPECT_EQ(r.exit_code, 1) << r.err.substr(0, 300);
  EXPECT_EQ(r.err.rfind("kiln: error: " + file + ": ", 0), 0u) << r.err.substr(0, 300);
  EXPECT_NE(r.err.find(what), std::string::npos) << r.err.substr(0, 300);
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err.substr(0, 300);
  EXPECT_LT(r.err.size(), file.size() + 300) << r.err.substr(0, 300);
}

// The project's files, without Kiln's own bookkeeping in .kiln/ (locks).
std::map<std::string, std::string> project_files(const fs::path& dir) {
  std::map<std::string, std::string> files = kiln::test::snapshot(dir);
  std::erase_if(files, [](const auto& f) { return f.first.rfind(".kiln/", 0) == 0; });
  return files;
}

fs::path timeseries_project(const std::string& name) {
  const fs::path root = kiln::test::fresh_dir("cli-bounded-" + name);
  KilnRun r = run_kiln({"init", (root / "p").string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::string toml = kiln::test::read_bytes(root / "p" / "kiln.toml");
  toml.replace(toml.find("type = \"audio\""), 14, "type = \"timeseries\"");
  toml.replace(toml.find("frequency = 16000"), 17, "frequency = 100");
  write_text(root / "p" / "kiln.toml", toml);
  return root;
}

TEST(CliBoundedReads, HostileSampleFiles) {
  const fs::path root = timeseries_project("samples");
  const std::string p = (root / "p").string();
  const auto before = project_files(root / "p");

  write_text(root / "latin1.csv", "time,Beschleunigung_\xE9\n0,1\n10,2\n20,3\n");
  expect_one_line_error(run_kiln({"-C", p, "add", (root / "latin1.csv").string()}),
                        (root / "latin1.csv").string(), "'Beschleunigung_\\xE9' is not valid UTF-8");

  write_text(root / "big.json", R"({"payload": {"interval_ms": 10, "values": [1, 2, 1e400]}})");
  expect_one_line_error(run_kiln({"-C", p, "add", (root / "big.json").string()}),
                        (root / "big.json").string(),
                        "malformed JSON (at line 1, column 54: number overflow parsing '1e400')");

  std::string header = "time", row = "";
  for (int c = 0; c < 100000; ++c) header += ",c" + std::to_string(c);
  for (int r = 0; r < 3; ++r) {
    row += std::to_string(10 * r);
    for (int c = 0; c < 100000; ++c) row += ",1";
    row += "\n";
  }
  write_text(root / "wide.csv", header + "\n" + row);
  expect_one_line_error(
      run_kiln({"-C", p, "add", (root / "wide.csv").string()}), (root / "wide.csv").string(),
      "100000 axes (c0, c1, c2, c3, c4, c5, c6, c7, ... 99992 more), but the impulse expects 1");

  fs::create_symlink("/dev/zero", root / "zero.csv");
  expect_one_line_error(run_capped({"-C", p, "add", (root / "zero.csv").string()}),
                        (root / "zero.csv").string(), "not a regular file");
  EXPECT_EQ(project_files(root / "p"), before);  // nothing added
}

TEST(CliBoundedReads, HostileKilnToml) {
  const fs::path root = timeseries_project("toml");
  const std::string p = (root / "p").string();
  const std::string toml = kiln::test::read_bytes(root / "p" / "kiln.toml");
  std::string dotted = "a";
  for (int i = 0; i < 100000; ++i) dotted += ".a";
  write_text(root / "p" / "kiln.toml", dotted + " = 1\n" + toml);
  expect_one_line_error(run_kiln({"-C", p, "features"}), (root / "p" / "kiln.toml").string() + ":1",
                        "a key of more than 16 dotted parts");
  write_text(root / "p" / "kiln.toml", toml + "x = " + std::string(100000, '[') + "\n");
  expect_one_line_error(run_kiln({"-C", p, "features"}),
                        (root / "p" / "kiln.toml").string() + ":" +
                            std::to_string(std::count(toml.begin(), toml.end(), '\n') + 1),
                        "nested more than 16 deep");
  fs::remove(root / "p" / "kiln.toml");
  fs::create_symlink("/dev/zero", root / "p" / "kiln.toml");
  expect_one_line_error(run_capped({"-C", p, "features"}), (root / "p" / "kiln.toml").string(),
                        "not a regular file");
}

TEST(CliBoundedReads, DevicesAsModelsAndInputs) {
  const fs::path root = kiln::test::fresh_dir("cli-bounded-devices");
  expect_one_line_error(run_capped({"inspect", "/dev/zero"}), "/dev/zero", "not a regular file");
  expect_one_line_error(
      run_capped({"dsp", "mfe", "--frequency", "16000", "/dev/zero", (root / "o.csv").string()}), "/dev/zero",
      "not a regular file");
  fs::create_symlink("/dev/zero", root / "zero.wav");
  expect_one_line_error(run_capped({"dsp", "mfe", (root / "zero.wav").string(), (root / "o.csv").string()}),
                        (root / "zero.wav").string(), "not a regular file");
  EXPECT_FALSE(fs::exists(root / "o.csv"));

  const fs::path model = fs::path(KILN_SHARED_DIR) / "models" / "mlperf_tiny_ad01_int8.tflite";
  if (!fs::exists(model)) GTEST_SKIP() << model << " not found";
  expect_one_line_error(run_capped({"invoke", model.string(), "/dev/zero", (root / "out.bin").string()}),
                        "/dev/zero", "not a regular file");
  EXPECT_FALSE(fs::exists(root / "out.bin"));
}

}  // namespace
