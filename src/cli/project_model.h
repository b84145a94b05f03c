// The project's learning block as the commands that use it (classify, test, deploy, profile) see it: the
// model trained here (out/model.kmodel and its two .tflite files) or an imported one (out/imported.json and
// its file). Every way a model can stop fitting the project is checked here, once, with one line naming
// the file and what changed:
//  - kiln.toml or the dataset's labels changed since the model was made (project/fingerprint.h);
//  - a .tflite file is not the one written with the model (its SHA-256 is recorded beside it).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "data/dataset.h"
#include "project/project.h"
#include "train/classifier.h"

namespace kiln::cli {

struct ProjectModel {
  std::optional<ClassifierModel> trained;  // set when the learning block was trained here
  nlohmann::json imported;                 // out/imported.json when it was imported, else null
  std::vector<std::string> labels;         // output order; empty for a model with raw outputs
};

// Throws kiln::Error when there is no model, or it no longer fits (see above).
ProjectModel load_project_model(const ProjectPaths& paths, const Impulse& impulse, const Dataset& dataset);

struct TfliteFile {
  std::filesystem::path path;
  std::vector<std::uint8_t> bytes;
};
// The .tflite to run: "int8" or "float32" for a trained model (an imported model is its one file), checked
// to be the file written with the model.
TfliteFile model_tflite(const ProjectPaths& paths, const ProjectModel& model, const std::string& kind);

// What `kiln train`, `kiln quantize` and `kiln import` record so that the checks above can be made.
void record_tflite_hashes(ClassifierModel& model, const std::vector<std::uint8_t>& float32,
                          const std::vector<std::uint8_t>& int8);

}  // namespace kiln::cli
