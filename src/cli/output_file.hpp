// Writing what a command produced to the file named by --out, all or nothing: the
// bytes go to a temporary file beside it, renamed into place once complete, so a
// failed write leaves the old file or none — never half a document.
#pragma once

#include <string>
#include <string_view>

#include "core/result.hpp"

namespace nongsan::cli {

// Errors name `option` (e.g. "--out").
Status write_output_file(const std::string& path, std::string_view bytes, const std::string& option = "--out");

}  // namespace nongsan::cli
