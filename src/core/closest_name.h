// "Did you mean ...?" for mistyped keys and names: the candidate with the smallest edit distance, if it is
// close.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kiln {

// Returns the closest candidate within a distance of max(2, size/3), or "" if none is that close.
std::string closest_name(std::string_view name, const std::vector<std::string>& candidates);

// " (did you mean 'x'?)" or "" — ready to append to an error message.
std::string did_you_mean(std::string_view name, const std::vector<std::string>& candidates);

}  // namespace kiln
