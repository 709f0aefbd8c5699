// Base64 (RFC 4648 §4, standard alphabet, with padding): the one encoder of the
// project, for data: URLs (images in JSON answers) and documents. Random tokens use
// libsodium's URL-safe variant (identity/credentials). Depends on the standard
// library only.
#pragma once

#include <string>
#include <string_view>

namespace nongsan {

std::string base64_encode(std::string_view bytes);

}  // namespace nongsan
