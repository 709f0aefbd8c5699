#include "core/text_encoding.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/text.hpp"

namespace nongsan {

namespace {

// ---- UTF-8 ------------------------------------------------------------------

// Decodes one well-formed UTF-8 sequence (RFC 3629) at s[i]; advances i past it.
// On a malformed sequence returns false and leaves i unchanged.
bool decode_strict(std::string_view s, std::size_t& i, char32_t& cp) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) {
    cp = b0;
    ++i;
    return true;
  }
  int len = 0;
  char32_t min = 0;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2, min = 0x80, cp = b0 & 0x1F;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3, min = 0x800, cp = b0 & 0x0F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4, min = 0x10000, cp = b0 & 0x07;
  } else {
    return false;
  }
  if (i + static_cast<std::size_t>(len) > s.size()) return false;
  for (int k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
    if ((b & 0xC0) != 0x80) return false;
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
  i += static_cast<std::size_t>(len);
  return true;
}

// One code point at s[i], or the byte itself (as U+FFFD) when malformed; advances i.
char32_t decode_lenient(std::string_view s, std::size_t& i) {
  char32_t cp = 0;
  if (decode_strict(s, i, cp)) return cp;
  ++i;
  return 0xFFFD;
}

std::u32string to_u32(std::string_view utf8) {
  std::u32string out;
  out.reserve(utf8.size());
  for (std::size_t i = 0; i < utf8.size();) out += decode_lenient(utf8, i);
  return out;
}

std::string to_utf8(std::u32string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char32_t cp : text) append_utf8(cp, out);
  return out;
}

// ---- charts -------------------------------------------------------------------
// Each chart gives the code point of the bytes 0x80–0xFF (0x00–0x7F are ASCII in
// all of them); 0 marks a byte the encoding does not define.

// TCVN 5712:1993 (Vietnamese Standard "Công nghệ thông tin — Bộ mã chuẩn 8-bit kí
// tự Việt dùng trong trao đổi thông tin"), table VN1, bytes 0x80–0xFF. VN3 — the
// "ABC" encoding of the .Vn* fonts, what offices call TCVN3 — is the part of VN1
// from 0xA1 up (lower-case letters with tone marks, Ă Â Ê Ô Ơ Ư Đ); its fonts show
// capitals by using a capitals font (.VnTimeH) over the same bytes, so text in VN3
// carries no capitals with tone marks and reads back in lower case. VN1 puts its
// capitals with tone marks in 0x80–0xA0 and in a few places above; those are taken
// too (VN1's use of C0 control bytes for more capitals is not: in a CSV file those
// bytes are controls).
constexpr std::array<char32_t, 128> kTcvn3 = {
    0x00C0, 0x1EA2, 0x00C3, 0x00C1, 0x1EA0, 0x1EB6, 0x1EAC, 0x00C8,  // 80
    0x1EBA, 0x1EBC, 0x00C9, 0x1EB8, 0x1EC6, 0x00CC, 0x1EC8, 0x0128,  // 88
    0x00CD, 0x1ECA, 0x00D2, 0x1ECE, 0x00D5, 0x00D3, 0x1ECC, 0x1ED8,  // 90
    0x1EDC, 0x1EDE, 0x1EE0, 0x1EDA, 0x1EE2, 0x00D9, 0x1EE6, 0x0168,  // 98
    0x00A0, 0x0102, 0x00C2, 0x00CA, 0x00D4, 0x01A0, 0x01AF, 0x0110,  // A0
    0x0103, 0x00E2, 0x00EA, 0x00F4, 0x01A1, 0x01B0, 0x0111, 0x1EB0,  // A8
    0x0300, 0x0309, 0x0303, 0x0301, 0x0323, 0x00E0, 0x1EA3, 0x00E3,  // B0
    0x00E1, 0x1EA1, 0x1EB2, 0x1EB1, 0x1EB3, 0x1EB5, 0x1EAF, 0x1EB4,  // B8
    0x1EAE, 0x1EA6, 0x1EA8, 0x1EAA, 0x1EA4, 0x1EC0, 0x1EB7, 0x1EA7,  // C0
    0x1EA9, 0x1EAB, 0x1EA5, 0x1EAD, 0x00E8, 0x1EC2, 0x1EBB, 0x1EBD,  // C8
    0x00E9, 0x1EB9, 0x1EC1, 0x1EC3, 0x1EC5, 0x1EBF, 0x1EC7, 0x00EC,  // D0
    0x1EC9, 0x1EC4, 0x1EBE, 0x1ED2, 0x0129, 0x00ED, 0x1ECB, 0x00F2,  // D8
    0x1ED4, 0x1ECF, 0x00F5, 0x00F3, 0x1ECD, 0x1ED3, 0x1ED5, 0x1ED7,  // E0
    0x1ED1, 0x1ED9, 0x1EDD, 0x1EDF, 0x1EE1, 0x1EDB, 0x1EE3, 0x00F9,  // E8
    0x1ED6, 0x1EE7, 0x0169, 0x00FA, 0x1EE5, 0x1EEB, 0x1EED, 0x1EEF,  // F0
    0x1EE9, 0x1EF1, 0x1EF3, 0x1EF7, 0x1EF9, 0x00FD, 0x1EF5, 0x1ED0,  // F8
};

// Windows-1258, Microsoft's code page chart for Vietnamese (as published by the
// Unicode Consortium: MAPPINGS/VENDORS/MICSFT/WINDOWS/CP1258.TXT). Windows-1252
// with Ă ă Đ đ Ơ ơ Ư ư ₫ and five combining tone marks (0xCC grave, 0xEC acute,
// 0xDE tilde, 0xD2 hook above, 0xF2 dot below) in place of Latin-1 letters: a
// letter with a tone mark is two bytes, and is composed to NFC here.
constexpr std::array<char32_t, 128> kWindows1258 = {
    0x20AC, 0x0000, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,  // 80
    0x02C6, 0x2030, 0x0000, 0x2039, 0x0152, 0x0000, 0x0000, 0x0000,  // 88
    0x0000, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,  // 90
    0x02DC, 0x2122, 0x0000, 0x203A, 0x0153, 0x0000, 0x0000, 0x0178,  // 98
    0x00A0, 0x00A1, 0x00A2, 0x00A3, 0x00A4, 0x00A5, 0x00A6, 0x00A7,  // A0
    0x00A8, 0x00A9, 0x00AA, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x00AF,  // A8
    0x00B0, 0x00B1, 0x00B2, 0x00B3, 0x00B4, 0x00B5, 0x00B6, 0x00B7,  // B0
    0x00B8, 0x00B9, 0x00BA, 0x00BB, 0x00BC, 0x00BD, 0x00BE, 0x00BF,  // B8
    0x00C0, 0x00C1, 0x00C2, 0x0102, 0x00C4, 0x00C5, 0x00C6, 0x00C7,  // C0
    0x00C8, 0x00C9, 0x00CA, 0x00CB, 0x0300, 0x00CD, 0x00CE, 0x00CF,  // C8
    0x0110, 0x00D1, 0x0309, 0x00D3, 0x00D4, 0x01A0, 0x00D6, 0x00D7,  // D0
    0x00D8, 0x00D9, 0x00DA, 0x00DB, 0x00DC, 0x01AF, 0x0303, 0x00DF,  // D8
    0x00E0, 0x00E1, 0x00E2, 0x0103, 0x00E4, 0x00E5, 0x00E6, 0x00E7,  // E0
    0x00E8, 0x00E9, 0x00EA, 0x00EB, 0x0301, 0x00ED, 0x00EE, 0x00EF,  // E8
    0x0111, 0x00F1, 0x0323, 0x00F3, 0x00F4, 0x01A1, 0x00F6, 0x00F7,  // F0
    0x00F8, 0x00F9, 0x00FA, 0x00FB, 0x00FC, 0x01B0, 0x20AB, 0x00FF,  // F8
};

