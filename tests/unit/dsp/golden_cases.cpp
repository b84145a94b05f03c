#include "golden_cases.h"

#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

namespace kiln::test {
namespace {

nlohmann::json read_json(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error(path.string() + ": cannot open");
  return nlohmann::json::parse(in);
}

}  // namespace

std::filesystem::path golden_dir() {
  return std::filesystem::path(KILN_SHARED_DIR) / "reference" / "dsp";
}

bool golden_available() {
  return std::filesystem::exists(golden_dir() / "index.json");
}

std::vector<float> read_f32(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path.string() + ": cannot open");
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<float> v(bytes.size() / 4);
  std::memcpy(v.data(), bytes.data(), v.size() * 4);
  return v;
}

std::vector<double> read_f64(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path.string() + ": cannot open");
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<double> v(bytes.size() / 8);
  std::memcpy(v.data(), bytes.data(), v.size() * 8);
  return v;
}

std::vector<GoldenCase> load_golden_cases(const std::string& block) {
  std::vector<GoldenCase> cases;
  const nlohmann::json index = read_json(golden_dir() / "index.json");
  for (const auto& entry : index.at("cases")) {
    if (entry.at("block") != block) continue;
    GoldenCase c;
    c.id = entry.at("id").get<std::string>();
    c.block = block;
    c.dir = golden_dir() / c.id;
    const nlohmann::json j = read_json(c.dir / "case.json");
    c.version = j.at("implementation_version").get<int>();
    c.frequency = j.at("sampling_frequency").get<double>();
    c.axes = j.at("axes").get<int>();
    c.samples_per_axis = j.at("input").at("samples_per_axis").get<int>();
    c.params = j.at("params");
    c.shape = j.at("output").at("shape").get<std::vector<int>>();
    if (j.at("output").contains("labels"))
      c.labels = j.at("output").at("labels").get<std::vector<std::string>>();
    c.input = read_f32(c.dir / j.at("input").at("file").get<std::string>());
    c.expected = read_f32(c.dir / j.at("output").at("file").get<std::string>());
    if (j.at("output").contains("file_f64")) {
      c.expected_f64 = read_f64(c.dir / j.at("output").at("file_f64").get<std::string>());
    }
    cases.push_back(std::move(c));
  }
  return cases;
}

std::vector<MfeGoldenCase> load_mfe_golden_cases() {
  std::vector<MfeGoldenCase> cases;
  const nlohmann::json index = read_json(golden_dir() / "index.json");
  for (const auto& entry : index.at("cases")) {
    if (entry.at("block") != "mfe") continue;
    MfeGoldenCase c;
    c.id = entry.at("id").get<std::string>();
    c.dir = golden_dir() / c.id;
    const nlohmann::json j = read_json(c.dir / "case.json");
    c.frequency = j.at("sampling_frequency").get<double>();
    for (const auto& [name, value] : j.at("params").items()) c.params[name] = value.get<double>();
    c.frames = j.at("output").at("shape").at(0).get<int>();
    c.values = j.at("output").at("shape").at(1).get<int>();
    c.input = read_f32(c.dir / j.at("input").at("file").get<std::string>());
    const bool no_wrap = std::filesystem::exists(c.dir / "expected_no_wrap.f32");
    c.expected = read_f32(c.dir / (no_wrap ? "expected_no_wrap.f32" : "expected.f32"));
    c.boundary_budget = j.at("mfe_quantisation").at("within_1e-3_LSB_of_boundary").get<int>();
    cases.push_back(std::move(c));
  }
  return cases;
}

dsp::MfeParams mfe_params_of(const MfeGoldenCase& c) {
  dsp::MfeParams p = dsp::mfe_default_params(c.frequency);
  for (const auto& [name, v] : c.params) {
    if (name == "frame_length")
      p.frame_length = v;
    else if (name == "frame_stride")
      p.frame_stride = v;
    else if (name == "num_filters")
      p.num_filters = static_cast<int>(v);
    else if (name == "fft_length")
      p.fft_length = static_cast<int>(v);
    else if (name == "low_frequency")
      p.low_frequency = v;
    else if (name == "high_frequency")
      p.high_frequency = v;
    else if (name == "noise_floor_db")
      p.noise_floor_db = v;
    else
      throw std::runtime_error(c.id + ": unexpected MFE parameter " + name);
  }
  return p;
}

MfeComparison compare_mfe(const MfeGoldenCase& c, const std::vector<float>& output) {
  MfeComparison r;
  r.elements = static_cast<int>(c.expected.size());
  if (output.size() != c.expected.size()) {
    r.mismatches = r.elements;
    r.first_mismatch = "output has " + std::to_string(output.size()) + " values, expected " +
                       std::to_string(c.expected.size());
    return r;
  }
  // Our own unquantised values, frame by frame through the SDK.
  const dsp::MfeParams p = mfe_params_of(c);
  std::vector<unsigned char> scratch(dsp::mfe_scratch_bytes(p));
  kiln_float_array array = {c.input.data(), c.input.size()};
  kiln_signal signal = kiln_signal_from_array(&array);
  dsp::MfeState state;
  if (dsp::mfe_prepare(p, c.input.size(), scratch.data(), scratch.size(), &state) != dsp::kOk) {
    throw std::runtime_error(c.id + ": mfe_prepare failed");
  }
  std::vector<float> unquantised(output.size());
  for (int f = 0; f < state.frames; ++f) {
    if (dsp::mfe_frame(state, signal, f, unquantised.data() + static_cast<std::size_t>(f) * p.num_filters) !=
        dsp::kOk) {
      throw std::runtime_error(c.id + ": mfe_frame failed");
    }
  }
  for (std::size_t i = 0; i < output.size(); ++i) {
    if (output[i] == c.expected[i]) {
      ++r.exact;
      continue;
    }
    const double scaled = static_cast<double>(unquantised[i]) * 256.0;
    const double boundary_distance = std::fabs(scaled - std::floor(scaled) - 0.5);
    const bool one_step = std::fabs(static_cast<double>(output[i]) - c.expected[i]) == 1.0 / 256.0;
    if (one_step && boundary_distance <= 1e-3) {
      ++r.boundary_steps;
    } else {
      ++r.mismatches;
      if (r.first_mismatch.empty()) {
        std::ostringstream m;
        m << "element " << i << " (frame " << i / static_cast<std::size_t>(c.values) << ", band "
          << i % static_cast<std::size_t>(c.values) << "): got " << output[i] << ", expected "
          << c.expected[i] << ", our v*256 = " << scaled;
        r.first_mismatch = m.str();
      }
    }
  }
  return r;
}

}  // namespace kiln::test
