// Files compiled into the kiln binary, so `kiln deploy` works without the source tree: the device SDK (sdk/)
// and the library templates (src/deploy/templates/).
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace kiln::deploy {

struct Resource {
  std::string_view path;  // relative to its tree, '/'-separated
  std::string_view text;
};

std::vector<Resource> sdk_sources();        // "dsp/mfe.cpp", "nn/conv2d.h", "include/kiln/nn.h", ...
std::vector<Resource> library_templates();  // "kiln_impulse.cpp", "examples/linux/main.cpp", ...

// The text of `path` in `tree`; throws kiln::Error when it is missing (a build problem, not user input).
std::string_view resource_text(const std::vector<Resource>& tree, std::string_view path);

// The sdk files `roots` need: every `#include "..."` that names an sdk file, and for each header X.h the
// matching X.cpp, transitively. Paths as in sdk_sources() ("dsp/mfe.h", "include/kiln/nn.h").
std::set<std::string> sdk_closure(std::vector<std::string> roots);

}  // namespace kiln::deploy