// Latin-1 as files labelled so are written in practice: Windows-1252 (Microsoft's
// chart, MAPPINGS/VENDORS/MICSFT/WINDOWS/CP1252.TXT), which is ISO 8859-1 with
// printable characters in 0x80–0x9F; the WHATWG Encoding Standard reads the labels
// "latin1" and "iso-8859-1" the same way.
constexpr std::array<char32_t, 128> kWindows1252 = {
    0x20AC, 0x0000, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,  // 80
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x0000, 0x017D, 0x0000,  // 88
    0x0000, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,  // 90
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x0000, 0x017E, 0x0178,  // 98
    0x00A0, 0x00A1, 0x00A2, 0x00A3, 0x00A4, 0x00A5, 0x00A6, 0x00A7,  // A0
    0x00A8, 0x00A9, 0x00AA, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x00AF,  // A8
    0x00B0, 0x00B1, 0x00B2, 0x00B3, 0x00B4, 0x00B5, 0x00B6, 0x00B7,  // B0
    0x00B8, 0x00B9, 0x00BA, 0x00BB, 0x00BC, 0x00BD, 0x00BE, 0x00BF,  // B8
    0x00C0, 0x00C1, 0x00C2, 0x00C3, 0x00C4, 0x00C5, 0x00C6, 0x00C7,  // C0
    0x00C8, 0x00C9, 0x00CA, 0x00CB, 0x00CC, 0x00CD, 0x00CE, 0x00CF,  // C8
    0x00D0, 0x00D1, 0x00D2, 0x00D3, 0x00D4, 0x00D5, 0x00D6, 0x00D7,  // D0
    0x00D8, 0x00D9, 0x00DA, 0x00DB, 0x00DC, 0x00DD, 0x00DE, 0x00DF,  // D8
    0x00E0, 0x00E1, 0x00E2, 0x00E3, 0x00E4, 0x00E5, 0x00E6, 0x00E7,  // E0
    0x00E8, 0x00E9, 0x00EA, 0x00EB, 0x00EC, 0x00ED, 0x00EE, 0x00EF,  // E8
    0x00F0, 0x00F1, 0x00F2, 0x00F3, 0x00F4, 0x00F5, 0x00F6, 0x00F7,  // F0
    0x00F8, 0x00F9, 0x00FA, 0x00FB, 0x00FC, 0x00FD, 0x00FE, 0x00FF,  // F8
};

// VNI-Windows, the encoding of the VNI fonts (VNI Software Company's character
// chart for its Windows fonts, as reproduced in the comparison tables of the
// Vietnamese encodings, e.g. "Bảng đối chiếu encoding các bộ chữ hiện hành với
// Unicode"). A Windows-1252 font in which a vowel with marks is the ASCII vowel
// followed by a mark byte — á = "a" 0xF9, ấ = "a" 0xE1, Ấ = "A" 0xC1 — and a few
// letters are one byte: đ ơ ư í ì ỉ ĩ ị ỵ and their capitals. Bytes that are not
// VNI letters or marks keep their Windows-1252 meaning (the font's punctuation).
struct VniLetter {
  unsigned char byte;
  char32_t letter;
};
constexpr VniLetter kVniLetters[] = {
    {0xF1, 0x0111}, {0xD1, 0x0110},  // đ Đ
    {0xF4, 0x01A1}, {0xD4, 0x01A0},  // ơ Ơ
    {0xF6, 0x01B0}, {0xD6, 0x01AF},  // ư Ư
    {0xED, 0x00ED}, {0xCD, 0x00CD},  // í Í
    {0xEC, 0x00EC}, {0xCC, 0x00CC},  // ì Ì
    {0xE6, 0x1EC9}, {0xC6, 0x1EC8},  // ỉ Ỉ
    {0xF3, 0x0129}, {0xD3, 0x0128},  // ĩ Ĩ
    {0xF2, 0x1ECB}, {0xD2, 0x1ECA},  // ị Ị
    {0xEE, 0x1EF5}, {0xCE, 0x1EF4},  // ỵ Ỵ
};

enum class VniBase { tone, circumflex, breve };  // which vowels a mark goes on
struct VniMark {
  unsigned char lower, upper;  // the byte after a small and after a capital vowel
  VniBase base;
  char32_t first, second;  // combining marks (second 0 when one)
};
constexpr VniMark kVniMarks[] = {
    {0xF9, 0xD9, VniBase::tone, 0x0301, 0},             // sắc
    {0xF8, 0xD8, VniBase::tone, 0x0300, 0},             // huyền
    {0xFB, 0xDB, VniBase::tone, 0x0309, 0},             // hỏi
    {0xF5, 0xD5, VniBase::tone, 0x0303, 0},             // ngã
    {0xEF, 0xCF, VniBase::tone, 0x0323, 0},             // nặng
    {0xE2, 0xC2, VniBase::circumflex, 0x0302, 0},       // â ê ô
    {0xE1, 0xC1, VniBase::circumflex, 0x0302, 0x0301},  // ấ
    {0xE0, 0xC0, VniBase::circumflex, 0x0302, 0x0300},  // ầ
    {0xE5, 0xC5, VniBase::circumflex, 0x0302, 0x0309},  // ẩ
    {0xE3, 0xC3, VniBase::circumflex, 0x0302, 0x0303},  // ẫ
    {0xE4, 0xC4, VniBase::circumflex, 0x0302, 0x0323},  // ậ
    {0xEA, 0xCA, VniBase::breve, 0x0306, 0},            // ă
    {0xE9, 0xC9, VniBase::breve, 0x0306, 0x0301},       // ắ
    {0xE8, 0xC8, VniBase::breve, 0x0306, 0x0300},       // ằ
    {0xFA, 0xDA, VniBase::breve, 0x0306, 0x0309},       // ẳ
    {0xFC, 0xDC, VniBase::breve, 0x0306, 0x0303},       // ẵ
    {0xEB, 0xCB, VniBase::breve, 0x0306, 0x0323},       // ặ
};

bool vni_takes(char32_t vowel, VniBase base) {
  switch (base) {
    case VniBase::tone:
      return std::u32string_view(U"aeouyAEOUY\u01A1\u01A0\u01B0\u01AF").find(vowel) != std::u32string_view::npos;
    case VniBase::circumflex:
      return std::u32string_view(U"aeoAEO").find(vowel) != std::u32string_view::npos;
    case VniBase::breve:
      return vowel == U'a' || vowel == U'A';
  }
  return false;
}

