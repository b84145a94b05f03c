// Every way Kiln writes a user's string (a label, a project name, a file name, a file's content quoted in a
// message) into something else is one function here, one per target language, so each escape rule exists
// once and is tested with hostile strings (tests/unit/core/test_escape.cpp).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

namespace kiln {

// A message for a terminal: one line; control characters (core/utf8.h) shown as \n, \t, \xNN or \uXXXX
// instead of obeyed, invalid UTF-8 as \xNN; at most `max_bytes` long (cut in the middle with " ... ", so both
// the start and the end stay readable).
std::string terminal_line(std::string_view text, std::size_t max_bytes = 1000);

// --- Generated files: one function per target language. Each takes any bytes (a label, a project name, a
// file name) and returns text that, placed where its comment says, reads back as that string and cannot end
// its context early. None of them throws.

// A C/C++ string literal, quotes included: "a\"b". `\` and `"` are backslash-escaped, every `?` is written
// `\?` so no trigraph can form (`??/` would be a backslash under -trigraphs or -std=c++11 and escape the
// closing quote), newline, tab and carriage return as \n \t \r, and every other control byte and every byte
// from 0x80 up (UTF-8 included) as a 3-digit octal escape, which never swallows a following digit. The
// compiled string holds exactly the input bytes, whatever the compiler's source and execution charsets.
std::string c_string_literal(std::string_view text);

// Text inside a C/C++ comment, `// here` or `/* here */`, on one line. Control bytes (a newline would end a
// `//` comment and start code) and invalid UTF-8 are written \xNN; a backslash that would be followed by
// whitespace or the end of the text is written \x5C (backslash-newline, even with spaces between, continues
// a `//` comment onto the next line); a backslash is put between `*` and `/` (`*/` ends a block comment),
// `/` and `*` (`/*` inside a comment is a -Wcomment warning) and two `?` (a `??/` trigraph is a backslash).
// Valid UTF-8 stays as it is. Put a space or a line end on each side of it, as in `/* text */`.
std::string c_comment(std::string_view text);

// HTML element content: & < > " ' become &amp; &lt; &gt; &quot; &#39;. Invalid UTF-8 and control characters
// other than tab, newline and carriage return (which HTML forbids) become U+FFFD.
std::string html_text(std::string_view text);

// An HTML attribute value between double or single quotes: as html_text, and tab, newline and carriage
// return as &#9; &#10; &#13;, so the value keeps them.
std::string html_attribute(std::string_view text);

// A JSON document: nlohmann's dump with UTF-8 kept as is and invalid UTF-8 replaced by U+FFFD, so it cannot
// throw whatever strings `value` holds. indent < 0: one line.
std::string json_text(const nlohmann::json& value, int indent = -1);

// A CMake quoted argument, quotes included: "a\"b". `\` `"` `$` `@` `;` are backslash-escaped (no variable
// reference ${x} or $ENV{x}, no @VAR@ for configure_file, and a `;` stays inside its list element: CMake
// keeps `\;` as written, which is how a list element holds a semicolon), newline, tab and carriage return
// are \n \t \r; other control characters and invalid UTF-8, which CMake cannot carry, become U+FFFD.
std::string cmake_quoted_argument(std::string_view text);

// A value in an Arduino `library.properties` line (`key=value`). The format has no escapes and one property
// per line, and Arduino trims the value: control characters (a newline would start a new property) become
// spaces, invalid UTF-8 becomes U+FFFD, and leading and trailing whitespace is dropped, so the result is
// exactly what Arduino reads.
std::string arduino_property_value(std::string_view text);

// A library name Arduino accepts (its `name` property): ASCII letters, digits, spaces, `_`, `-` and `.`,
// starting with a letter or digit, at most 63 characters. Any other character (a UTF-8 sequence counts as
// one) becomes `_`, leading characters that are not letters or digits are dropped, trailing spaces too; an
// empty result becomes "kiln_impulse".
std::string arduino_library_name(std::string_view text);

// The value of a Makefile variable assignment, `VAR := value`, on one line: `$` is written `$$`; a `#`
// (which would start a comment) gets a backslash and the backslashes before it are doubled, as make reads
// them; a trailing run of backslashes (one would join the next line) and leading whitespace (make drops it)
// are guarded by the empty reference `$()`; control characters other than tab, which cannot be written on
// one line, and invalid UTF-8 become U+FFFD.
std::string makefile_text(std::string_view text);

// Markdown inline text (CommonMark / GitHub), within one line: every ASCII punctuation character is
// backslash-escaped, which CommonMark allows for all of them, so nothing in the text is markup (no emphasis,
// link, code span, raw HTML, entity, heading or list marker); control characters become spaces, so the text
// stays in its line; invalid UTF-8 becomes U+FFFD.
std::string markdown_text(std::string_view text);

// A TOML basic string ("..."), as kiln.toml is written. Control characters are escaped too (TOML forbids them
// raw, so a value holding one would make the written file unreadable; found by fuzz_kiln_toml); invalid UTF-8
// becomes U+FFFD (TOML files are UTF-8).
std::string toml_string(std::string_view text);

}  // namespace kiln
