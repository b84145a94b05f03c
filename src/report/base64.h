// Base64 (RFC 4648, standard alphabet, with padding): images become data: URIs in the HTML report.
#pragma once

#include <string>
#include <string_view>

namespace kiln {

std::string base64_encode(std::string_view bytes);

}  // namespace kiln
