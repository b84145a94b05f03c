// kiln import: bring a .tflite model trained elsewhere (Keras/TFLite) into the project as its learning block.
// The file must load in sdk/nn, take one window of the impulse's features and give one score per label; it is
// copied to out/model-int8.tflite or out/model-f32.tflite (by its input type), the other model files are
// removed and out/imported.json records where it came from, so `kiln test` evaluates it.
#include <cstdio>
#include <filesystem>
#include <functional>
#include <numeric>
#include <set>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/session.h"
#include "core/atomic_file.h"
#include "core/error.h"
#include "core/escape.h"
#include "core/file_read.h"
#include "data/ingest_files.h"
#include "data/sha256.h"
#include "project/fingerprint.h"
#include "tflite/nn_runner.h"
#include "quantize/quantizer.h"
#include "tflite/model_file.h"

namespace kiln::cli {
namespace {

std::string shape_string(const std::vector<int>& dims) {
  std::string s = "[";
  for (std::size_t i = 0; i < dims.size(); ++i) s += (i ? ", " : "") + std::to_string(dims[i]);
  return s + "]";
}

std::vector<std::string> split_labels(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = text.find(',', start);
    out.push_back(text.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

nlohmann::json run_import(const Context& ctx, const std::string& model_path, const std::string& labels_opt,
                          bool raw_output) {
  WriteSession s = open_write_session(ctx, "import");
  const std::filesystem::path source(model_path);
  const tflite::ModelFile file(source);  // throws "FILE: not a usable .tflite model: <status>"
  const nn::Model& m = file.model();
  if (nn::model_input_count(m) != 1 || nn::model_output_count(m) != 1) {
    throw Error(model_path + ": the model has " + std::to_string(nn::model_input_count(m)) + " inputs and " +
                std::to_string(nn::model_output_count(m)) + " outputs; a learning block has one of each");
  }
  nn::TensorInfo in{}, out{};
  nn::model_tensor_info(m, nn::model_input_tensor(m, 0), &in);
  nn::model_tensor_info(m, nn::model_output_tensor(m, 0), &out);
  const std::vector<int> in_dims(in.dims, in.dims + in.rank);
  const std::vector<int> out_dims(out.dims, out.dims + out.rank);
  const auto elements = [](const std::vector<int>& d) {
    return std::accumulate(d.begin(), d.end(), std::int64_t{1}, std::multiplies<>());
  };

  const std::vector<int> feature_shape = window_feature_shape(s.impulse);
  if (!input_takes_features(in_dims, feature_shape)) {
    throw Error(model_path + ": input shape " + shape_string(in_dims) + " (" +
                std::to_string(elements(in_dims)) +
                " values) does not match the impulse's features per window " + shape_string(feature_shape) +
                " (" + std::to_string(elements(feature_shape)) + " values, " + s.paths.toml().string() + ")" +
                (elements(in_dims) == elements(feature_shape)
                     ? ": as many values in another shape, which the model would read as something else"
                     : ""));
  }
  if (in.type != nn::kTypeInt8 && in.type != nn::kTypeFloat32) {
    throw Error(model_path + ": input tensor is " + tflite::tensor_type_name(in.type) +
                "; kiln imports models with an int8 or float32 input");
  }

  std::vector<std::string> labels;
  if (raw_output) {
    if (!labels_opt.empty()) throw Error("--labels and --raw-output: a model with raw outputs has no labels");
  } else if (!labels_opt.empty()) {
    labels = split_labels(labels_opt);
    std::set<std::string> seen;
    for (const auto& l : labels) {
      check_label(l);
      if (!seen.insert(l).second) {
        throw Error("--labels " + labels_opt + ": labels must be non-empty and distinct");
      }
    }
  } else {
    labels = s.dataset.labels();
    if (labels.empty()) {
      throw Error(
          s.paths.data().string() +
          ": no samples, so no labels for the model's outputs (add samples, or pass --labels a,b,...)");
    }
  }
  if (!raw_output && elements(out_dims) != static_cast<std::int64_t>(labels.size())) {
    throw Error(model_path + ": output shape " + shape_string(out_dims) + " gives " +
                std::to_string(elements(out_dims)) + " scores, but there are " +
                std::to_string(labels.size()) + " labels (" +
                (labels_opt.empty() ? "the dataset's" : "--labels") +
                "); pass --labels in the model's output order");
  }

  const std::string bytes = read_file(source, tflite::kMaxModelFileBytes);
  // sdk/nn must also plan and bind it, as `kiln test` will.
  NnRunner runner(std::vector<std::uint8_t>(bytes.begin(), bytes.end()), model_path);

  const bool is_int8 = in.type == nn::kTypeInt8;
  const std::filesystem::path target =
      is_int8 ? int8_tflite_path(s.paths.out()) : float_tflite_path(s.paths.out());
  const std::filesystem::path other =
      is_int8 ? float_tflite_path(s.paths.out()) : int8_tflite_path(s.paths.out());
  nlohmann::json record = {{"source", std::filesystem::absolute(source).lexically_normal().string()},
                           {"sha256", sha256_hex(bytes)},
                           {"labels", labels},
                           {"raw_output", raw_output},
                           {"input_type", tflite::tensor_type_name(in.type)},
                           {"file", target.filename().string()},
                           {"input_shape", in_dims},
                           {"output_shape", out_dims},
                           {"fingerprint", model_fingerprint(s.impulse, labels)}};
  // One generation: the model file, its record and the removal of the trained model's files.
  Generation& gen = *s.generation;
  gen.write(target, bytes);
  gen.remove(other);
  gen.remove(s.paths.model());
  gen.write(s.paths.out() / "imported.json", json_text(record, 2) + "\n");
  gen.publish();

  if (!ctx.json) {
    const std::string outputs = raw_output ? std::to_string(elements(out_dims)) + " raw outputs"
                                           : std::to_string(labels.size()) + " labels";
    std::printf("Imported %s (%s input %s, %s, arena %zu bytes) as %s\n", model_path.c_str(),
                tflite::tensor_type_name(in.type), shape_string(in_dims).c_str(), outputs.c_str(),
                runner.arena_bytes(), target.string().c_str());
  }
  record["path"] = target.string();
  return record;
}

}  // namespace

void register_import(CLI::App& app, Context& ctx) {
  static std::string model_path;
  static std::string labels;
  static bool raw_output = false;
  auto* cmd =
      app.add_subcommand("import", "Use a .tflite model trained elsewhere as the project's learning block");
  cmd->add_option("model", model_path, "The .tflite model file (int8 or float32 input)")->required();
  cmd->add_option(
      "--labels", labels,
      "The labels of the model's outputs in order, comma-separated (default: the dataset's labels, "
      "sorted, as `kiln train` orders them)");
  cmd->add_flag("--raw-output", raw_output,
                "The outputs are not one score per label (an autoencoder, a regression): no labels; "
                "`kiln deploy` exposes the output values, `kiln test` is not available");
  cmd->footer(
      "\nThe model must take one window of the impulse's features (the same shape, e.g. 32 x 32 x 3 for a 32 "
      "x 32\n"
      "RGB image, or a flat input of as many values) and give one score\n"
      "per label. It becomes out/model-int8.tflite or out/model-f32.tflite (by its input type); the other "
      "model\n"
      "files are removed and out/imported.json records the source, its SHA-256 and the labels.");
  cmd->callback([&ctx] {
    nlohmann::json j = run_import(ctx, model_path, labels, raw_output);
    if (ctx.json) std::printf("%s\n", json_text(j, 2).c_str());
  });
}

}  // namespace kiln::cli
