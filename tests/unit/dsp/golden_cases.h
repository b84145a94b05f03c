// The MFE golden vectors of shared/reference/dsp (see its README.md), read from index.json so that every MFE
// case in the set is tested, and the README's comparison rule.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "dsp/mfe.h"

namespace kiln::test {

std::filesystem::path golden_dir();  // KILN_SHARED_DIR/reference/dsp
bool golden_available();

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
