// Every case of shared/reference/dsp, of every block, through `kiln dsp BLOCK` as a user runs it (the case's
// parameters given as --param NAME=VALUE with Edge Impulse's names and values), within the README's tolerance
// for that block. A block of the golden set that kiln does not have fails here.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <sstream>

#include "golden_cases.h"
#include "support/kiln_cli.h"

namespace {

using namespace kiln::test;

// Edge Impulse's block ids as kiln dsp takes them (the golden index writes spectral_analysis).
std::string kiln_block(const std::string& golden_block) {
  std::string b = golden_block;
  std::replace(b.begin(), b.end(), '_', '-');
  return b;
}

std::string param_text(const nlohmann::json& v) {
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_string()) return v.get<std::string>();
  std::ostringstream s;
  s.precision(17);
  s << v.get<double>();
  return s.str();
}

// README "Recommended tolerances": the allowed |out - ref| for element i.
double tolerance(const GoldenCase& c, std::size_t i, double ref) {
  if (c.block == "mfe") return 1.0 / 256;  // within one step; the SDK golden test counts the steps
  if (c.block == "mfcc") return c.params.value("win_size", 0) == 0 ? 2e-3 + 1e-4 * std::fabs(ref) : 2e-3;
  if (c.block == "spectrogram") return 5e-4;
  if (c.block == "flatten") return 1e-4 * std::fabs(ref) + 1e-5;
  if (c.block == "raw") return std::fabs(ref) * 1.2e-7;  // one float32 ulp
  if (c.block == "spectral_analysis") {
    const std::string label = c.labels.empty() ? "" : c.labels[i % c.labels.size()];
    if (label.size() > 5 && label.compare(label.size() - 5, 5, "-mean") == 0) {
      // Wavelet Lk-mean is numerically zero: relative to the same level's rms.
      const std::string rms = label.substr(0, label.size() - 4) + "rms";
      const auto at = std::find(c.labels.begin(), c.labels.end(), rms);
      const std::size_t axis_start = i - i % c.labels.size();
      const double ref_rms = c.expected_f64[axis_start + static_cast<std::size_t>(at - c.labels.begin())];
      return std::max(1e-3, 1e-5 * std::fabs(ref_rms));
    }
    return 1e-3 * std::fabs(ref) + 1e-3;
  }
  return 0;
}

TEST(DspCliGolden, EveryCaseOfEveryBlockThroughKilnDsp) {
  if (!golden_available()) GTEST_SKIP() << "no golden vectors at " << golden_dir();
  int cases = 0;
  for (const char* block : {"mfe", "mfcc", "spectrogram", "spectral_analysis", "flatten", "raw"}) {
    for (const GoldenCase& c : load_golden_cases(block)) {
      SCOPED_TRACE(c.id);
      ++cases;
      TempDir tmp;
      std::ostringstream freq;
      freq.precision(17);
      freq << c.frequency;
      std::vector<std::string> args = {"dsp",    kiln_block(c.block),   "--frequency", freq.str(),
                                       "--axes", std::to_string(c.axes)};
      for (const auto& [name, value] : c.params.items()) {
        args.push_back("--param");
        args.push_back(name + "=" + param_text(value));
      }
      args.push_back((c.dir / "input.f32").string());
      args.push_back((tmp / "out.f32").string());
      const KilnRun r = run_kiln(args);
      ASSERT_EQ(r.exit_code, 0) << r.err;
      const std::vector<float> out = read_f32(tmp / "out.f32");
      const bool f64 = c.block == "spectral_analysis" || c.block == "flatten";
      // MFE: kiln saturates at 1.0 where the Python reference wraps to 0 (docs/architecture.md).
      const bool no_wrap = std::filesystem::exists(c.dir / "expected_no_wrap.f32");
      const std::vector<float> expected = no_wrap ? read_f32(c.dir / "expected_no_wrap.f32") : c.expected;
      ASSERT_EQ(out.size(), expected.size());
      double worst = 0;  // the largest error as a share of its tolerance
      int over = 0;
      for (std::size_t i = 0; i < out.size(); ++i) {
        const double ref = f64 ? c.expected_f64[i] : expected[i];
        const double err = std::fabs(out[i] - ref), tol = tolerance(c, i, ref);
        if (err > tol) ++over;
        if (tol > 0)
          worst = std::max(worst, err / tol);
        else if (err > 0)
          worst = std::max(worst, 1e9);
      }
      std::printf("%-32s %5zu values, worst error %.3g of the tolerance\n", c.id.c_str(), out.size(), worst);
      EXPECT_EQ(over, 0) << "values outside the tolerance";
    }
  }
  EXPECT_EQ(cases, 13) << "shared/reference/dsp has 13 public cases";
}

}  // namespace
