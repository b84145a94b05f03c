// kiln: the command-line front end. Every subcommand is registered from its own cmd_*.cpp.
#include <cstdio>
#include <exception>

#include "cli/commands.h"
#include "core/error.h"

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

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version exit 0; a usage error exits 2, like most Unix tools (CLI11's own codes are >100).
    return app.exit(e) == 0 ? 0 : 2;
  } catch (const kiln::Error& e) {
    std::fprintf(stderr, "kiln: error: %s\n", e.what());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "kiln: internal error: %s\n", e.what());
    return 3;
  }
  return 0;
}