// ---- composition (NFC for Latin letters and the marks Vietnamese uses) ----------
// (base, combining mark) -> precomposed letter, for every Latin letter whose NFC with
// one of U+0300 U+0301 U+0302 U+0303 U+0306 U+0309 U+031B U+0323 is one code point
// (the Unicode Character Database's canonical decompositions, as Unicode NFC
// applies them); sorted by base, then mark.
struct Composition {
  char32_t base, mark, composed;
};
constexpr Composition kCompositions[] = {
    {0x0041, 0x0300, 0x00C0}, {0x0041, 0x0301, 0x00C1}, {0x0041, 0x0302, 0x00C2}, {0x0041, 0x0303, 0x00C3},
    {0x0041, 0x0306, 0x0102}, {0x0041, 0x0309, 0x1EA2}, {0x0041, 0x0323, 0x1EA0}, {0x0042, 0x0323, 0x1E04},
    {0x0043, 0x0301, 0x0106}, {0x0043, 0x0302, 0x0108}, {0x0044, 0x0323, 0x1E0C}, {0x0045, 0x0300, 0x00C8},
    {0x0045, 0x0301, 0x00C9}, {0x0045, 0x0302, 0x00CA}, {0x0045, 0x0303, 0x1EBC}, {0x0045, 0x0306, 0x0114},
    {0x0045, 0x0309, 0x1EBA}, {0x0045, 0x0323, 0x1EB8}, {0x0047, 0x0301, 0x01F4}, {0x0047, 0x0302, 0x011C},
    {0x0047, 0x0306, 0x011E}, {0x0048, 0x0302, 0x0124}, {0x0048, 0x0323, 0x1E24}, {0x0049, 0x0300, 0x00CC},
    {0x0049, 0x0301, 0x00CD}, {0x0049, 0x0302, 0x00CE}, {0x0049, 0x0303, 0x0128}, {0x0049, 0x0306, 0x012C},
    {0x0049, 0x0309, 0x1EC8}, {0x0049, 0x0323, 0x1ECA}, {0x004A, 0x0302, 0x0134}, {0x004B, 0x0301, 0x1E30},
    {0x004B, 0x0323, 0x1E32}, {0x004C, 0x0301, 0x0139}, {0x004C, 0x0323, 0x1E36}, {0x004D, 0x0301, 0x1E3E},
    {0x004D, 0x0323, 0x1E42}, {0x004E, 0x0300, 0x01F8}, {0x004E, 0x0301, 0x0143}, {0x004E, 0x0303, 0x00D1},
    {0x004E, 0x0323, 0x1E46}, {0x004F, 0x0300, 0x00D2}, {0x004F, 0x0301, 0x00D3}, {0x004F, 0x0302, 0x00D4},
    {0x004F, 0x0303, 0x00D5}, {0x004F, 0x0306, 0x014E}, {0x004F, 0x0309, 0x1ECE}, {0x004F, 0x031B, 0x01A0},
    {0x004F, 0x0323, 0x1ECC}, {0x0050, 0x0301, 0x1E54}, {0x0052, 0x0301, 0x0154}, {0x0052, 0x0323, 0x1E5A},
    {0x0053, 0x0301, 0x015A}, {0x0053, 0x0302, 0x015C}, {0x0053, 0x0323, 0x1E62}, {0x0054, 0x0323, 0x1E6C},
    {0x0055, 0x0300, 0x00D9}, {0x0055, 0x0301, 0x00DA}, {0x0055, 0x0302, 0x00DB}, {0x0055, 0x0303, 0x0168},
    {0x0055, 0x0306, 0x016C}, {0x0055, 0x0309, 0x1EE6}, {0x0055, 0x031B, 0x01AF}, {0x0055, 0x0323, 0x1EE4},
    {0x0056, 0x0303, 0x1E7C}, {0x0056, 0x0323, 0x1E7E}, {0x0057, 0x0300, 0x1E80}, {0x0057, 0x0301, 0x1E82},
    {0x0057, 0x0302, 0x0174}, {0x0057, 0x0323, 0x1E88}, {0x0059, 0x0300, 0x1EF2}, {0x0059, 0x0301, 0x00DD},
    {0x0059, 0x0302, 0x0176}, {0x0059, 0x0303, 0x1EF8}, {0x0059, 0x0309, 0x1EF6}, {0x0059, 0x0323, 0x1EF4},
    {0x005A, 0x0301, 0x0179}, {0x005A, 0x0302, 0x1E90}, {0x005A, 0x0323, 0x1E92}, {0x0061, 0x0300, 0x00E0},
    {0x0061, 0x0301, 0x00E1}, {0x0061, 0x0302, 0x00E2}, {0x0061, 0x0303, 0x00E3}, {0x0061, 0x0306, 0x0103},
    {0x0061, 0x0309, 0x1EA3}, {0x0061, 0x0323, 0x1EA1}, {0x0062, 0x0323, 0x1E05}, {0x0063, 0x0301, 0x0107},
    {0x0063, 0x0302, 0x0109}, {0x0064, 0x0323, 0x1E0D}, {0x0065, 0x0300, 0x00E8}, {0x0065, 0x0301, 0x00E9},
    {0x0065, 0x0302, 0x00EA}, {0x0065, 0x0303, 0x1EBD}, {0x0065, 0x0306, 0x0115}, {0x0065, 0x0309, 0x1EBB},
    {0x0065, 0x0323, 0x1EB9}, {0x0067, 0x0301, 0x01F5}, {0x0067, 0x0302, 0x011D}, {0x0067, 0x0306, 0x011F},
    {0x0068, 0x0302, 0x0125}, {0x0068, 0x0323, 0x1E25}, {0x0069, 0x0300, 0x00EC}, {0x0069, 0x0301, 0x00ED},
    {0x0069, 0x0302, 0x00EE}, {0x0069, 0x0303, 0x0129}, {0x0069, 0x0306, 0x012D}, {0x0069, 0x0309, 0x1EC9},
    {0x0069, 0x0323, 0x1ECB}, {0x006A, 0x0302, 0x0135}, {0x006B, 0x0301, 0x1E31}, {0x006B, 0x0323, 0x1E33},
    {0x006C, 0x0301, 0x013A}, {0x006C, 0x0323, 0x1E37}, {0x006D, 0x0301, 0x1E3F}, {0x006D, 0x0323, 0x1E43},
    {0x006E, 0x0300, 0x01F9}, {0x006E, 0x0301, 0x0144}, {0x006E, 0x0303, 0x00F1}, {0x006E, 0x0323, 0x1E47},
    {0x006F, 0x0300, 0x00F2}, {0x006F, 0x0301, 0x00F3}, {0x006F, 0x0302, 0x00F4}, {0x006F, 0x0303, 0x00F5},
    {0x006F, 0x0306, 0x014F}, {0x006F, 0x0309, 0x1ECF}, {0x006F, 0x031B, 0x01A1}, {0x006F, 0x0323, 0x1ECD},
    {0x0070, 0x0301, 0x1E55}, {0x0072, 0x0301, 0x0155}, {0x0072, 0x0323, 0x1E5B}, {0x0073, 0x0301, 0x015B},
    {0x0073, 0x0302, 0x015D}, {0x0073, 0x0323, 0x1E63}, {0x0074, 0x0323, 0x1E6D}, {0x0075, 0x0300, 0x00F9},
    {0x0075, 0x0301, 0x00FA}, {0x0075, 0x0302, 0x00FB}, {0x0075, 0x0303, 0x0169}, {0x0075, 0x0306, 0x016D},
    {0x0075, 0x0309, 0x1EE7}, {0x0075, 0x031B, 0x01B0}, {0x0075, 0x0323, 0x1EE5}, {0x0076, 0x0303, 0x1E7D},
    {0x0076, 0x0323, 0x1E7F}, {0x0077, 0x0300, 0x1E81}, {0x0077, 0x0301, 0x1E83}, {0x0077, 0x0302, 0x0175},
    {0x0077, 0x0323, 0x1E89}, {0x0079, 0x0300, 0x1EF3}, {0x0079, 0x0301, 0x00FD}, {0x0079, 0x0302, 0x0177},
    {0x0079, 0x0303, 0x1EF9}, {0x0079, 0x0309, 0x1EF7}, {0x0079, 0x0323, 0x1EF5}, {0x007A, 0x0301, 0x017A},
    {0x007A, 0x0302, 0x1E91}, {0x007A, 0x0323, 0x1E93}, {0x00C2, 0x0300, 0x1EA6}, {0x00C2, 0x0301, 0x1EA4},
    {0x00C2, 0x0303, 0x1EAA}, {0x00C2, 0x0309, 0x1EA8}, {0x00C2, 0x0323, 0x1EAC}, {0x00C5, 0x0301, 0x01FA},
    {0x00C6, 0x0301, 0x01FC}, {0x00C7, 0x0301, 0x1E08}, {0x00CA, 0x0300, 0x1EC0}, {0x00CA, 0x0301, 0x1EBE},
    {0x00CA, 0x0303, 0x1EC4}, {0x00CA, 0x0309, 0x1EC2}, {0x00CA, 0x0323, 0x1EC6}, {0x00CF, 0x0301, 0x1E2E},
    {0x00D2, 0x031B, 0x1EDC}, {0x00D3, 0x031B, 0x1EDA}, {0x00D4, 0x0300, 0x1ED2}, {0x00D4, 0x0301, 0x1ED0},
    {0x00D4, 0x0303, 0x1ED6}, {0x00D4, 0x0309, 0x1ED4}, {0x00D4, 0x0323, 0x1ED8}, {0x00D5, 0x0301, 0x1E4C},
    {0x00D5, 0x031B, 0x1EE0}, {0x00D8, 0x0301, 0x01FE}, {0x00D9, 0x031B, 0x1EEA}, {0x00DA, 0x031B, 0x1EE8},
    {0x00DC, 0x0300, 0x01DB}, {0x00DC, 0x0301, 0x01D7}, {0x00E2, 0x0300, 0x1EA7}, {0x00E2, 0x0301, 0x1EA5},
    {0x00E2, 0x0303, 0x1EAB}, {0x00E2, 0x0309, 0x1EA9}, {0x00E2, 0x0323, 0x1EAD}, {0x00E5, 0x0301, 0x01FB},
    {0x00E6, 0x0301, 0x01FD}, {0x00E7, 0x0301, 0x1E09}, {0x00EA, 0x0300, 0x1EC1}, {0x00EA, 0x0301, 0x1EBF},
    {0x00EA, 0x0303, 0x1EC5}, {0x00EA, 0x0309, 0x1EC3}, {0x00EA, 0x0323, 0x1EC7}, {0x00EF, 0x0301, 0x1E2F},
    {0x00F2, 0x031B, 0x1EDD}, {0x00F3, 0x031B, 0x1EDB}, {0x00F4, 0x0300, 0x1ED3}, {0x00F4, 0x0301, 0x1ED1},
    {0x00F4, 0x0303, 0x1ED7}, {0x00F4, 0x0309, 0x1ED5}, {0x00F4, 0x0323, 0x1ED9}, {0x00F5, 0x0301, 0x1E4D},
    {0x00F5, 0x031B, 0x1EE1}, {0x00F8, 0x0301, 0x01FF}, {0x00F9, 0x031B, 0x1EEB}, {0x00FA, 0x031B, 0x1EE9},
    {0x00FC, 0x0300, 0x01DC}, {0x00FC, 0x0301, 0x01D8}, {0x0102, 0x0300, 0x1EB0}, {0x0102, 0x0301, 0x1EAE},
    {0x0102, 0x0303, 0x1EB4}, {0x0102, 0x0309, 0x1EB2}, {0x0102, 0x0323, 0x1EB6}, {0x0103, 0x0300, 0x1EB1},
    {0x0103, 0x0301, 0x1EAF}, {0x0103, 0x0303, 0x1EB5}, {0x0103, 0x0309, 0x1EB3}, {0x0103, 0x0323, 0x1EB7},
    {0x0112, 0x0300, 0x1E14}, {0x0112, 0x0301, 0x1E16}, {0x0113, 0x0300, 0x1E15}, {0x0113, 0x0301, 0x1E17},
    {0x014C, 0x0300, 0x1E50}, {0x014C, 0x0301, 0x1E52}, {0x014D, 0x0300, 0x1E51}, {0x014D, 0x0301, 0x1E53},
    {0x0168, 0x0301, 0x1E78}, {0x0168, 0x031B, 0x1EEE}, {0x0169, 0x0301, 0x1E79}, {0x0169, 0x031B, 0x1EEF},
    {0x01A0, 0x0300, 0x1EDC}, {0x01A0, 0x0301, 0x1EDA}, {0x01A0, 0x0303, 0x1EE0}, {0x01A0, 0x0309, 0x1EDE},
    {0x01A0, 0x0323, 0x1EE2}, {0x01A1, 0x0300, 0x1EDD}, {0x01A1, 0x0301, 0x1EDB}, {0x01A1, 0x0303, 0x1EE1},
    {0x01A1, 0x0309, 0x1EDF}, {0x01A1, 0x0323, 0x1EE3}, {0x01AF, 0x0300, 0x1EEA}, {0x01AF, 0x0301, 0x1EE8},
    {0x01AF, 0x0303, 0x1EEE}, {0x01AF, 0x0309, 0x1EEC}, {0x01AF, 0x0323, 0x1EF0}, {0x01B0, 0x0300, 0x1EEB},
    {0x01B0, 0x0301, 0x1EE9}, {0x01B0, 0x0303, 0x1EEF}, {0x01B0, 0x0309, 0x1EED}, {0x01B0, 0x0323, 0x1EF1},
    {0x0228, 0x0306, 0x1E1C}, {0x0229, 0x0306, 0x1E1D}, {0x1E60, 0x0323, 0x1E68}, {0x1E61, 0x0323, 0x1E69},
    {0x1EA0, 0x0302, 0x1EAC}, {0x1EA0, 0x0306, 0x1EB6}, {0x1EA1, 0x0302, 0x1EAD}, {0x1EA1, 0x0306, 0x1EB7},
    {0x1EB8, 0x0302, 0x1EC6}, {0x1EB9, 0x0302, 0x1EC7}, {0x1ECC, 0x0302, 0x1ED8}, {0x1ECC, 0x031B, 0x1EE2},
    {0x1ECD, 0x0302, 0x1ED9}, {0x1ECD, 0x031B, 0x1EE3}, {0x1ECE, 0x031B, 0x1EDE}, {0x1ECF, 0x031B, 0x1EDF},
    {0x1EE4, 0x031B, 0x1EF0}, {0x1EE5, 0x031B, 0x1EF1}, {0x1EE6, 0x031B, 0x1EEC}, {0x1EE7, 0x031B, 0x1EED},
};

