// kiln: the command-line front end. Every subcommand is registered from its own cmd_*.cpp.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <filesystem>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "core/closest_name.h"
#include "core/error.h"
#include "core/escape.h"

namespace {

// The first word that is not a global option or its value, when it names no command: CLI11 would only say
// "A subcommand is required".
std::string unknown_command(CLI::App& app, int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "-C" || a == "--project") {
      ++i;  // its value
      continue;
    }
    if (a.empty() || a[0] == '-') continue;
    for (const CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) {
      if (sub->check_name(a)) return "";
    }
    return a;
  }
  return "";
}

// Results that did not reach stdout (a full disk, a closed pipe) are a failure, not a success.
bool stdout_written() {
  if (std::fflush(stdout) == 0 && !std::ferror(stdout)) return true;
  std::fprintf(stderr, "kiln: error: stdout: cannot write the output (%s)\n", std::strerror(errno));
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  // Results go to stdout, progress to stderr: line-buffer stdout so the two interleave in order in a log
  // file.
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  CLI::App app{"kiln: local-first embedded ML. Collect data, design an impulse, train, test, deploy.",
               "kiln"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "kiln 0.1.0");
  kiln::cli::Context ctx;
  app.add_option("-C,--project", ctx.project_dir, "Project directory (default: current directory)");
  app.add_flag("--json", ctx.json, "Print results as JSON on stdout (for scripts)");
  app.add_flag("-q,--quiet", ctx.quiet, "No progress output");
  app.fallthrough();

  kiln::cli::register_init(app, ctx);
  kiln::cli::register_add(app, ctx);
  kiln::cli::register_dataset(app, ctx);
  kiln::cli::register_features(app, ctx);
  kiln::cli::register_train(app, ctx);
  kiln::cli::register_quantize(app, ctx);
  kiln::cli::register_test(app, ctx);
  kiln::cli::register_classify(app, ctx);
  kiln::cli::register_dsp(app, ctx);
  kiln::cli::register_demo(app, ctx);
  kiln::cli::register_inspect(app, ctx);
  kiln::cli::register_invoke(app, ctx);
  kiln::cli::register_import(app, ctx);
  kiln::cli::register_deploy(app, ctx);
  kiln::cli::register_profile(app, ctx);

  if (const std::string unknown = unknown_command(app, argc, argv); !unknown.empty()) {
    std::vector<std::string> names;
    for (const CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; }))
      names.push_back(sub->get_name());
    std::fprintf(stderr, "kiln: error: unknown command '%s'%s; see `kiln --help`\n",
                 kiln::terminal_line(unknown, 100).c_str(), kiln::did_you_mean(unknown, names).c_str());
    return 2;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version exit 0; a usage error exits 2, like most Unix tools (CLI11's own codes are >100).
    if (app.exit(e) != 0) return 2;
    return stdout_written() ? 0 : 1;
  } catch (const kiln::Error& e) {
    // One line, whatever the message quotes (a label with a newline, a file's bytes).
    std::fprintf(stderr, "kiln: error: %s\n", kiln::terminal_line(e.what()).c_str());
    return 1;
  } catch (const std::filesystem::filesystem_error& e) {
    // The file system refused something (no permission, a name too long, a full disk): the user's to fix,
    // not a bug. Named by its path, like every error.
    const std::string path = e.path1().empty() ? "" : e.path1().string() + ": ";
    std::fprintf(stderr, "kiln: error: %s\n", kiln::terminal_line(path + e.code().message()).c_str());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "kiln: internal error: %s\n", kiln::terminal_line(e.what()).c_str());
    return 3;
  }
  return stdout_written() ? 0 : 1;
}
