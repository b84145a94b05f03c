// What `kiln deploy` and `kiln profile` export: the project's impulse with its current model — the imported
// .tflite (out/imported.json) or the trained model's out/model-int8.tflite (out/model-f32.tflite with
// float32) — and its labels, checked to fit the project (cli/project_model.h).
#pragma once

#include <string>

#include "cli/session.h"
#include "deploy/library_writer.h"

namespace kiln::cli {

// model: "int8" or "float32" (ignored for an imported model, which is exported as imported). Throws
// kiln::Error naming the file when there is no model yet or it no longer fits the project.
deploy::ImpulseExport impulse_export(const WriteSession& session, const std::string& model);

}  // namespace kiln::cli
