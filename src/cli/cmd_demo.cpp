// kiln demo: the fire-alarm example end to end. Builds the recordings (cached), creates the project, ingests,
// computes features, trains, tests, and prints the confusion matrix and the report's path.
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>

#include "cli/commands.h"
#include "cli/progress.h"
#include "cli/session.h"
#include "core/atomic_file.h"
#include "core/error.h"
#include "core/escape.h"
#include "data/dataset.h"
#include "project/impulse_toml.h"
#include "project/project.h"

namespace kiln::cli {
namespace {

// The example's kiln.toml (examples/fire-alarm/kiln.toml), compiled in so the demo needs no source tree.
const char* const kFireAlarmToml =
#include "firealarm_toml.inc"
    ;

std::filesystem::path tool_path(const std::string& name) {
  std::error_code ec;
  std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  std::filesystem::path p = self.parent_path() / name;
  if (ec || !std::filesystem::exists(p)) {
    throw Error(name + ": not found beside the kiln binary (" + self.parent_path().string() +
                "); build the whole project (cmake --build build)");
  }
  return p;
}

void run_tool(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  std::fflush(stdout);
  pid_t pid = ::fork();
  if (pid < 0) throw Error("cannot start " + args[0]);
  if (pid == 0) {
    ::execv(argv[0], argv.data());
    std::perror(args[0].c_str());
    ::_exit(127);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) throw Error("waiting for " + args[0] + " failed");
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    throw Error(args[0] + " failed (exit status " + std::to_string(WEXITSTATUS(status)) + ")");
  }
}

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace

void register_demo(CLI::App& app, Context& ctx) {
  auto* cmd =
      app.add_subcommand("demo", "Run the fire-alarm example end to end (data, train, test, report, deploy)");
  static std::string dir = "kiln-demo";
  static std::uint64_t seed = 1;
  static double minutes = 72;
  static bool fresh = false;
  cmd->add_option("--dir", dir, "Working directory for recordings and the project")->capture_default_str();
  cmd->add_option("--seed", seed, "Seed of the synthesized dataset")->capture_default_str();
  cmd->add_option("--minutes", minutes, "Minutes of audio to synthesize")->capture_default_str();
  cmd->add_flag("--fresh", fresh, "Start the project over (the recordings stay cached)");
  cmd->footer(
      "\nSteps: kiln-firealarm-data builds DIR/recordings/{alarm,noise}/*.wav from a synthesized "
      "temporal-three\n"
      "smoke alarm and real recordings from Debian packages; then the equivalent of\n"
      "  kiln init DIR/project && kiln add DIR/recordings && kiln train && kiln test &&\n"
      "  kiln deploy --out DIR/fire-alarm-library\n"
      "with examples/fire-alarm/kiln.toml as the impulse.");
  cmd->callback([&ctx] {
    auto t0 = std::chrono::steady_clock::now();
    std::filesystem::path root(dir);
    std::filesystem::path recordings = root / "recordings";
    std::filesystem::path project = root / "project";
    char seed_s[32], minutes_s[32];
    std::snprintf(seed_s, sizeof seed_s, "%llu", static_cast<unsigned long long>(seed));
    std::snprintf(minutes_s, sizeof minutes_s, "%g", minutes);

    // Only a folder the demo made itself (it holds the recipe) is ever deleted: --dir may point anywhere.
    const std::string recipe = std::string("seed=") + seed_s + " minutes=" + minutes_s + "\n";
    const std::filesystem::path recipe_file = project / ".demo-recipe";
    std::error_code ec;
    if (std::filesystem::exists(project) && !std::filesystem::is_empty(project, ec) &&
        !std::filesystem::exists(recipe_file)) {
      throw Error(project.string() + ": exists and was not made by `kiln demo`; choose another --dir");
    }

    // 1. Recordings (the generator caches them by seed and size).
    auto t = std::chrono::steady_clock::now();
    if (!ctx.json) std::printf("== 1/6 recordings -> %s\n", recordings.string().c_str());
    run_tool({tool_path("kiln-firealarm-data").string(), "--out", recordings.string(), "--seed", seed_s,
              "--minutes", minutes_s});
    double t_data = seconds_since(t);

    // 2. Project. A project built from other recordings (another seed or size) is started over.
    if (std::filesystem::exists(recipe_file) && (fresh || read_file(recipe_file) != recipe)) {
      std::filesystem::remove_all(project);
    }
    if (!std::filesystem::exists(project / "kiln.toml")) {
      // The recipe first: it marks the folder as the demo's even if init is interrupted.
      write_file_atomic(recipe_file, recipe);
      init_project(project, parse_impulse_toml(kFireAlarmToml, "examples/fire-alarm/kiln.toml"));
    }
    Context pctx = ctx;
    pctx.project_dir = project;

    // 3. Ingest: labels from the folder names (alarm/, noise/), a 90:10 split stratified by label
    // ([dataset]).
    t = std::chrono::steady_clock::now();
    if (!ctx.json) std::printf("== 2/6 kiln add %s\n", recordings.string().c_str());
    WriteSession session = open_write_session(pctx, "demo", true);
    const Dataset::AddOptions opts = Dataset::add_options(session.impulse.dataset);
    {
      Progress bar("ingest", 0, ctx.quiet);
      Dataset::AddResult r =
          session.dataset.add({recordings / "alarm", recordings / "noise"}, opts, session.impulse.input,
                              [&](std::size_t done, std::size_t total) {
                                bar.set_total(total);
                                bar.set(done);
                              });
      bar.finish();
      session.generation->publish();
      if (!ctx.json) std::printf("added %d samples (%d already present)\n", r.added, r.duplicates);
    }
    double t_add = seconds_since(t);

    // 4. Features and training.
    if (!ctx.json) std::printf("== 3/6 features + 4/6 kiln train\n");
    t = std::chrono::steady_clock::now();
    nlohmann::json trained = run_train(pctx);
    double t_train = seconds_since(t);

    // 5. Test.
    if (!ctx.json) std::printf("== 5/6 kiln test\n");
    t = std::chrono::steady_clock::now();
    nlohmann::json tested = run_test(pctx);
    double t_test = seconds_since(t);

    // 6. Deploy: the impulse as a C++ library, measured on a Cortex-M4F when the Arm toolchain is present.
    const std::filesystem::path library = root / "fire-alarm-library";
    // Built outside the library folder: a build/ inside it would make the next demo's deploy refuse it (it is
    // not kiln's), and the next deploy must be able to replace the library.
    const std::filesystem::path build = std::filesystem::absolute(root / "fire-alarm-build");
    if (!ctx.json) std::printf("== 6/6 kiln deploy --out %s\n", library.string().c_str());
    t = std::chrono::steady_clock::now();
    nlohmann::json deployed = run_deploy(pctx, {library.string()});
    double t_deploy = seconds_since(t);

    nlohmann::json timing = {
        {"recordings_s", t_data}, {"ingest_s", t_add},    {"features_and_train_s", t_train},
        {"test_s", t_test},       {"deploy_s", t_deploy}, {"total_s", seconds_since(t0)}};
    if (ctx.json) {
      const nlohmann::json summary = {{"project", project.string()},
                                      {"train", trained},
                                      {"test", tested},
                                      {"deploy", deployed},
                                      {"timing", timing}};
      std::printf("%s\n", json_text(summary, 2).c_str());
    } else {
      std::printf(
          "\nDemo finished in %.0f s (recordings %.0f s, ingest %.0f s, features+training %.0f s, "
          "test %.0f s, deploy %.0f s).\nProject: %s  (try: kiln -C %s classify FILE.wav)\n"
          "Library: %s  (try: make -C %s BUILD=%s && %s/kiln-impulse FILE.wav)\n",
          seconds_since(t0), t_data, t_add, t_train, t_test, t_deploy, project.string().c_str(),
          project.string().c_str(), library.string().c_str(), library.string().c_str(),
          build.string().c_str(), build.string().c_str());
    }
  });
}

}  // namespace kiln::cli
