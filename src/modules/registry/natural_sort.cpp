#include "modules/registry/natural_sort.hpp"

#include <algorithm>

namespace nongsan::registry {

std::string natural_sort_key(std::string_view code) {
  std::string out;
  out.reserve(code.size() + 8);
  std::size_t i = 0;
  while (i < code.size()) {
    const char ch = code[i];
    if (ch >= '0' && ch <= '9') {
      std::size_t end = i;
      while (end < code.size() && code[end] >= '0' && code[end] <= '9') ++end;
      std::size_t first = i;
      while (first + 1 < end && code[first] == '0') ++first;  // "007" is 7; "000" is 0
      const std::size_t digits = std::min<std::size_t>(end - first, 99);
      out += static_cast<char>('0' + digits / 10);
      out += static_cast<char>('0' + digits % 10);
      out.append(code.substr(first, digits));
      i = end;
    } else {
      out += (ch >= 'A' && ch <= 'Z') ? static_cast<char>(ch - 'A' + 'a') : ch;
      ++i;
    }
  }
  return out;
}

}  // namespace nongsan::registry
