// Helpers of the report tests: read a fixture, read the files of a ZIP (DOCX/XLSX).
#pragma once

#include <zlib.h>

#include <cstdint>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace nongsan::reports::testing {

inline std::string read_text(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw std::runtime_error("cannot read " + path);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

inline nlohmann::json fixture(const std::string& name) {
  return nlohmann::json::parse(read_text(std::string(NONGSAN_REPORT_FIXTURES) + "/" + name));
}

// name -> content of every entry, read through the central directory (stored or deflated).
inline std::map<std::string, std::string> unzip(const std::vector<std::uint8_t>& z) {
  auto u16 = [&](std::size_t p) { return static_cast<std::uint32_t>(z.at(p) | (z.at(p + 1) << 8)); };
  auto u32 = [&](std::size_t p) { return u16(p) | (u16(p + 2) << 16); };
  std::size_t eocd = z.size() - 22;
  while (u32(eocd) != 0x06054b50) {
    if (eocd == 0) throw std::runtime_error("zip: no end of central directory");
    --eocd;
  }
  std::uint32_t n = u16(eocd + 10), cd = u32(eocd + 16);
  std::map<std::string, std::string> out;
  std::size_t p = cd;
  for (std::uint32_t i = 0; i < n; ++i) {
    if (u32(p) != 0x02014b50) throw std::runtime_error("zip: bad central directory entry");
    std::uint32_t method = u16(p + 10), crc = u32(p + 16), csize = u32(p + 20), size = u32(p + 24);
    std::uint32_t nlen = u16(p + 28), xlen = u16(p + 30), clen = u16(p + 32), off = u32(p + 42);
    std::string name(z.begin() + p + 46, z.begin() + p + 46 + nlen);
    std::size_t data = off + 30 + u16(off + 26) + u16(off + 28);
    std::string content(size, '\0');
    if (method == 0) {
      content.assign(z.begin() + data, z.begin() + data + size);
    } else if (method == 8) {
      z_stream zs{};
      inflateInit2(&zs, -15);
      zs.next_in = const_cast<Bytef*>(z.data() + data);
      zs.avail_in = csize;
      zs.next_out = reinterpret_cast<Bytef*>(content.data());
      zs.avail_out = size;
      int rc = inflate(&zs, Z_FINISH);
      inflateEnd(&zs);
      if (rc != Z_STREAM_END) throw std::runtime_error("zip: inflate failed for " + name);
    } else {
      throw std::runtime_error("zip: unknown method for " + name);
    }
    if (crc32(0L, reinterpret_cast<const Bytef*>(content.data()), static_cast<uInt>(content.size())) != crc)
      throw std::runtime_error("zip: CRC mismatch for " + name);
    out[name] = std::move(content);
    p += 46 + nlen + xlen + clen;
  }
  return out;
}

inline int count(const std::string& hay, const std::string& needle) {
  int k = 0;
  for (std::size_t p = hay.find(needle); p != std::string::npos; p = hay.find(needle, p + 1)) ++k;
  return k;
}

}  // namespace nongsan::reports::testing
