// The shared reading of an uploaded file (modules/files): type from the bytes, base64,
// SHA-256, file names, and every problem naming its field.
#include <gtest/gtest.h>

#include "modules/files/stored_file.hpp"

namespace nongsan::files {
namespace {

std::vector<std::uint8_t> bytes(std::string_view s) { return {s.begin(), s.end()}; }
bool names(const Error& e, const std::string& field) {
  for (const auto& f : e.fields)
    if (f.field == field) return true;
  return false;
}

TEST(StoredFile, TypeIsReadFromTheBytes) {
  EXPECT_EQ(sniff_media_type(bytes("%PDF-1.7\n")), "application/pdf");
  EXPECT_EQ(sniff_media_type({0xFF, 0xD8, 0xFF, 0xE0}), "image/jpeg");
  EXPECT_EQ(sniff_media_type({0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A}), "image/png");
  EXPECT_EQ(sniff_media_type(bytes(std::string_view("RIFF\0\0\0\0WEBP", 12))), "image/webp");
  EXPECT_EQ(sniff_media_type(bytes("RIFF")), "");
  EXPECT_EQ(sniff_media_type(bytes("<html>%PDF-")), "");
  EXPECT_EQ(sniff_media_type({}), "");
}

TEST(StoredFile, Base64AndSha256) {
  EXPECT_EQ(decode_base64("JVBERi0=").value(), bytes("%PDF-"));
  EXPECT_EQ(decode_base64("JVBE\nRi0=").value(), bytes("%PDF-"));
  EXPECT_FALSE(decode_base64("JVBERi0=<script>"));
  EXPECT_FALSE(decode_base64("%%%"));
  EXPECT_EQ(sha256_hex(bytes("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(StoredFile, NamesKeepVietnameseAndLoseTheirPath) {
  EXPECT_EQ(clean_file_name("C:\\Users\\An\\Hợp đồng 01.pdf").value(), "Hợp đồng 01.pdf");
  EXPECT_EQ(clean_file_name("../../etc/passwd").value(), "passwd");
  EXPECT_EQ(clean_file_name(" a\tb.pdf ").value(), "ab.pdf");
  EXPECT_FALSE(clean_file_name(""));
  EXPECT_FALSE(clean_file_name("dir/"));
  EXPECT_FALSE(clean_file_name(".."));
  EXPECT_FALSE(clean_file_name("\xff\xfe.pdf"));
  EXPECT_FALSE(clean_file_name(std::string(256, 'a')));
}

TEST(StoredFile, AnUploadIsCheckedFieldByField) {
  const UploadLimits limits{10, {"application/pdf", "image/png"}};
  auto ok = read_upload("file", "a.pdf", "application/pdf", "JVBERi0=", limits);
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(ok->bytes, bytes("%PDF-"));
  EXPECT_EQ(ok->sha256, sha256_hex(bytes("%PDF-")));
  auto type = read_upload("file", "a.gif", "image/gif", "R0lGODlh", limits);
  ASSERT_FALSE(type);
  EXPECT_TRUE(names(type.error(), "file.media_type"));
  auto name = read_upload("doc", "", "application/pdf", "JVBERi0=", limits);
  ASSERT_FALSE(name);
  EXPECT_TRUE(names(name.error(), "doc.name"));
  auto lie = read_upload("file", "a.png", "image/png", "JVBERi0=", limits);  // a PDF declared as a PNG
  ASSERT_FALSE(lie);
  EXPECT_TRUE(names(lie.error(), "file.content_base64"));
  EXPECT_NE(lie.error().fields.front().message.find("holds application/pdf"), std::string::npos);
  auto big = read_upload("file", "a.pdf", "application/pdf", "JVBERi0xLjQKJSVFT0YK", limits);  // 15 bytes
  ASSERT_FALSE(big);
  EXPECT_EQ(big.error().fields.front().message, "the file is larger than 10 bytes");
  EXPECT_FALSE(read_upload("file", "a.pdf", "application/pdf", "not base64!", limits));
}

}  // namespace
}  // namespace nongsan::files
