// The golden vectors of shared/reference/dsp (see its README.md), read from index.json so that every case of
// a block in the set is tested; for MFE also the README's comparison rule.
#pragma once

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "dsp/mfe.h"

namespace kiln::test {

std::filesystem::path golden_dir();  // KILN_SHARED_DIR/reference/dsp
bool golden_available();

// One case of any block, as case.json describes it.
struct GoldenCase {
  std::string id;
  std::string
      block;        // index.json's name: "mfe", "mfcc", "spectrogram", "spectral_analysis", "flatten", "raw"
  int version = 0;  // implementation_version
  std::filesystem::path dir;
  double frequency = 0;
  int axes = 0;
  int samples_per_axis = 0;
  nlohmann::json params;             // case.json "params": every parameter, Edge Impulse names and JSON types
  std::vector<int> shape;            // output.shape
  std::vector<std::string> labels;   // output.labels (Spectral Analysis), else empty
  std::vector<float> input;          // interleaved by sample
  std::vector<float> expected;       // expected.f32
  std::vector<double> expected_f64;  // expected.f64 when the case has it, else empty
};

// Every case of index.json whose block is `block`.
std::vector<GoldenCase> load_golden_cases(const std::string& block);

struct MfeGoldenCase {
  std::string id;
  std::filesystem::path dir;
  double frequency = 0;
  std::map<std::string, double> params;  // case.json "params", Edge Impulse names
  int frames = 0, values = 0;            // case.json output.shape
  std::vector<float> input;
  std::vector<float>
      expected;             // expected_no_wrap.f32 when present (we output 1.0 at the top), else expected.f32
  int boundary_budget = 0;  // mfe_quantisation.within_1e-3_LSB_of_boundary
};

// Every case of index.json whose block is "mfe".
std::vector<MfeGoldenCase> load_mfe_golden_cases();

std::vector<float> read_f32(const std::filesystem::path& path);
std::vector<double> read_f64(const std::filesystem::path& path);
dsp::MfeParams mfe_params_of(const MfeGoldenCase& c);

struct MfeComparison {
  int elements = 0;
  int exact = 0;
  int boundary_steps = 0;  // one 1/256 step off where our unquantised v*256 is within 1e-3 of k + 0.5
  int mismatches = 0;      // anything else that differs
  std::string first_mismatch;
};

// README tolerance: bit-exact, except one step on elements whose v*256 (computed here with the SDK) lies
// within 1e-3 LSB of a rounding boundary.
MfeComparison compare_mfe(const MfeGoldenCase& c, const std::vector<float>& output);

}  // namespace kiln::test
