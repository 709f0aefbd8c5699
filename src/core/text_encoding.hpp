// Text from officials' files, in whatever encoding it came in, made UTF-8 (NFC).
//
// Vietnamese offices still send tables in the pre-Unicode encodings of their
// fonts: TCVN3 (ABC, the .Vn* fonts), VNI-Windows (the VNI-* fonts), Windows-1258
// (with combining tone marks) and Latin-1/Windows-1252. This file holds the
// charts of those encodings, decides which one a text is in (valid UTF-8 is
// always UTF-8; otherwise the chart under which the text reads as Vietnamese
// syllables), converts to UTF-8 with Vietnamese letters precomposed (NFC), and
// says where the first byte that fits no chart is (line and column).
// Also: finding the invisible characters (zero-width space, NBSP, BOM) that make
// a column name look right and match nothing.
// Depends on the standard library only.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace nongsan {

enum class TextEncoding { utf8, tcvn3, vni, windows1258, latin1 };

// "utf-8", "tcvn3", "vni", "windows-1258", "latin-1".
std::string_view to_string(TextEncoding e);
// A longer name for messages: "TCVN3 (ABC)", "VNI-Windows", ...
std::string_view describe(TextEncoding e);
// The names `--encoding` accepts, without regard to case: utf-8/utf8; tcvn3/abc/tcvn;
// vni/vni-windows; windows-1258/cp1258/1258; latin-1/latin1/iso-8859-1/windows-1252/cp1252.
std::optional<TextEncoding> parse_text_encoding(std::string_view name);
// The accepted names in one line, for help texts and messages.
std::string_view text_encoding_names();

// Offset of the first byte that is not part of well-formed UTF-8 (RFC 3629: no
// overlong forms, no surrogates, nothing above U+10FFFF); nullopt when all is.
std::optional<std::size_t> first_invalid_utf8(std::string_view s);

// "line 3, column 14" of a byte offset: lines counted from 1 at each LF, columns in
// characters from 1 (an invalid byte counts as one character).
std::string byte_position(std::string_view text, std::size_t offset);

// Base letters followed by the combining marks Vietnamese uses (grave, acute,
// circumflex, tilde, breve, hook above, horn, dot below) become the precomposed
// letter, as Unicode NFC composes them (e + U+0323 + U+0302 -> ệ). Other text is
// left as it is. REQUIRES: valid UTF-8.
std::string compose_vietnamese(std::string_view utf8);

struct DecodedText {
  std::string text;  // UTF-8, Vietnamese letters precomposed
  TextEncoding encoding = TextEncoding::utf8;
};

// `bytes` read in `encoding` (UTF-8 is checked and composed). Errors (invalid_input,
// the field being `what`): a byte the encoding does not define, or invalid UTF-8,
// with its line and column.
Result<DecodedText> decode_text(std::string_view bytes, TextEncoding encoding, std::string_view what);

// Decides the encoding and decodes: valid UTF-8 (ASCII included) is UTF-8; other
// text is read in each legacy encoding and the one under which its words read as
// Vietnamese syllables (or, for Latin-1, as words of a Western language) is taken.
// Error, naming the line and column of the first byte that is not UTF-8, when no
// encoding reads well, or two read equally well and differently.
Result<DecodedText> detect_and_decode(std::string_view bytes, std::string_view what);

// `utf8` in a legacy encoding, for tests and the fuzz harnesses that build legacy
// text from Vietnamese words; nullopt when a character has no place in it (TCVN3
// has no capitals with tone marks, Latin-1 no ơ, ư, đ …).
std::optional<std::string> encode_text(std::string_view utf8, TextEncoding to);

// Invisible characters a column name must not hold: the byte-order mark, zero-width
// and format characters (U+200B–U+200F, U+2060, U+FEFF, U+00AD), no-break spaces
// (U+00A0, U+202F, U+2007), other Unicode spaces and C0/C1 controls other than
// space. Returns the offset of the first one in `utf8`, or nullopt.
std::optional<std::size_t> find_invisible(std::string_view utf8);
// "U+200B (zero-width space)" for the character at `offset` of `utf8`.
std::string describe_character(std::string_view utf8, std::size_t offset);

// `utf8` without a leading byte-order mark and without leading or trailing
// whitespace (ASCII whitespace, CR, NBSP and the other Unicode spaces).
std::string trim_header_name(std::string_view utf8);

}  // namespace nongsan
