// kiln.toml <-> kiln::Impulse. Parsing is strict: an unknown or mistyped key, a value of the wrong type or
// out of range is an error naming the file, the line and the key (with a "did you mean" suggestion).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "project/impulse.h"

namespace kiln {

// The largest kiln.toml Kiln reads: 1 MiB (a complete one is about 3 KB, one with a hundred layers 20 KB).
inline constexpr std::size_t kMaxImpulseTomlBytes = std::size_t{1} << 20;

// `filename` is used in error messages only. Before toml++ sees the text, it is refused when larger than
// kMaxImpulseTomlBytes or when it nests arrays/inline tables or dotted keys deeper than a kiln.toml can
// (toml++ recurses and would overflow the stack): "FILE:LINE: ...".
Impulse parse_impulse_toml(std::string_view text, const std::string& filename);

// The keys a [[learn.layers]] entry of this type accepts (besides "type"); the model file stores the same.
std::vector<std::string> layer_keys(const std::string& type);

// The line of `key` in table `table` ("" for a top-level key) of a kiln.toml that parses, or 0 when it is not
// there (a default): for
// checks made after parsing that still want to point at the line.
int impulse_toml_line(std::string_view text, const std::string& table, const std::string& key);

// A complete, commented kiln.toml for `impulse` (what `kiln init` writes). parse(write(x)) == x.
std::string impulse_to_toml(const Impulse& impulse);

}  // namespace kiln
