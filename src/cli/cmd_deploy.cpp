// kiln deploy --out DIR: the impulse as a self-contained C++ library (or Arduino library), then its footprint
// and speed on a Cortex-M4F next to the other engine's. kiln profile: only the measurement (both commands
// share it, so they live together).
#include <filesystem>

#include "cli/commands.h"
#include "cli/impulse_export.h"
#include "core/error.h"
#include "core/escape.h"
#include "core/project_state.h"
#include "deploy/footprint.h"
#include "deploy/library_writer.h"

namespace kiln::cli {

namespace {

deploy::Format parse_format(const std::string& s) {
  if (s == "cpp") return deploy::Format::cpp;
  if (s == "arduino") return deploy::Format::arduino;
  throw Error("--format " + s + ": use cpp or arduino");
}

deploy::Engine parse_engine(const std::string& s) {
  if (s == "compiled") return deploy::Engine::compiled;
  if (s == "interpreter") return deploy::Engine::interpreter;
  throw Error("--engine " + s + ": use compiled or interpreter");
}

nlohmann::json facts_json(const deploy::Library& lib, const deploy::Footprint& fp) {
  nlohmann::json j = {{"engine", deploy::engine_name(lib.facts.engine)},
                      {"arena_bytes", lib.facts.arena_bytes},
                      {"model_arena_bytes", lib.facts.model_arena_bytes},
                      {"dsp_scratch_bytes", lib.facts.dsp_scratch_bytes},
                      {"model_bytes", lib.facts.model_bytes},
                      {"measured", fp.measured}};
  if (fp.measured) {
    j["cortex_m4f"] = {{"flash_code", fp.code},         {"flash_model", fp.model},
                       {"flash_const", fp.const_data},  {"ram_static", fp.static_ram},
                       {"stack_peak", fp.stack_peak},   {"dsp_instructions", fp.dsp_insns},
                       {"nn_instructions", fp.nn_insns}};
  } else {
    j["why_not_measured"] = fp.why_not;
  }
  return j;
}

// Builds both engines' libraries, measures them (unless !measure) and prints the table; returns the JSON.
nlohmann::json profile_engines(const Context& ctx, const WriteSession& s,
                               const deploy::ImpulseExport& impulse, bool measure) {
  const ProjectTemp work_dir(s.paths.dir, "profile");  // removed even when interrupted
  const std::filesystem::path& work = work_dir.path();
  std::vector<deploy::Library> libs;
  for (deploy::Engine e : {deploy::Engine::compiled, deploy::Engine::interpreter}) {
    libs.push_back(deploy::build_library(impulse, deploy::Format::cpp, e));
  }
  std::vector<deploy::Footprint> prints;
  std::vector<const deploy::Library*> ptrs;
  for (const auto& lib : libs) {
    if (measure) {
      if (!ctx.json && !ctx.quiet) {
        std::printf("Measuring the %s engine on a Cortex-M4F (QEMU)...\n",
                    deploy::engine_name(lib.facts.engine));
      }
      prints.push_back(deploy::measure_footprint(lib, work / deploy::engine_name(lib.facts.engine)));
    } else {
      prints.push_back(deploy::Footprint{false, "--no-measure"});
    }
    ptrs.push_back(&lib);
  }
  nlohmann::json j = nlohmann::json::array();
  for (std::size_t i = 0; i < libs.size(); ++i) j.push_back(facts_json(libs[i], prints[i]));
  if (!ctx.json) std::printf("\n%s", deploy::footprint_table(ptrs, prints).c_str());
  return j;
}

}  // namespace

nlohmann::json run_deploy(const Context& ctx, const DeployOptions& o) {
  const deploy::Format f = parse_format(o.format);
  const deploy::Engine e = parse_engine(o.engine);
  const WriteSession s = open_write_session(ctx, "deploy");
  const deploy::ImpulseExport impulse = impulse_export(s, o.model);
  const deploy::Library lib = deploy::build_library(impulse, f, e);
  deploy::write_library(lib, o.out, s.paths.dir);
  if (!ctx.json) {
    std::printf("Wrote %s (%s, %s engine, %zu files): include \"kiln_impulse.h\", call kiln_run_impulse()\n",
                o.out.c_str(), deploy::format_name(f), deploy::engine_name(e), lib.facts.files.size());
  }
  nlohmann::json table = profile_engines(ctx, s, impulse, o.measure);
  return {{"out", o.out},
          {"format", deploy::format_name(f)},
          {"engine", deploy::engine_name(e)},
          {"files", lib.facts.files},
          {"engines", table}};
}

void register_deploy(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("deploy", "Export the impulse as a self-contained C++ library for a device");
  static std::string out, format = "cpp", engine = "compiled", model = "int8";
  static bool no_measure = false;
  cmd->add_option("--out", out,
                  "Directory to write the library to (created, or replaced when it holds an "
                  "earlier kiln deploy output)")
      ->required();
  cmd->add_option("--format", format, "cpp (CMake + Makefile + examples) or arduino (an Arduino library)")
      ->capture_default_str();
  cmd->add_option(
         "--engine", engine,
         "compiled (generated code, the smallest and fastest) or interpreter (embedded .tflite run by "
         "the sdk/nn interpreter, for devices that receive new models)")
      ->capture_default_str();
  cmd->add_option("--model", model, "int8 or float32: which of the trained model's .tflite files to export")
      ->capture_default_str();
  cmd->add_flag("--no-measure", no_measure,
                "Skip the Cortex-M4F measurement (cross-compiling and running both engines under QEMU)");
  cmd->footer(
      "\nThe library holds only the sdk sources the impulse needs, kiln_impulse_metadata.h (labels, sample "
      "rate,\nwindow, DSP parameters, quantization, arena size) and the C API of kiln_impulse.h: "
      "kiln_run_impulse().\nThen both engines are measured on a Cortex-M4F under QEMU (`kiln profile` does "
      "only that).");
  cmd->callback([&ctx] {
    nlohmann::json j = run_deploy(ctx, {out, format, engine, model, !no_measure});
    if (ctx.json) std::printf("%s\n", json_text(j, 2).c_str());
  });
}

void register_profile(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand(
      "profile", "Flash, RAM and instructions per inference of the deployed impulse on a Cortex-M4F (QEMU)");
  static std::string model = "int8";
  cmd->add_option("--model", model, "int8 or float32")->capture_default_str();
  cmd->footer(
      "\nBuilds the library of both engines (compiled, interpreter), cross-compiles each for a Cortex-M4F "
      "with\narm-none-eabi-g++ and runs one inference under QEMU mps2-an386, counting instructions exactly.");
  cmd->callback([&ctx] {
    const WriteSession s = open_write_session(ctx, "profile");
    const deploy::ImpulseExport impulse = impulse_export(s, model);
    nlohmann::json table = profile_engines(ctx, s, impulse, true);
    if (ctx.json) std::printf("%s\n", json_text({{"engines", table}}, 2).c_str());
  });
}

}  // namespace kiln::cli
