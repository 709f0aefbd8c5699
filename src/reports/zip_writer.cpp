#include "reports/zip_writer.hpp"

#include <zlib.h>

#include <stdexcept>

namespace nongsan::reports {

namespace {

void put16(std::vector<std::uint8_t>& o, std::uint16_t v) {
  o.push_back(v & 0xff);
  o.push_back(v >> 8);
}
void put32(std::vector<std::uint8_t>& o, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) o.push_back((v >> (8 * i)) & 0xff);
}

std::vector<std::uint8_t> deflate_raw(const std::uint8_t* data, std::size_t size) {
  z_stream zs{};
  // windowBits -15: raw deflate, as ZIP method 8 stores it (no zlib header).
  if (deflateInit2(&zs, Z_BEST_COMPRESSION, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw std::runtime_error("zip: deflateInit2 failed");
  std::vector<std::uint8_t> out(deflateBound(&zs, size) + 16);
  zs.next_in = const_cast<Bytef*>(data);
  zs.avail_in = static_cast<uInt>(size);
  zs.next_out = out.data();
  zs.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&zs, Z_FINISH);
  deflateEnd(&zs);
  if (rc != Z_STREAM_END) throw std::runtime_error("zip: deflate failed");
  out.resize(zs.total_out);
  return out;
}

// 1980-01-01 00:00, the earliest DOS date: a fixed stamp keeps archives reproducible.
constexpr std::uint16_t kDosTime = 0, kDosDate = (0 << 9) | (1 << 5) | 1;

}  // namespace

void ZipWriter::add(const std::string& name, const std::string& data, bool compress) {
  add(name, std::vector<std::uint8_t>(data.begin(), data.end()), compress);
}

void ZipWriter::add(const std::string& name, const std::vector<std::uint8_t>& data, bool compress) {
  Entry e;
  e.name = name;
  e.size = static_cast<std::uint32_t>(data.size());
  e.crc = static_cast<std::uint32_t>(crc32(0L, data.data(), static_cast<uInt>(data.size())));
  e.offset = static_cast<std::uint32_t>(out_.size());
  std::vector<std::uint8_t> body;
  if (compress && !data.empty()) {
    body = deflate_raw(data.data(), data.size());
    e.method = 8;
  } else {
    body = data;
    e.method = 0;
  }
  e.compressed = static_cast<std::uint32_t>(body.size());
  put32(out_, 0x04034b50);
  put16(out_, 20);        // version needed
  put16(out_, 1u << 11);  // flags: names are UTF-8
  put16(out_, e.method);
  put16(out_, kDosTime);
  put16(out_, kDosDate);
  put32(out_, e.crc);
  put32(out_, e.compressed);
  put32(out_, e.size);
  put16(out_, static_cast<std::uint16_t>(name.size()));
  put16(out_, 0);
  out_.insert(out_.end(), name.begin(), name.end());
  out_.insert(out_.end(), body.begin(), body.end());
  entries_.push_back(std::move(e));
}

std::vector<std::uint8_t> ZipWriter::finish() {
  auto cd_offset = static_cast<std::uint32_t>(out_.size());
  for (const auto& e : entries_) {
    put32(out_, 0x02014b50);
    put16(out_, 20);  // version made by
    put16(out_, 20);
    put16(out_, 1u << 11);
    put16(out_, e.method);
    put16(out_, kDosTime);
    put16(out_, kDosDate);
    put32(out_, e.crc);
    put32(out_, e.compressed);
    put32(out_, e.size);
    put16(out_, static_cast<std::uint16_t>(e.name.size()));
    put16(out_, 0);
    put16(out_, 0);
    put16(out_, 0);
    put16(out_, 0);
    put32(out_, 0);
    put32(out_, e.offset);
    out_.insert(out_.end(), e.name.begin(), e.name.end());
  }
  auto cd_size = static_cast<std::uint32_t>(out_.size()) - cd_offset;
  put32(out_, 0x06054b50);
  put16(out_, 0);
  put16(out_, 0);
  put16(out_, static_cast<std::uint16_t>(entries_.size()));
  put16(out_, static_cast<std::uint16_t>(entries_.size()));
  put32(out_, cd_size);
  put32(out_, cd_offset);
  put16(out_, 0);
  std::vector<std::uint8_t> result;
  result.swap(out_);
  entries_.clear();
  return result;
}

}  // namespace nongsan::reports
