// The rules for the names a user gives things that Kiln writes elsewhere: labels (folder names of
// `kiln features --png DIR/<label>/`, model outputs, generated C++) and the project name (kiln.toml `name`,
// `kiln init --name`). One set of rules, in one place:
//
//   - valid UTF-8;
//   - not empty, at most kMaxNameBytes bytes;
//   - no control characters: C0 (U+0000-U+001F), DEL (U+007F), C1 (U+0080-U+009F), the line and paragraph
//     separators U+2028/U+2029 and the bidirectional formatting characters (U+200E, U+200F, U+202A-U+202E,
//     U+2066-U+2069), which would let a name print as another;
//   - not "." or "..", and no "/" or "\" (a label becomes a folder name);
//   - no whitespace at the start or the end (Unicode White_Space: a space, U+00A0, U+3000, ...).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace kiln {

constexpr std::size_t kMaxNameBytes = 128;

// Why `name` breaks the rules above, as the end of a sentence ("is not valid UTF-8", "contains '/'"), or
// nullopt when it is fine.
std::optional<std::string> name_problem(std::string_view name);

// Throw kiln::Error with one line naming which kind of name failed, the name (escaped for the terminal) and
// the rule: "the label 'a/b' contains '/' (a label becomes a folder name)".
void check_label(std::string_view label);
void check_project_name(std::string_view name);

}  // namespace kiln
