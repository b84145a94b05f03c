#include "cli/project_model.h"

#include <algorithm>

#include "core/atomic_file.h"
#include "core/error.h"
#include "data/sha256.h"
#include "project/fingerprint.h"
#include "quantize/quantizer.h"

namespace kiln::cli {
namespace {

namespace fs = std::filesystem;

fs::path imported_record(const ProjectPaths& paths) {
  return paths.out() / "imported.json";
}

std::string sha256_of(const std::vector<std::uint8_t>& bytes) {
  return sha256_hex(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

void check_fingerprint(const fs::path& file, const nlohmann::json& recorded, const nlohmann::json& now,
                       const std::string& remedy) {
  const std::string change = fingerprint_change(recorded, now);
  if (!change.empty()) throw Error(file.string() + ": " + change + "; " + remedy);
}

}  // namespace

ProjectModel load_project_model(const ProjectPaths& paths, const Impulse& impulse, const Dataset& dataset) {
  ProjectModel m;
  std::error_code ec;
  if (!fs::exists(paths.model(), ec) && fs::exists(imported_record(paths), ec)) {
    const fs::path record_path = imported_record(paths);
    m.imported = nlohmann::json::parse(read_file(record_path), nullptr, false);
    if (!m.imported.is_object() || !m.imported.contains("file") || !m.imported["file"].is_string() ||
        !m.imported.contains("labels") || !m.imported["labels"].is_array()) {
      throw Error(record_path.string() + ": unreadable (run `kiln import` again)");
    }
    m.labels = m.imported["labels"].get<std::vector<std::string>>();
    const nlohmann::json recorded = m.imported.value("fingerprint", nlohmann::json());
    // The labels of an imported model are its outputs (--labels), not the dataset's: every label the
    // dataset has needs an output, and an empty dataset is fine (a model imported only to be deployed).
    check_fingerprint(record_path, recorded, model_fingerprint(impulse, recorded.value("labels", m.labels)),
                      "run `kiln import` again");
    if (!m.labels.empty()) {
      for (const std::string& l : dataset.labels()) {
        if (std::find(m.labels.begin(), m.labels.end(), l) == m.labels.end()) {
          throw Error(record_path.string() + ": the dataset has label '" + l +
                      "' that the imported model has no output for; run `kiln import` again with --labels");
        }
      }
    }
    return m;
  }
  if (!fs::exists(paths.model(), ec)) {
    throw Error(paths.model().string() + ": no trained model (run `kiln train`, or `kiln import` a model)");
  }
  m.trained = load_model(paths.model());
  m.labels = m.trained->labels;
  check_fingerprint(paths.model(), m.trained->metadata.value("fingerprint", nlohmann::json()),
                    model_fingerprint(impulse, dataset.labels()), "run `kiln train`");
  return m;
}

TfliteFile model_tflite(const ProjectPaths& paths, const ProjectModel& model, const std::string& kind) {
  TfliteFile f;
  std::string expected, remedy;
  if (!model.imported.is_null()) {
    f.path = paths.out() / fs::path(model.imported["file"].get<std::string>()).filename();
    expected = model.imported.value("sha256", "");
    remedy = "run `kiln import` again";
  } else {
    if (kind != "int8" && kind != "float32") throw Error("--model " + kind + ": use int8 or float32");
    f.path = kind == "int8" ? int8_tflite_path(paths.out()) : float_tflite_path(paths.out());
    const nlohmann::json hashes = model.trained->metadata.value("tflite_sha256", nlohmann::json::object());
    expected = hashes.value(kind, "");
    remedy = "run `kiln quantize`";
  }
  std::error_code ec;
  if (!fs::exists(f.path, ec)) throw Error(f.path.string() + ": missing (" + remedy + ")");
  const std::string bytes = read_file(f.path);
  f.bytes.assign(bytes.begin(), bytes.end());
  if (sha256_of(f.bytes) != expected) {
    throw Error(
        f.path.string() + ": not the file written with " +
        (model.imported.is_null() ? paths.model().string() : (paths.out() / "imported.json").string()) +
        " (changed or replaced since); " + remedy);
  }
  return f;
}

void record_tflite_hashes(ClassifierModel& model, const std::vector<std::uint8_t>& float32,
                          const std::vector<std::uint8_t>& int8) {
  model.metadata["tflite_sha256"] = {{"float32", sha256_of(float32)}, {"int8", sha256_of(int8)}};
}

}  // namespace kiln::cli
