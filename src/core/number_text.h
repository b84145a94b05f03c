// The shortest decimal text that reads back as exactly the same number ("0.02", not
// "0.020000000000000000416";
// "-52", not "-52.000000"): how kiln.toml, messages and text outputs write numbers.
#pragma once

#include <string>

namespace kiln {

std::string number_text(double v);
std::string number_text(float v);

}  // namespace kiln