bool is_composing_mark(char32_t cp) {
  switch (cp) {
    case 0x0300: case 0x0301: case 0x0302: case 0x0303: case 0x0306: case 0x0309: case 0x031B: case 0x0323:
      return true;
    default:
      return false;
  }
}

char32_t compose(char32_t base, char32_t mark) {
  const auto* end = std::end(kCompositions);
  const auto* it = std::lower_bound(std::begin(kCompositions), end, Composition{base, mark, 0},
                                    [](const Composition& a, const Composition& b) {
                                      return a.base != b.base ? a.base < b.base : a.mark < b.mark;
                                    });
  return it != end && it->base == base && it->mark == mark ? it->composed : 0;
}

std::u32string compose_u32(std::u32string_view text) {
  std::u32string out;
  out.reserve(text.size());
  for (char32_t cp : text) {
    if (is_composing_mark(cp) && !out.empty()) {
      if (char32_t c = compose(out.back(), cp)) {
        out.back() = c;
        continue;
      }
    }
    out += cp;
  }
  return out;
}

// ---- decoding -------------------------------------------------------------------

struct Decoding {
  std::u32string text;                     // composed
  std::size_t undefined = 0;               // bytes the chart does not define
  std::optional<std::size_t> first_undefined;
  std::size_t stray_marks = 0;             // VNI mark bytes after something that takes no mark
};

