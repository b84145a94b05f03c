#include "cli/impulse_export.h"

#include "cli/project_model.h"

namespace kiln::cli {

deploy::ImpulseExport impulse_export(const WriteSession& s, const std::string& model) {
  const ProjectModel pm = load_project_model(s.paths, s.impulse, s.dataset);
  TfliteFile file = model_tflite(s.paths, pm, model);
  deploy::ImpulseExport e;
  e.name = s.impulse.name;
  e.input = s.impulse.input;
  e.dsp = s.impulse.dsp;
  e.labels = pm.labels;
  e.tflite = std::move(file.bytes);
  e.model_file = file.path.string();
  return e;
}

}  // namespace kiln::cli
