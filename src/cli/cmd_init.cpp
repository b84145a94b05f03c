// kiln init DIR: a new project with a complete, commented kiln.toml.
#include <cstdio>

#include "cli/commands.h"
#include "core/escape.h"
#include "impulse/dsp_block.h"
#include "project/project.h"

namespace kiln::cli {

void register_init(CLI::App& app, Context& ctx) {
  auto* cmd =
      app.add_subcommand("init", "Create a new project: DIR/kiln.toml (the impulse), DIR/data, DIR/out");
  static std::string dir;
  static std::string name;
  static double frequency = 16000;
  static int window_ms = 1000;
  static int increase_ms = 500;
  cmd->add_option("DIR", dir, "Project directory (created if needed)")->required();
  cmd->add_option("--name", name, "Project name (default: the directory name)");
  cmd->add_option("--frequency", frequency, "Sampling frequency of the impulse in Hz")->capture_default_str();
  cmd->add_option("--window-ms", window_ms, "Window size in milliseconds")->capture_default_str();
  cmd->add_option("--increase-ms", increase_ms, "Window increase (stride) in milliseconds")
      ->capture_default_str();
  cmd->footer(
      "\nThe new kiln.toml describes an audio impulse: windows -> MFE -> a small 1-D CNN classifier. Edit it "
      "to "
      "change\nany setting; docs/kiln-toml.md documents every key.");
  cmd->callback([&ctx] {
    Impulse imp;
    std::filesystem::path path(dir);
    imp.name = name.empty() ? std::filesystem::absolute(path).lexically_normal().filename().string() : name;
    if (imp.name.empty()) imp.name = "kiln-project";
    imp.input.frequency = frequency;
    imp.input.window_size_ms = window_ms;
    imp.input.window_increase_ms = increase_ms;
    imp.dsp.params = dsp_default_params(imp.dsp.block);
    init_project(path, imp);
    if (ctx.json) {
      std::printf("%s\n", json_text({{"project", path.string()}, {"name", imp.name}}, 2).c_str());
    } else {
      std::printf("Created project '%s' in %s\n  next: kiln -C %s add --label LABEL FILES...\n",
                  imp.name.c_str(), path.string().c_str(), path.string().c_str());
    }
  });
}

}  // namespace kiln::cli