const std::array<char32_t, 128>& chart(TextEncoding e) {
  switch (e) {
    case TextEncoding::tcvn3:
      return kTcvn3;
    case TextEncoding::windows1258:
      return kWindows1258;
    default:
      return kWindows1252;
  }
}

// REQUIRES: e is not utf8.
Decoding decode_legacy(std::string_view bytes, TextEncoding e) {
  Decoding d;
  d.text.reserve(bytes.size());
  const auto& table = chart(e);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    const auto b = static_cast<unsigned char>(bytes[i]);
    if (b < 0x80) {
      d.text += b;
      continue;
    }
    if (e == TextEncoding::vni) {
      const auto* letter = std::find_if(std::begin(kVniLetters), std::end(kVniLetters),
                                        [b](const VniLetter& l) { return l.byte == b; });
      if (letter != std::end(kVniLetters)) {
        d.text += letter->letter;
        continue;
      }
      const auto* mark = std::find_if(std::begin(kVniMarks), std::end(kVniMarks),
                                      [b](const VniMark& m) { return m.lower == b || m.upper == b; });
      if (mark != std::end(kVniMarks)) {
        // A mark goes on the vowel just before it, and on one vowel only.
        const bool after_vowel = !d.text.empty() && vni_takes(d.text.back(), mark->base) &&
                                 (i == 0 || static_cast<unsigned char>(bytes[i - 1]) < 0x80 ||
                                  std::any_of(std::begin(kVniLetters), std::end(kVniLetters),
                                              [&](const VniLetter& l) { return l.byte == static_cast<unsigned char>(bytes[i - 1]); }));
        if (after_vowel) {
          char32_t c = compose(d.text.back(), mark->first);
          if (c && mark->second) c = compose(c, mark->second);
          if (c) {
            d.text.back() = c;
            continue;
          }
        }
        ++d.stray_marks;
      }
    }
    const char32_t cp = table[b - 0x80];
    if (cp == 0) {
      ++d.undefined;
      if (!d.first_undefined) d.first_undefined = i;
      d.text += 0xFFFD;
    } else {
      d.text += cp;
    }
  }
  d.text = compose_u32(d.text);
  return d;
}

Error bad_text(std::string_view what, std::string_view text, std::size_t offset, const std::string& why) {
  const std::string where = byte_position(text, offset);
  return Error::invalid(std::string(what) + ": " + where + ": " + why, {{std::string(what) + ", " + where, why}});
}

std::string hex_byte(unsigned char b) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02X", b);
  return buf;
}

// ---- reading like Vietnamese ---------------------------------------------------

// The Vietnamese vowels without a tone mark, and with each tone (grave, acute,
// hook above, tilde, dot below), small then capital.
constexpr std::u32string_view kVowels[] = {
    U"aàáảãạ", U"ăằắẳẵặ", U"âầấẩẫậ", U"eèéẻẽẹ", U"êềếểễệ", U"iìíỉĩị",
    U"oòóỏõọ", U"ôồốổỗộ", U"ơờớởỡợ", U"uùúủũụ", U"ưừứửữự", U"yỳýỷỹỵ",
    U"AÀÁẢÃẠ", U"ĂẰẮẲẴẶ", U"ÂẦẤẨẪẬ", U"EÈÉẺẼẸ", U"ÊỀẾỂỄỆ", U"IÌÍỈĨỊ",
    U"OÒÓỎÕỌ", U"ÔỒỐỔỖỘ", U"ƠỜỚỞỠỢ", U"UÙÚỦŨỤ", U"ƯỪỨỬỮỰ", U"YỲÝỶỸỴ",
};

struct Letter {
  char32_t base;  // small letter without tone: a ă â e ê … đ b c …
  bool toned;
  bool capital;
};

const std::unordered_map<char32_t, Letter>& vietnamese_letters() {
  static const auto table = [] {
    std::unordered_map<char32_t, Letter> t;
    for (std::size_t row = 0; row < std::size(kVowels); ++row) {
      const bool capital = row >= 12;
      const char32_t base = kVowels[row % 12][0];
      for (std::size_t tone = 0; tone < kVowels[row].size(); ++tone) t[kVowels[row][tone]] = {base, tone > 0, capital};
    }
    for (char32_t c = U'a'; c <= U'z'; ++c) t.emplace(c, Letter{c, false, false});
    for (char32_t c = U'A'; c <= U'Z'; ++c) t.emplace(c, Letter{c + 32, false, true});
    t[U'đ'] = {U'đ', false, false};
    t[U'Đ'] = {U'đ', false, true};
    return t;
  }();
  return table;
}

