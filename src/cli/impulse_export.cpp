#include "cli/impulse_export.h"

#include <filesystem>

#include <nlohmann/json.hpp>

#include "core/atomic_file.h"
#include "core/error.h"
#include "project/project.h"
#include "quantize/quantizer.h"
#include "train/classifier.h"

namespace kiln::cli {

deploy::ImpulseExport impulse_export(const Context& ctx, const std::string& model) {
  const ProjectPaths paths{ctx.project_dir};
  const Impulse impulse = load_impulse(paths.dir);
  deploy::ImpulseExport e;
  e.name = impulse.name;
  e.input = impulse.input;
  e.dsp = impulse.dsp;

  std::filesystem::path file;
  const std::filesystem::path imported = paths.out() / "imported.json";
  if (std::filesystem::exists(imported) && !std::filesystem::exists(paths.model())) {
    const nlohmann::json record = nlohmann::json::parse(read_file(imported), nullptr, false);
    if (record.is_discarded() || !record.contains("file") || !record.contains("labels")) {
      throw Error(imported.string() + ": unreadable (run `kiln import` again)");
    }
    file = paths.out() / record.at("file").get<std::string>();
    e.labels = record.at("labels").get<std::vector<std::string>>();
  } else {
    if (!std::filesystem::exists(paths.model())) {
      throw Error(paths.model().string() + ": no trained model (run `kiln train`, or `kiln import` a model)");
    }
    if (model != "int8" && model != "float32") throw Error("--model " + model + ": use int8 or float32");
    file = model == "int8" ? int8_tflite_path(paths.out()) : float_tflite_path(paths.out());
    e.labels = load_model(paths.model()).labels;
  }
  if (!std::filesystem::exists(file)) {
    throw Error(file.string() + ": missing (run `kiln quantize`, or `kiln train` again)");
  }
  const std::string bytes = read_file(file);
  e.tflite.assign(bytes.begin(), bytes.end());
  e.model_file = file.string();
  return e;
}

}  // namespace kiln::cli
