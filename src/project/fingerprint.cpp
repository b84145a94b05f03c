#include "project/fingerprint.h"

#include <algorithm>
#include <charconv>
#include <set>

#include "core/number_text.h"
#include "impulse/dsp_block.h"

namespace kiln {
namespace {

constexpr int kFingerprintVersion = 1;

// As kiln.toml writes it: -52, not -52.0; 0.02, not 0.020000000000000000416.
std::string shown(const nlohmann::json& v) {
  if (v.is_null()) return "(not set)";
  if (v.is_string()) return "\"" + v.get<std::string>() + "\"";
  if (v.is_number_float()) return number_text(v.get<double>());
  return v.dump();
}

std::string label_list(const std::vector<std::string>& labels) {
  std::string s;
  for (const auto& l : labels) s += (s.empty() ? "'" : ", '") + l + "'";
  return s;
}

}  // namespace

nlohmann::json model_fingerprint(const Impulse& imp, const std::vector<std::string>& labels) {
  nlohmann::json params = nlohmann::json::object();
  // As kiln.toml writes them, so a message reads filter-type "low", not 1.
  for (const auto& [name, value] : imp.dsp.params) {
    if (dsp_param_is_text(imp.dsp.block, name)) {
      params[name] = dsp_param_text(imp.dsp.block, name, value);
    } else {
      params[name] = value;
    }
  }
  nlohmann::json input = {{"frequency", imp.input.frequency},
                          {"axes", imp.input.axes},
                          {"window_size_ms", imp.input.window_size_ms}};
  // An image input's size and resize mode; absent for the others, so their fingerprints stay as they were.
  if (imp.input.is_image()) {
    input["type"] = imp.input.type;
    input["width"] = imp.input.width;
    input["height"] = imp.input.height;
    input["resize_mode"] = imp.input.resize_mode;
  }
  return {{"version", kFingerprintVersion},
          {"input", input},
          {"dsp", {{"block", imp.dsp.block}, {"version", imp.dsp.version}, {"params", params}}},
          {"labels", labels}};
}

std::string fingerprint_change(const nlohmann::json& recorded, const nlohmann::json& now) {
  if (!recorded.is_object() || recorded.value("version", 0) != kFingerprintVersion) {
    return "it was made by an older Kiln that did not record the settings it was made for";
  }
  const auto compare = [](const std::string& where, const nlohmann::json& was,
                          const nlohmann::json& is) -> std::string {
    if (was == is) return "";
    return where + " was " + shown(was) + " when the model was made, kiln.toml now says " + shown(is);
  };
  for (const char* key : {"type", "width", "height", "resize_mode", "frequency", "axes", "window_size_ms"}) {
    const std::string c =
        compare(std::string("[input] ") + key, recorded["input"].value(key, nlohmann::json()),
                now["input"].value(key, nlohmann::json()));
    if (!c.empty()) return c;
  }
  for (const char* key : {"block", "version"}) {
    const std::string c = compare(std::string("[dsp] ") + key, recorded["dsp"].value(key, nlohmann::json()),
                                  now["dsp"].value(key, nlohmann::json()));
    if (!c.empty()) return c;
  }
  const nlohmann::json& was = recorded["dsp"]["params"];
  const nlohmann::json& is = now["dsp"]["params"];
  std::set<std::string> names;
  for (const auto& [k, v] : was.items()) names.insert(k);
  for (const auto& [k, v] : is.items()) names.insert(k);
  for (const auto& name : names) {
    const std::string c =
        compare("[dsp] " + name, was.value(name, nlohmann::json()), is.value(name, nlohmann::json()));
    if (!c.empty()) return c;
  }

  const auto trained = recorded.value("labels", std::vector<std::string>());
  const auto current = now.value("labels", std::vector<std::string>());
  if (trained == current) return "";
  std::vector<std::string> added, gone;
  for (const auto& l : current)
    if (std::find(trained.begin(), trained.end(), l) == trained.end()) added.push_back(l);
  for (const auto& l : trained)
    if (std::find(current.begin(), current.end(), l) == current.end()) gone.push_back(l);
  if (!added.empty()) {
    return "the dataset has label" + std::string(added.size() > 1 ? "s " : " ") + label_list(added) +
           " that the model was not trained on";
  }
  if (!gone.empty()) {
    return "the model's label" + std::string(gone.size() > 1 ? "s " : " ") + label_list(gone) +
           (gone.size() > 1 ? " have" : " has") + " no samples in the dataset any more";
  }
  return "the labels are in another order than the model's outputs";
}

}  // namespace kiln