// Every rhyme (vần) of Vietnamese orthography, without its tone mark.
const std::unordered_set<std::u32string>& rhymes() {
  static const std::unordered_set<std::u32string> set = {
      U"a", U"ac", U"ach", U"ai", U"am", U"an", U"ang", U"anh", U"ao", U"ap", U"at", U"au", U"ay",
      U"ăc", U"ăm", U"ăn", U"ăng", U"ăp", U"ăt",
      U"âc", U"âm", U"ân", U"âng", U"âp", U"ât", U"âu", U"ây",
      U"e", U"ec", U"em", U"en", U"eng", U"eo", U"ep", U"et",
      U"ê", U"êch", U"êm", U"ên", U"ênh", U"êp", U"êt", U"êu",
      U"i", U"ia", U"ich", U"im", U"in", U"inh", U"ip", U"it", U"iu",
      U"iêc", U"iêm", U"iên", U"iêng", U"iêp", U"iêt", U"iêu",
      U"o", U"oa", U"oac", U"oach", U"oai", U"oam", U"oan", U"oang", U"oanh", U"oao", U"oap", U"oat", U"oay",
      U"oăc", U"oăm", U"oăn", U"oăng", U"oăt", U"oe", U"oen", U"oeo", U"oet",
      U"oc", U"oi", U"om", U"on", U"ong", U"ooc", U"oong", U"op", U"ot",
      U"ô", U"ôc", U"ôi", U"ôm", U"ôn", U"ông", U"ôp", U"ôt",
      U"ơ", U"ơi", U"ơm", U"ơn", U"ơp", U"ơt",
      U"u", U"ua", U"uân", U"uâng", U"uât", U"uây", U"uc", U"uê", U"uêch", U"uênh", U"ui", U"um", U"un",
      U"ung", U"up", U"ut", U"uy", U"uya", U"uych", U"uyên", U"uyêt", U"uynh", U"uyp", U"uyt", U"uyu",
      U"uôc", U"uôi", U"uôm", U"uôn", U"uông", U"uôt", U"uơ",
      U"ư", U"ưa", U"ưc", U"ưi", U"ưm", U"ưn", U"ưng", U"ưt", U"ưu",
      U"ươc", U"ươi", U"ươm", U"ươn", U"ương", U"ươp", U"ươt", U"ươu",
      U"y", U"yêm", U"yên", U"yêt", U"yêu",
  };
  return set;
}

constexpr std::u32string_view kOnsets[] = {U"ngh", U"ng", U"nh", U"ch", U"gh", U"gi", U"kh", U"ph", U"qu", U"th",
                                          U"tr", U"b", U"c", U"d", U"đ", U"g", U"h", U"k", U"l", U"m",
                                          U"n", U"p", U"r", U"s", U"t", U"v", U"x", U""};

// Capitals only first, or everywhere: "Mường", "MƯỜNG", "mường"; not "mƯờng".
bool plausible_case(const std::vector<bool>& capitals) {
  const auto n = std::count(capitals.begin(), capitals.end(), true);
  if (n == 0 || n == static_cast<long>(capitals.size())) return true;
  return n == 1 && capitals.front();
}

// One Vietnamese syllable: an onset, a rhyme, at most one tone mark.
bool is_vietnamese_syllable(std::u32string_view word) {
  const auto& letters = vietnamese_letters();
  std::u32string bare;
  std::vector<bool> capitals;
  int tones = 0;
  for (char32_t cp : word) {
    auto it = letters.find(cp);
    if (it == letters.end()) return false;
    bare += it->second.base;
    capitals.push_back(it->second.capital);
    tones += it->second.toned ? 1 : 0;
  }
  if (tones > 1 || !plausible_case(capitals)) return false;
  std::size_t toned = bare.size();
  for (std::size_t k = 0; k < word.size(); ++k)
    if (letters.at(word[k]).toned) toned = k;
  const auto& set = rhymes();
  for (auto onset : kOnsets) {
    if (bare.size() < onset.size() || bare.compare(0, onset.size(), onset) != 0) continue;
    const std::u32string rhyme = bare.substr(onset.size());
    if (!set.contains(rhyme)) continue;
    // The tone sits on the main vowel, never on a final i, y, o or u after it
    // ("tái", not "taí"); "uy" takes it on either ("thuý", "thúy").
    const bool on_final_glide = toned == bare.size() - 1 && rhyme.size() >= 2 && rhyme != U"uy" &&
                                std::u32string_view(U"iyou").find(rhyme.back()) != std::u32string_view::npos;
    if (toned < onset.size() || on_final_glide) continue;
    return true;
  }
  return false;
}

// Syllables frequent in officials' tables (administrative words, family and middle
// names, the programme's crops, the province's places and peoples): a reading that
// finds them is more likely right, which decides between encodings on short texts.
bool is_frequent_syllable(std::u32string_view word) {
  static const std::unordered_set<std::u32string> set = {
      U"xã", U"huyện", U"tỉnh", U"thôn", U"bản", U"phường", U"thị", U"trấn", U"thành", U"phố", U"nguyễn", U"trần",
      U"lê", U"phạm", U"hoàng", U"vũ", U"võ", U"đặng", U"bùi", U"đỗ", U"hồ", U"dương", U"lý", U"lò", U"lường", U"văn",
      U"đức", U"hữu", U"đình", U"xuân", U"diện", U"tích", U"đất", U"trồng", U"chè", U"lúa", U"ngô", U"cây", U"năm",
      U"số", U"hộ", U"mã", U"tên", U"đơn", U"vị", U"ghi", U"chú", U"nông", U"nghiệp", U"hợp", U"tác", U"vùng", U"sản",
      U"xuất", U"mới", U"tổng", U"người", U"dân", U"tộc", U"thái", U"mông", U"giáy", U"hà", U"nhì", U"lự", U"mường",
      U"sìn", U"đường", U"tân", U"uyên", U"thổ", U"nậm", U"nhùn", U"tè", U"châu", U"ngày", U"tháng", U"kế", U"hoạch",
      U"thực", U"hiện", U"chỉ", U"tiêu", U"đạt", U"và", U"của", U"các", U"có", U"không", U"được", U"trong", U"với",
      U"một", U"những", U"là", U"đã", U"theo", U"về", U"từ", U"hương", U"tuyết", U"mắc", U"quế", U"sâm", U"thảo",
      U"quả", U"dứa", U"chuối", U"rừng", U"chăn", U"nuôi", U"trâu", U"bò", U"lợn", U"cá", U"ong", U"đàn",
  };
  std::u32string lower;
  for (char32_t cp : word) {
    // Capitals of the Vietnamese letters: Latin-1 and Latin Extended Additional pair
    // small and capital letters one apart; A, Ă, Đ, Ĩ, Ũ, Ơ, Ư likewise.
    if ((cp >= 'A' && cp <= 'Z') || (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7)) cp += 32;
    else if ((cp >= 0x1EA0 && cp <= 0x1EF9 && cp % 2 == 0) || cp == 0x102 || cp == 0x110 || cp == 0x128 ||
             cp == 0x168 || cp == 0x1A0 || cp == 0x1AF)
      cp += 1;
    lower += cp;
  }
  return set.contains(lower);
}

