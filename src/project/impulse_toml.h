// kiln.toml <-> kiln::Impulse. Parsing is strict: an unknown or mistyped key, a value of the wrong type or
// out of range is an error naming the file, the line and the key (with a "did you mean" suggestion).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "project/impulse.h"

namespace kiln {

// `filename` is used in error messages only.
Impulse parse_impulse_toml(std::string_view text, const std::string& filename);

// The keys a [[learn.layers]] entry of this type accepts (besides "type"); the model file stores the same.
std::vector<std::string> layer_keys(const std::string& type);

// A complete, commented kiln.toml for `impulse` (what `kiln init` writes). parse(write(x)) == x.
std::string impulse_to_toml(const Impulse& impulse);

}  // namespace kiln
