// Every MFE case of the golden set, straight through the SDK (no CLI): bit-exact except at most one 1/256
// step on elements sitting within 1e-3 LSB of a rounding boundary, and no more of those than case.json
// counts. Prints the per-case counts (exact / boundary steps) so numeric changes in the block are visible.
#include <gtest/gtest.h>

#include <cstdio>

#include "golden_cases.h"

namespace {

using namespace kiln;

TEST(DspMfeGolden, SdkMatchesEveryMfeCase) {
  if (!test::golden_available()) GTEST_SKIP() << "no golden vectors at " << test::golden_dir();
  const std::vector<test::MfeGoldenCase> cases = test::load_mfe_golden_cases();
  ASSERT_FALSE(cases.empty()) << "index.json lists no mfe case";
  for (const auto& c : cases) {
    SCOPED_TRACE(c.id);
    const dsp::MfeParams p = test::mfe_params_of(c);
    dsp::MfeShape shape;
    ASSERT_EQ(dsp::mfe_output_shape(p, c.input.size(), &shape), dsp::kOk);
    EXPECT_EQ(shape.frames, c.frames);
    EXPECT_EQ(shape.values, c.values);
    std::vector<unsigned char> scratch(dsp::mfe_scratch_bytes(p));
    std::vector<float> out(static_cast<std::size_t>(shape.frames) * static_cast<std::size_t>(shape.values));
    kiln_float_array array = {c.input.data(), c.input.size()};
    ASSERT_EQ(dsp::mfe_run(p, kiln_signal_from_array(&array), scratch.data(), scratch.size(), out.data(),
                           out.size()),
              dsp::kOk);
    const test::MfeComparison r = test::compare_mfe(c, out);
    std::printf("%s: %d elements, %d exact, %d boundary steps (budget %d), %d mismatches\n", c.id.c_str(),
                r.elements, r.exact, r.boundary_steps, c.boundary_budget, r.mismatches);
    EXPECT_EQ(r.mismatches, 0) << r.first_mismatch;
    EXPECT_LE(r.boundary_steps, c.boundary_budget);
    EXPECT_EQ(r.exact + r.boundary_steps + r.mismatches, r.elements);
  }
}

}  // namespace
