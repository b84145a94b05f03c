// Reproductions of what a hostile and a clumsy user found (issue "Trustworthy by construction"), through the
// kiln binary on a small project: a model used under other settings than it was made for, a failed command
// that left files behind, an interrupted command's temporary folders, output that never reached stdout, and
// messages that were not one line.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <regex>
#include <string>
#include <thread>
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

fs::path g_recordings, g_trained;  // made once per test binary

class Trust : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const fs::path root = fs::temp_directory_path() / ("kiln-trust-" + std::to_string(::getpid()));
    g_recordings = root / "recordings";
    g_trained = root / "trained";
    kiln::test::make_recordings(g_recordings, 1, 5);
    kiln::test::make_trained_project(g_trained, g_recordings);
  }
  static void TearDownTestSuite() { fs::remove_all(g_recordings.parent_path()); }

  // A copy of the trained project to change.
  fs::path trained_copy(const TempDir& tmp, const std::string& name = "p") {
    const fs::path p = tmp / name;
    fs::copy(g_trained, p, fs::copy_options::recursive);
    return p;
  }
};

std::string recording() {
  return (g_recordings / "alarm/a1.wav").string();
}

// Runs `args` in project `p` (with -q: no progress lines) and expects a clean refusal: status 1, one line on
// stderr holding `message`, and the project exactly as before.
void expect_refused(const fs::path& p, const std::vector<std::string>& args, const std::string& message) {
  const auto before = snapshot(p);
  std::vector<std::string> full = {"-C", p.string(), "-q"};
  full.insert(full.end(), args.begin(), args.end());
  const KilnRun r = run_kiln(full);
  EXPECT_EQ(r.exit_code, 1) << args[0] << ": " << r.err;
  EXPECT_NE(r.err.find(message), std::string::npos) << args[0] << ": " << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_EQ(snapshot(p), before) << args[0] << " changed the project";
}

}  // namespace

// Defect: train at noise_floor_db = -52, change it to -30, and classify/test/deploy all ran (accuracy 8%).
TEST_F(Trust, AModelIsRefusedWhenADspSettingChanged) {
  TempDir tmp;
  const fs::path p = trained_copy(tmp);
  write_bytes(p / "kiln.toml", std::regex_replace(kiln::test::tiny_toml(), std::regex("num_filters = 20"),
                                                  "num_filters = 20\nnoise_floor_db = -30"));
  const std::string why =
      "out/model.kmodel: [dsp] noise_floor_db was -52 when the model was made, kiln.toml now "
      "says -30; run `kiln train`";
  expect_refused(p, {"classify", recording()}, why);
  expect_refused(p, {"test"}, why);
  expect_refused(p, {"deploy", "--no-measure", "--out", (tmp / "lib").string()}, why);
  expect_refused(p, {"profile"}, why);
  expect_refused(p, {"quantize"}, why);
  EXPECT_FALSE(fs::exists(tmp / "lib"));
}

// Defect: changing [input] frequency after adding samples silently reinterpreted them.
TEST_F(Trust, SamplesStoredAtAnotherRateAreNotReinterpreted) {
  TempDir tmp;
  const fs::path p = trained_copy(tmp);
  write_bytes(p / "kiln.toml", std::regex_replace(kiln::test::tiny_toml(), std::regex("\\[input\\]\n"),
                                                  "[input]\nfrequency = 8000\n"));
  expect_refused(p, {"features"},
                 "data/kiln.db: 10 samples were added at 16000 Hz with 1 axis (e.g. id 1, a1.wav), but "
                 "kiln.toml's [input] now says 8000 Hz with 1 axis");
  expect_refused(p, {"train"}, "samples were added at 16000 Hz");
  expect_refused(p, {"classify", recording()}, "[input] frequency was 16000 when the model was made");
}

// Defect: adding a label after training was not flagged.
TEST_F(Trust, ALabelAddedAfterTrainingIsFlagged) {
  TempDir tmp;
  const fs::path p = trained_copy(tmp);
  KilnRun r =
      run_kiln({"-C", p.string(), "-q", "add", "--label", "siren", (g_recordings / "noise/n5.wav").string()});
  // n5.wav is already in the dataset as noise: use new content for the new label.
  if (r.exit_code != 0) {
    kiln::test::make_recordings(tmp / "siren", 50, 1);
    r = run_kiln({"-C", p.string(), "-q", "add", "--label", "siren", (tmp / "siren/alarm/a50.wav").string()});
  }
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string why = "the dataset has label 'siren' that the model was not trained on; run `kiln train`";
  expect_refused(p, {"classify", recording()}, why);
  expect_refused(p, {"test"}, why);
  expect_refused(p, {"deploy", "--no-measure", "--out", (tmp / "lib").string()}, why);
}

