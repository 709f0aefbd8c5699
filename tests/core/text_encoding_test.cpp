#include "core/text_encoding.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace nongsan {
namespace {

// Bytes written by hand from each encoding's published chart (not from the tables
// the code holds), so that a wrong entry in a table fails here.
struct ChartCase {
  TextEncoding encoding;
  std::string bytes;
  std::string text;
};
const std::vector<ChartCase> kChartCases = {
    // TCVN3: ư 0xAD, ờ 0xEA, è 0xCC, ễ 0xD4, ị 0xDE, ơ 0xAC, đ 0xAE, Đ 0xA7, ấ 0xCA, ậ 0xCB.
    {TextEncoding::tcvn3, "M\xAD\xEAng T\xCC", "Mường Tè"},
    {TextEncoding::tcvn3, "Nguy\xD4n Th\xDE H\xAD\xACng", "Nguyễn Thị Hương"},
    {TextEncoding::tcvn3, "\xA7o\xB5n K\xD5t, \xAE\xCAt, b\xCB" "c", "Đoàn Kết, đất, bậc"},
    // VNI: ư 0xF6, ơ 0xF4, grave 0xF8, ê+tilde 0xE3, dot 0xEF, Đ 0xD1, ă 0xEA, capital marks 0xC1 …
    {TextEncoding::vni, "M\xF6\xF4\xF8ng Te\xF8", "Mường Tè"},
    {TextEncoding::vni, "Nguye\xE3n Th\xF2 H\xF6\xF4ng", "Nguyễn Thị Hương"},
    {TextEncoding::vni, "\xD1oa\xF8n Ke\xE1t, Ta\xEAm, NA\xC4M", "Đoàn Kết, Tăm, NẬM"},
    // Windows-1258: ư 0xFD, ơ 0xF5, combining grave 0xCC, tilde 0xDE, dot below 0xF2, acute 0xEC.
    {TextEncoding::windows1258, "M\xFD\xF5\xCCng T\xE8", "Mường Tè"},
    {TextEncoding::windows1258, "Nguy\xEA\xDEn Thi\xF2 H\xFD\xF5ng", "Nguyễn Thị Hương"},
    {TextEncoding::windows1258, "\xD0o\xE0n K\xEA\xECt", "Đoàn Kết"},
    // Latin-1 (Windows-1252): ì 0xEC, â 0xE2, € 0x80.
    {TextEncoding::latin1, "B\xECnh Ch\xE2u \x80", "Bình Châu €"},
};

TEST(TextEncoding, ChartsDecodeToNfc) {
  for (const auto& c : kChartCases) {
    SCOPED_TRACE(c.text);
    auto d = decode_text(c.bytes, c.encoding, "test");
    ASSERT_TRUE(d.ok()) << d.error().message;
    EXPECT_EQ(d->text, c.text);
    // And back: the encoder writes the same bytes.
    EXPECT_EQ(encode_text(c.text, c.encoding), c.bytes);
  }
}

TEST(TextEncoding, ComposesDecomposedVietnamese) {
  EXPECT_EQ(compose_vietnamese("Nguye\xCC\x82\xCC\x83n"), "Nguyễn");          // e + circumflex + tilde
  EXPECT_EQ(compose_vietnamese("e\xCC\xA3\xCC\x82"), "ệ");                     // canonical order: dot below first
  EXPECT_EQ(compose_vietnamese("Mu\xCC\x9B\xCC\x80o\xCC\x9Bng"), "Mừơng");    // u + horn + grave, o + horn
  EXPECT_EQ(compose_vietnamese("Lai Châu"), "Lai Châu");
  EXPECT_EQ(compose_vietnamese("\xCC\x80x"), "\xCC\x80x");  // a mark with nothing before it stays
}

std::vector<std::string> vietnamese_names() {
  std::vector<std::string> names;
  std::ifstream in(std::string(NONGSAN_DATA_DIR) + "/laichau/laichau-admin-units.json");
  const auto units = nlohmann::json::parse(in);
  for (const auto& c : units.at("communes_pre2025")) names.push_back(c.at("name"));
  for (const auto& d : units.at("districts_pre2025")) names.push_back(d.at("name"));
  for (const char* s : {"Nguyễn Thị Hương", "chè Shan tuyết", "Hoàng Văn Thắng", "Lò Thị Mai", "Đặng Thị Ngọc Ánh",
                        "Diện tích trồng mới chè (ha)", "Hợp tác xã nông nghiệp Bình Lư", "mắc ca", "quế", "sâm Lai Châu"})
    names.push_back(s);
  return names;
}

// Every commune and district name of Lai Châu, and people's names and crops, in
// each legacy encoding: detected as that encoding (or, where two encodings write the
// name with the same bytes, decoded to the same text), a name at a time and as a file.
TEST(TextEncoding, DetectsLegacyEncodingsOfVietnameseText) {
  const auto names = vietnamese_names();
  ASSERT_GT(names.size(), 100u);
  for (auto e : {TextEncoding::tcvn3, TextEncoding::vni, TextEncoding::windows1258, TextEncoding::latin1}) {
    SCOPED_TRACE(to_string(e));
    std::string file = "ma,ten\n";
    int encoded = 0;
    for (std::size_t i = 0; i < names.size(); ++i) {
      auto bytes = encode_text(names[i], e);
      if (!bytes) continue;  // Latin-1 has no ơ, ư, đ …; TCVN3 no capitals with tone marks
      ++encoded;
      file += std::to_string(i) + "," + *bytes + "\n";
      auto one = detect_and_decode(*bytes, "name");
      ASSERT_TRUE(one.ok()) << names[i] << ": " << one.error().message;
      EXPECT_EQ(one->text, names[i]);
      if (first_invalid_utf8(*bytes)) {
        if (one->encoding != e) {
          // Only when the other encoding writes these bytes for the same name.
          EXPECT_EQ(encode_text(names[i], one->encoding), bytes) << names[i];
        }
      }
    }
    EXPECT_GT(encoded, 20) << "too few names to judge by";
    auto whole = detect_and_decode(file, "file");
    ASSERT_TRUE(whole.ok()) << whole.error().message;
    EXPECT_EQ(whole->encoding, e);
  }
}

TEST(TextEncoding, NeverMistakesUtf8OrAscii) {
  for (const auto& name : vietnamese_names()) {
    auto d = detect_and_decode(name, "name");
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(d->encoding, TextEncoding::utf8);
    EXPECT_EQ(d->text, name);
  }
  auto ascii = detect_and_decode("ma_xa,ten_xa\n03388,Doan Ket\n", "file");
  ASSERT_TRUE(ascii.ok());
  EXPECT_EQ(ascii->encoding, TextEncoding::utf8);
}

TEST(TextEncoding, NamesTheLineAndColumnOfTheFirstBadByte) {
  // Bytes that read as nothing: the first byte that is not UTF-8 is named.
  auto junk = detect_and_decode("ma,ten\n1,ok\n2,a\xFF\x01\x9D\xFE\n", "bad.csv");
  ASSERT_FALSE(junk.ok());
  EXPECT_EQ(junk.error().code, ErrorCode::invalid_input);
  EXPECT_NE(junk.error().message.find("bad.csv: line 3, column 4: byte 0xFF is not valid UTF-8"), std::string::npos)
      << junk.error().message;
  EXPECT_NE(junk.error().message.find("--encoding"), std::string::npos);
  // An encoding given by the user that does not define a byte.
  auto undefined = decode_text("ab\ncd\x81", TextEncoding::windows1258, "x.csv");
  ASSERT_FALSE(undefined.ok());
  EXPECT_NE(undefined.error().message.find("line 2, column 3: byte 0x81 is not a character of Windows-1258"),
            std::string::npos)
      << undefined.error().message;
  // Invalid UTF-8 when UTF-8 was asked for.
  auto utf8 = decode_text("Mường\xC3", TextEncoding::utf8, "x");
  ASSERT_FALSE(utf8.ok());
  EXPECT_NE(utf8.error().message.find("line 1, column 6: byte 0xC3"), std::string::npos) << utf8.error().message;
}

TEST(TextEncoding, StrictUtf8) {
  EXPECT_FALSE(first_invalid_utf8("Lai Châu ✓ 𝄞"));
  EXPECT_EQ(first_invalid_utf8("a\xC0\x80"), 1u);          // overlong NUL
  EXPECT_EQ(first_invalid_utf8("ab\xED\xA0\x80"), 2u);     // a surrogate
  EXPECT_EQ(first_invalid_utf8("\xF4\x90\x80\x80"), 0u);   // above U+10FFFF
  EXPECT_EQ(first_invalid_utf8("x\xE2\x82"), 1u);          // cut short
}

TEST(TextEncoding, ParsesNames) {
  EXPECT_EQ(parse_text_encoding("TCVN3"), TextEncoding::tcvn3);
  EXPECT_EQ(parse_text_encoding("abc"), TextEncoding::tcvn3);
  EXPECT_EQ(parse_text_encoding("VNI-Windows"), TextEncoding::vni);
  EXPECT_EQ(parse_text_encoding("cp1258"), TextEncoding::windows1258);
  EXPECT_EQ(parse_text_encoding("ISO-8859-1"), TextEncoding::latin1);
  EXPECT_EQ(parse_text_encoding("utf8"), TextEncoding::utf8);
  EXPECT_FALSE(parse_text_encoding("viscii"));
}

TEST(TextEncoding, InvisibleCharactersAreFoundAndNamed) {
  EXPECT_EQ(trim_header_name("\xEF\xBB\xBFma_xa \r"), "ma_xa");
  EXPECT_EQ(trim_header_name("\xC2\xA0ten\xC2\xA0"), "ten");  // NBSP at either end
  EXPECT_EQ(trim_header_name("ten xa"), "ten xa");
  const std::string zwsp = "ma\xE2\x80\x8Bxa";
  ASSERT_EQ(find_invisible(zwsp), 2u);
  EXPECT_EQ(describe_character(zwsp, 2), "U+200B (zero-width space)");
  EXPECT_EQ(describe_character("a\xC2\xA0", 1), "U+00A0 (no-break space)");
  EXPECT_EQ(find_invisible("ma\xC2\xA0xa"), 2u);
  EXPECT_FALSE(find_invisible("tên xã"));
}

}  // namespace
}  // namespace nongsan
