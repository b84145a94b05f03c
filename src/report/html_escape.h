// Escaping text for HTML element content and attribute values. Every user string (labels, file names, project
// name, summary values) goes through this before it reaches the report.
#pragma once

#include <string>
#include <string_view>

namespace kiln {

// & < > " ' become entities; everything else (including UTF-8) passes unchanged.
std::string html_escape(std::string_view text);

}  // namespace kiln