// Defect: a new model.kmodel with old .tflite files was used silently (the files written by one `kiln train`
// must stay together).
TEST_F(Trust, ATfliteFileThatIsNotTheModelsIsRefused) {
  TempDir tmp;
  const fs::path p = trained_copy(tmp);
  fs::copy_file(p / "out/model-f32.tflite", p / "out/model-int8.tflite",
                fs::copy_options::overwrite_existing);
  const std::string why = "out/model-int8.tflite: not the file written with";
  expect_refused(p, {"classify", recording()}, why);
  expect_refused(p, {"test"}, why);
  expect_refused(p, {"deploy", "--no-measure", "--out", (tmp / "lib").string()}, why);
  // `kiln quantize` writes them again from the model, and everything works.
  ASSERT_EQ(run_kiln({"-C", p.string(), "-q", "quantize"}).exit_code, 0);
  EXPECT_EQ(run_kiln({"-C", p.string(), "-q", "classify", recording()}).exit_code, 0);
}

// Start-up defect: every command loaded libtorch. Now only `kiln train` does: everything else works without
// the module.
TEST_F(Trust, OnlyTrainingLoadsLibtorch) {
  TempDir tmp;
  const fs::path p = trained_copy(tmp);
  ::setenv("KILN_TORCH_MODULE", "/nowhere/libkiln_torch.so", 1);
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{"test"},
                                             {"classify", recording()},
                                             {"quantize"},
                                             {"dataset"},
                                             {"features"},
                                             {"deploy", "--no-measure", "--out", (tmp / "lib").string()}}) {
    std::vector<std::string> full = {"-C", p.string(), "-q"};
    full.insert(full.end(), args.begin(), args.end());
    const KilnRun r = run_kiln(full);
    EXPECT_EQ(r.exit_code, 0) << args[0] << ": " << r.err;
  }
  const KilnRun train = run_kiln({"-C", p.string(), "-q", "train"});
  EXPECT_EQ(train.exit_code, 1);
  EXPECT_NE(train.err.find("`kiln train` needs libkiln_torch.so"), std::string::npos) << train.err;
  ::unsetenv("KILN_TORCH_MODULE");
}

