// A sound made for one clip (an alarm, a confuser, a background) together with the recipe that made it.
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

namespace kiln::firealarm {

struct Stem {
  std::vector<float> samples;  // 16 kHz mono, unnormalised
  nlohmann::json recipe;
};

}  // namespace kiln::firealarm
