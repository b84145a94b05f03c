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
  // Images (data/image_sample.h): the stored size, and the resize mode the file was resized with ("" when it
  // already had that size). 0 x 0 for everything else.
  int width = 0;
  int height = 0;
  std::string resize_mode;

  std::size_t length() const { return axes > 0 ? values.size() / static_cast<std::size_t>(axes) : 0; }
};

}  // namespace kiln
