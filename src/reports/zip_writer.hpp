// A minimal ZIP archive writer (deflate via zlib) for the OOXML packages (DOCX). Entries
// carry a fixed timestamp so the same input gives the same bytes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace nongsan::reports {

class ZipWriter {
 public:
  void add(const std::string& name, const std::string& data, bool compress = true);
  void add(const std::string& name, const std::vector<std::uint8_t>& data, bool compress = true);
  std::vector<std::uint8_t> finish();  // the archive; the writer is empty afterwards

 private:
  struct Entry {
    std::string name;
    std::uint32_t crc = 0, compressed = 0, size = 0, offset = 0;
    std::uint16_t method = 0;
  };
  std::vector<std::uint8_t> out_;
  std::vector<Entry> entries_;
};

}  // namespace nongsan::reports