bool is_latin1_letter(char32_t cp) {
  return (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') || (cp >= 0xC0 && cp <= 0xFF && cp != 0xD7 && cp != 0xF7) ||
         cp == 0x152 || cp == 0x153 || cp == 0x160 || cp == 0x161 || cp == 0x17D || cp == 0x17E || cp == 0x178;
}

bool is_capital(char32_t cp) {
  return (cp >= 'A' && cp <= 'Z') || (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) || cp == 0x152 || cp == 0x160 ||
         cp == 0x17D || cp == 0x178;
}

// A word of a Western language written in Latin-1: its letters and a plausible case.
bool is_western_word(std::u32string_view word) {
  std::vector<bool> capitals;
  for (char32_t cp : word) {
    if (!is_latin1_letter(cp)) return false;
    capitals.push_back(is_capital(cp));
  }
  return plausible_case(capitals);
}

bool is_word_character(char32_t cp) {
  return (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') || (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7) ||
         (cp >= 0x1E00 && cp <= 0x1EFF) || (cp >= 0x0300 && cp <= 0x036F);
}

// Symbols an official's table may hold beside words (degrees, quotes, dashes …);
// any other non-ASCII character outside a word counts against an encoding.
bool is_common_symbol(char32_t cp) {
  return std::u32string_view(U"\u00A0°²³±§«»©®€–—‘’“”•…½¼¾×·₫").find(cp) != std::u32string_view::npos;
}

struct Reading {
  long score = 0;
  std::u32string text;
};

// How well `d` reads: +2 a word with letters beyond ASCII that is a Vietnamese
// syllable (+3 a frequent one), +1 (Latin-1 only) one that is a word of a Western
// language, -2 any other such word, -2 a stray symbol, mark or control character,
// -4 a byte the chart does not define.
Reading read_score(Decoding d, TextEncoding e) {
  Reading r;
  long good = 0, bad = 0, noise = 0;
  std::u32string_view t(d.text);
  for (std::size_t i = 0; i < t.size();) {
    if (!is_word_character(t[i])) {
      const bool control = t[i] < 0x20 && t[i] != '\t' && t[i] != '\n' && t[i] != '\r';
      if (control || (t[i] >= 0x80 && !is_common_symbol(t[i]))) ++noise;
      ++i;
      continue;
    }
    std::size_t j = i;
    bool beyond_ascii = false;
    while (j < t.size() && is_word_character(t[j])) beyond_ascii |= t[j++] >= 0x80;
    if (beyond_ascii) {
      const auto word = t.substr(i, j - i);
      if (is_vietnamese_syllable(word)) good += is_frequent_syllable(word) ? 3 : 2;
      else if (e == TextEncoding::latin1 && is_western_word(word)) good += 1;
      else ++bad;
    }
    i = j;
  }
  r.score = good - 2 * bad - 2 * noise - 2 * static_cast<long>(d.stray_marks) - 4 * static_cast<long>(d.undefined);
  r.text = std::move(d.text);
  return r;
}

// The part of a long text that decides: its lines with bytes beyond ASCII, up to 256 KiB.
std::string sample(std::string_view bytes) {
  constexpr std::size_t kMax = 256 * 1024;
  if (bytes.size() <= kMax) return std::string(bytes);
  std::string out;
  for (std::size_t start = 0; start < bytes.size() && out.size() < kMax;) {
    std::size_t end = bytes.find('\n', start);
    end = end == std::string_view::npos ? bytes.size() : end + 1;
    const auto line = bytes.substr(start, end - start);
    if (std::any_of(line.begin(), line.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; }))
      out.append(line.substr(0, kMax));
    start = end;
  }
  return out;
}

struct Named {
  char32_t cp;
  const char* name;
};
constexpr Named kCharacterNames[] = {
    {0x0009, "tab"}, {0x000A, "line feed"}, {0x000D, "carriage return"}, {0x00A0, "no-break space"},
    {0x00AD, "soft hyphen"}, {0x034F, "combining grapheme joiner"}, {0x2007, "figure space"},
    {0x200B, "zero-width space"}, {0x200C, "zero-width non-joiner"}, {0x200D, "zero-width joiner"},
    {0x200E, "left-to-right mark"}, {0x200F, "right-to-left mark"}, {0x2028, "line separator"},
    {0x2029, "paragraph separator"}, {0x202F, "narrow no-break space"}, {0x2060, "word joiner"},
    {0x3000, "ideographic space"}, {0xFEFF, "byte-order mark"}, {0xFFFD, "replacement character"},
};

bool is_unicode_space(char32_t cp) {
  return cp == 0x00A0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

bool is_invisible(char32_t cp) {
  return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x00AD || cp == 0x034F || cp == 0x061C || cp == 0x115F ||
         cp == 0x1160 || cp == 0x17B4 || cp == 0x17B5 || cp == 0x180E || is_unicode_space(cp) ||
         (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x206F) ||
         cp == 0x3164 || (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0xFEFF || cp == 0xFFA0 ||
         (cp >= 0xFFF9 && cp <= 0xFFFB) || (cp >= 0xE0000 && cp <= 0xE007F);
}

}  // namespace

std::string_view to_string(TextEncoding e) {
  switch (e) {
    case TextEncoding::utf8: return "utf-8";
    case TextEncoding::tcvn3: return "tcvn3";
    case TextEncoding::vni: return "vni";
    case TextEncoding::windows1258: return "windows-1258";
    case TextEncoding::latin1: return "latin-1";
  }
  return "";
}

std::string_view describe(TextEncoding e) {
  switch (e) {
    case TextEncoding::utf8: return "UTF-8";
    case TextEncoding::tcvn3: return "TCVN3 (ABC)";
    case TextEncoding::vni: return "VNI-Windows";
    case TextEncoding::windows1258: return "Windows-1258";
    case TextEncoding::latin1: return "Latin-1 (Windows-1252)";
  }
  return "";
}

std::optional<TextEncoding> parse_text_encoding(std::string_view name) {
  std::string n;
  for (char c : name)
    if (c != '-' && c != '_' && c != ' ') n += static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  if (n == "utf8") return TextEncoding::utf8;
  if (n == "tcvn3" || n == "abc" || n == "tcvn") return TextEncoding::tcvn3;
  if (n == "vni" || n == "vniwindows") return TextEncoding::vni;
  if (n == "windows1258" || n == "cp1258" || n == "1258") return TextEncoding::windows1258;
  if (n == "latin1" || n == "iso88591" || n == "windows1252" || n == "cp1252") return TextEncoding::latin1;
  return std::nullopt;
}

std::string_view text_encoding_names() { return "utf-8, tcvn3 (abc), vni, windows-1258, latin-1 (windows-1252)"; }

std::optional<std::size_t> first_invalid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    char32_t cp = 0;
    if (!decode_strict(s, i, cp)) return i;
  }
  return std::nullopt;
}

std::string byte_position(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i < offset;) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
      ++i;
      continue;
    }
    decode_lenient(text, i);
    ++column;
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

