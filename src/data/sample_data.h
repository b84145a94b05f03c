// One sample after conversion: what every reader produces and what the dataset stores.
#pragma once

#include <string>
#include <vector>

namespace kiln {

struct SampleData {
  std::vector<float> values;  // interleaved by sample: s0a0 s0a1 ... s1a0 ...; audio in int16 units (+-32768)
  int axes = 1;
  double frequency = 0;  // Hz
  std::vector<std::string> axis_names;

  std::size_t length() const { return axes > 0 ? values.size() / static_cast<std::size_t>(axes) : 0; }
};

}  // namespace kiln
