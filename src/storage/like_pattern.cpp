#include "storage/like_pattern.hpp"

namespace nongsan::storage {

std::string like_contains(std::string_view needle) {
  std::string out = "%";
  out.reserve(needle.size() + 2);
  for (char c : needle) {
    if (c == '%' || c == '_' || c == '!') out += '!';
    out += c;
  }
  out += '%';
  return out;
}

}  // namespace nongsan::storage