// A project name that would break the files generated from it is refused where it is set.
TEST_F(Trust, AProjectNameIsCheckedWhereItIsSet) {
  TempDir tmp;
  const fs::path p = trained_copy(tmp);
  write_bytes(p / "kiln.toml", "name = \"fire/alarm\"\n" +
                                   kiln::test::tiny_toml().substr(kiln::test::tiny_toml().find('\n') + 1));
  expect_refused(p, {"classify", recording()}, "kiln.toml:1: the project name 'fire/alarm' contains '/'");
  const KilnRun r = run_kiln({"-q", "init", "--name", "a\nb", (tmp / "q").string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("the project name 'a\\nb'"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(tmp / "q/kiln.toml"));
}

// Defect: a failed first `kiln add` created the database.
TEST_F(Trust, AFailedFirstAddCreatesNothing) {
  TempDir tmp;
  const fs::path p = tmp / "p";
  ASSERT_EQ(run_kiln({"-q", "init", p.string()}).exit_code, 0);
  write_bytes(tmp / "bad.wav", "RIFF not really");
  expect_refused(p, {"add", (tmp / "bad.wav").string()}, "bad.wav");
  EXPECT_FALSE(fs::exists(p / "data/kiln.db"));
}

// Defect: a failed `kiln test` added feature-cache files.
TEST_F(Trust, AFailedTestAddsNoCacheFiles) {
  TempDir tmp;
  const fs::path p = tmp / "p";
  kiln::test::make_added_project(p, g_recordings);  // no model yet
  expect_refused(p, {"test"}, "out/model.kmodel: no trained model");
  // Failing late (after the features were computed) leaves nothing either: an unwritable report.
  const fs::path trained = trained_copy(tmp, "trained");
  fs::remove_all(trained / "out/features");
  fs::create_directories(trained / "out/report.html/x");  // a folder where the report goes: rename fails
  const auto before = snapshot(trained);
  const KilnRun r = run_kiln({"-C", trained.string(), "-q", "test"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(snapshot(trained), before);
  EXPECT_FALSE(fs::exists(trained / "out/features"));
}

// Defect: SIGINT/SIGTERM left kiln-profile-* folders (and compilers, QEMU) behind.
TEST_F(Trust, AnInterruptedProfileLeavesNothingBehind) {
  TempDir tmp;
  const fs::path p = trained_copy(tmp);
  for (int sig : {SIGINT, SIGTERM}) {
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      const int devnull = ::open("/dev/null", O_WRONLY);
      ::dup2(devnull, 1);
      ::dup2(devnull, 2);
      ::execl(KILN_BINARY, KILN_BINARY, "-C", p.c_str(), "profile", static_cast<char*>(nullptr));
      ::_exit(127);
    }
    // Wait until it works in its scratch folder (cross-compiling), then interrupt it.
    bool started = false;
    for (int i = 0; i < 600 && !started; ++i) {
      std::error_code ec;
      started = fs::directory_iterator(p / ".kiln/tmp", ec) != fs::directory_iterator();
      if (!started) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ASSERT_TRUE(started) << "kiln profile never started its build";
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    ::kill(child, sig);
    int status = 0;
    ::waitpid(child, &status, 0);
    EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == sig) << status;
    std::error_code ec;
    EXPECT_EQ(fs::directory_iterator(p / ".kiln/tmp", ec), fs::directory_iterator()) << "signal " << sig;
    for (const auto& e : fs::directory_iterator(fs::temp_directory_path()))
      EXPECT_EQ(e.path().filename().string().rfind("kiln-profile-", 0), std::string::npos) << e.path();
  }
}

// Defect: write errors on stdout were ignored (exit 0 on /dev/full).
TEST(TrustCli, AnOutputThatCannotBeWrittenIsAnError) {
  const int help = std::system((std::string("'") + KILN_BINARY + "' --help > /dev/full 2>/dev/null").c_str());
  EXPECT_EQ(WEXITSTATUS(help), 1) << "--help to /dev/full";
  TempDir tmp;
  ASSERT_EQ(run_kiln({"-q", "init", (tmp / "p").string()}).exit_code, 0);
  const std::string list = std::string("'") + KILN_BINARY + "' -C '" + (tmp / "p").string() +
                           "' --json dataset > /dev/full 2>" + (tmp / "err").string();
  const int status = std::system(list.c_str());
  EXPECT_EQ(WEXITSTATUS(status), 1);
  EXPECT_NE(read_bytes(tmp / "err").find("stdout: cannot write the output (No space left on device)"),
            std::string::npos)
      << read_bytes(tmp / "err");
}

// Defect: a --json command failed with an internal error on a path that is not UTF-8 (nlohmann's dump
// throws on invalid UTF-8; every JSON output goes through core/escape.h json_text).
TEST_F(Trust, JsonOutputNeverFailsOnBytesThatAreNotUtf8) {
  TempDir tmp;
  const fs::path p = trained_copy(tmp);
  const std::string out = (tmp / "lib\xff").string();
  const KilnRun r = run_kiln({"-C", p.string(), "-q", "--json", "deploy", "--no-measure", "--out", out});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"out\": \""), std::string::npos) << r.out;
  EXPECT_TRUE(fs::exists(fs::path(out) / ".kiln-deploy.json"));
}

// `kiln demo --dir DIR` started over by deleting DIR/project when it did not hold the demo's recipe: a user's
// folder there would be lost.
TEST(TrustCli, TheDemoNeverDeletesAFolderItDidNotMake) {
  TempDir tmp;
  fs::create_directories(tmp / "demo/project");
  write_bytes(tmp / "demo/project/thesis.tex", "a user's work");
  const auto before = snapshot(tmp / "demo");
  const KilnRun r = run_kiln({"-q", "demo", "--dir", (tmp / "demo").string(), "--minutes", "0.5"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("project: exists and was not made by `kiln demo`; choose another --dir"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(snapshot(tmp / "demo"), before);
}

// Defect: `kiln frobnicate` said "A subcommand is required".
TEST(TrustCli, AnUnknownCommandIsNamedWithASuggestion) {
  KilnRun r = run_kiln({"frobnicate"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "kiln: error: unknown command 'frobnicate'; see `kiln --help`\n");
  r = run_kiln({"-q", "trian"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "kiln: error: unknown command 'trian' (did you mean 'train'?); see `kiln --help`\n");
  r = run_kiln({"-C", "classify", "dataset"});  // -C's value is not the command
  EXPECT_NE(r.err.find("not a Kiln project"), std::string::npos) << r.err;
}

// Defect: an over-long path was reported as "no such file" (or as an internal error).
TEST(TrustCli, AnOverLongPathSaysSo) {
  const std::string long_dir = "/tmp/" + std::string(300, 'd');  // one component longer than NAME_MAX
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{"-C", long_dir, "dataset"},
                                             {"-C", long_dir, "train"},
                                             {"-q", "demo", "--dir", long_dir + "/x"}}) {
    const KilnRun r = run_kiln(args);
    EXPECT_EQ(r.exit_code, 1) << args[1] << ": " << r.err;
    EXPECT_NE(r.err.find("File name too long"), std::string::npos) << r.err;
  }
}

// Defect: a newline in a name gave a multi-line error; `--png-limit -5` was accepted.
TEST(TrustCli, ErrorsAreOneLineAndNegativeLimitsAreRefused) {
  TempDir tmp;
  const KilnRun r = run_kiln({"-C", (tmp / "no\nproject").string(), "dataset"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_NE(r.err.find("no\\nproject"), std::string::npos) << r.err;
  ASSERT_EQ(run_kiln({"-q", "init", (tmp / "p").string()}).exit_code, 0);
  const KilnRun png = run_kiln(
      {"-C", (tmp / "p").string(), "features", "--png", (tmp / "png").string(), "--png-limit", "-5"});
  EXPECT_EQ(png.exit_code, 2) << png.err;
}