std::string compose_vietnamese(std::string_view utf8) {
  // Most text has nothing to compose: leave it untouched.
  bool any = false;
  for (std::size_t i = 0; i + 1 < utf8.size(); ++i)
    if ((utf8[i] == '\xCC' || utf8[i] == '\xCD') && (static_cast<unsigned char>(utf8[i + 1]) & 0xC0) == 0x80) any = true;
  if (!any) return std::string(utf8);
  return to_utf8(compose_u32(to_u32(utf8)));
}

Result<DecodedText> decode_text(std::string_view bytes, TextEncoding encoding, std::string_view what) {
  if (encoding == TextEncoding::utf8) {
    if (auto bad = first_invalid_utf8(bytes))
      return bad_text(what, bytes, *bad,
                      "byte " + hex_byte(static_cast<unsigned char>(bytes[*bad])) + " is not valid UTF-8");
    return DecodedText{compose_vietnamese(bytes), TextEncoding::utf8};
  }
  Decoding d = decode_legacy(bytes, encoding);
  if (d.first_undefined)
    return bad_text(what, bytes, *d.first_undefined,
                    "byte " + hex_byte(static_cast<unsigned char>(bytes[*d.first_undefined])) + " is not a character of " +
                        std::string(describe(encoding)));
  return DecodedText{to_utf8(d.text), encoding};
}

Result<DecodedText> detect_and_decode(std::string_view bytes, std::string_view what) {
  const auto bad = first_invalid_utf8(bytes);
  if (!bad) return DecodedText{compose_vietnamese(bytes), TextEncoding::utf8};

  const std::string part = sample(bytes);
  std::vector<std::pair<TextEncoding, Reading>> readings;
  for (auto e : {TextEncoding::tcvn3, TextEncoding::vni, TextEncoding::windows1258, TextEncoding::latin1})
    readings.emplace_back(e, read_score(decode_legacy(part, e), e));
  std::stable_sort(readings.begin(), readings.end(),
                   [](const auto& a, const auto& b) { return a.second.score > b.second.score; });
  const auto& best = readings[0];
  const std::string first_bad =
      "byte " + hex_byte(static_cast<unsigned char>(bytes[*bad])) + " is not valid UTF-8, and the text does not read as ";
  if (best.second.score <= 0) {
    return bad_text(what, bytes, *bad,
                    first_bad + "TCVN3, VNI, Windows-1258 or Latin-1 either; give the file's encoding (--encoding " +
                        std::string(text_encoding_names()) + ") or save it as UTF-8");
  }
  for (std::size_t k = 1; k < readings.size(); ++k) {
    const auto& other = readings[k];
    if (other.second.score == best.second.score && other.second.text != best.second.text) {
      return bad_text(what, bytes, *bad,
                      first_bad + "one encoding more than another: it reads as " + std::string(describe(best.first)) +
                          " and as " + std::string(describe(other.first)) + "; give its encoding with --encoding");
    }
  }
  return decode_text(bytes, best.first, what);
}

std::optional<std::size_t> find_invisible(std::string_view utf8) {
  for (std::size_t i = 0; i < utf8.size();) {
    const std::size_t at = i;
    if (is_invisible(decode_lenient(utf8, i))) return at;
  }
  return std::nullopt;
}

std::string describe_character(std::string_view utf8, std::size_t offset) {
  std::size_t i = std::min(offset, utf8.size());
  const char32_t cp = i < utf8.size() ? decode_lenient(utf8, i) : 0;
  char buf[16];
  std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(cp));
  std::string out = buf;
  for (const auto& n : kCharacterNames)
    if (n.cp == cp) return out + " (" + n.name + ")";
  if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) return out + " (control character)";
  if (is_unicode_space(cp)) return out + " (space)";
  return out + " (format character)";
}

std::string trim_header_name(std::string_view utf8) {
  std::u32string t = to_u32(utf8);
  std::size_t b = 0, e = t.size();
  auto blank = [](char32_t cp) {
    return cp == 0xFEFF || cp == ' ' || (cp >= 0x09 && cp <= 0x0D) || is_unicode_space(cp);
  };
  while (b < e && blank(t[b])) ++b;
  while (e > b && blank(t[e - 1]) && t[e - 1] != 0xFEFF) --e;
  if (b == 0 && e == t.size()) return std::string(utf8);
  return to_utf8(std::u32string_view(t).substr(b, e - b));
}

namespace {

// The inverse of decode_legacy: every character the encoding writes, with its bytes
// (one byte, or for VNI a vowel and a mark byte, for Windows-1258 a letter and a tone
// mark), found by decoding every such byte sequence. The first sequence found wins,
// so a one-byte form is preferred.
const std::unordered_map<char32_t, std::string>& encoding_table(TextEncoding to) {
  static const auto tables = [] {
    std::array<std::unordered_map<char32_t, std::string>, 5> t;
    for (auto e : {TextEncoding::tcvn3, TextEncoding::vni, TextEncoding::windows1258, TextEncoding::latin1}) {
      auto& table = t[static_cast<std::size_t>(e)];
      auto take = [&](const std::string& bytes) {
        Decoding d = decode_legacy(bytes, e);
        if (d.undefined || d.stray_marks || d.text.size() != 1 || d.text[0] < 0x80) return;
        // VN1's combining marks (TCVN3 0xB0–0xB4) are not what ABC text holds.
        if (e == TextEncoding::tcvn3 && d.text[0] >= 0x0300 && d.text[0] <= 0x036F) return;
        table.emplace(d.text[0], bytes);
      };
      for (int b = 0x80; b <= 0xFF; ++b) take(std::string(1, static_cast<char>(b)));
      if (e == TextEncoding::vni) {
        // A capital takes the capital form of the mark, as the VNI fonts write it.
        for (char v : std::string_view("aeouyAEOUY\xF4\xD4\xF6\xD6")) {
          const bool capital = std::string_view("AEOUY\xD4\xD6").find(v) != std::string_view::npos;
          for (const auto& m : kVniMarks)
            for (unsigned char mark : {capital ? m.upper : m.lower, capital ? m.lower : m.upper})
              take(std::string{v, static_cast<char>(mark)});
        }
      }
      if (e == TextEncoding::windows1258) {
        for (int b = 0x41; b <= 0xFF; ++b)
          for (unsigned char tone : {0xCC, 0xEC, 0xDE, 0xD2, 0xF2})
            take(std::string{static_cast<char>(b), static_cast<char>(tone)});
      }
    }
    return t;
  }();
  return tables[static_cast<std::size_t>(to)];
}

}  // namespace

std::optional<std::string> encode_text(std::string_view utf8, TextEncoding to) {
  if (first_invalid_utf8(utf8)) return std::nullopt;
  const std::u32string text = compose_u32(to_u32(utf8));
  if (to == TextEncoding::utf8) return to_utf8(text);
  const auto& table = encoding_table(to);
  std::string out;
  out.reserve(text.size());
  for (char32_t cp : text) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
      continue;
    }
    const auto it = table.find(cp);
    if (it == table.end()) return std::nullopt;
    out += it->second;
  }
  return out;
}

}  // namespace nongsan
