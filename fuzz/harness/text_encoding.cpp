// core/text_encoding: the detection and conversion every CSV and .dbf import runs
// on an official's bytes. Whatever comes in, the result is valid UTF-8 or an error;
// a forced encoding decodes or names a byte; composition keeps UTF-8 valid.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/text_encoding.hpp"

using namespace nongsan;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  if (auto d = detect_and_decode(bytes, "fuzz"); d.ok() && first_invalid_utf8(d->text)) __builtin_trap();
  for (auto e : {TextEncoding::utf8, TextEncoding::tcvn3, TextEncoding::vni, TextEncoding::windows1258,
                 TextEncoding::latin1}) {
    auto d = decode_text(bytes, e, "fuzz");
    if (d.ok() && first_invalid_utf8(d->text)) __builtin_trap();
    if (d.ok()) (void)encode_text(d->text, e);
  }
  if (!first_invalid_utf8(bytes)) {
    if (first_invalid_utf8(compose_vietnamese(bytes))) __builtin_trap();
    const std::string trimmed = trim_header_name(bytes);
    if (auto at = find_invisible(trimmed)) (void)describe_character(trimmed, *at);
  }
  (void)byte_position(bytes, size / 2);
  return 0;
}
