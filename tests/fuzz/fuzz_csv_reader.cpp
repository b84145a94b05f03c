// libFuzzer target: every input is a CSV time series (input.csv): read_csv_file, then, when the conversion is
// cheap enough for fuzzing, read_sample_file for a 100 Hz time-series impulse with that many axes (the axis
// checks and the resampler). See README.md.
#include <cstddef>
#include <cstdint>

#include "data/csv_reader.h"
#include "data/sample_reader.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace kiln;
  const std::filesystem::path path = fuzz::write_input("input.csv", data, size);
  fuzz::expect_only_kiln_errors(path, [&] {
    const SampleData d = read_csv_file(path);
    fuzz::check_sample(d);
    fuzz::convert_for_timeseries_impulse(path, d);
  });
  return 0;
}
