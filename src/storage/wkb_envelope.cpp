#include "storage/wkb_envelope.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>

namespace nongsan::storage {

namespace {

class Reader {
 public:
  explicit Reader(std::span<const std::uint8_t> d) : d_(d) {}
  std::uint8_t byte() {
    need(1);
    return d_[pos_++];
  }
  std::uint32_t u32(bool le) {
    need(4);
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      std::uint32_t b = d_[pos_ + (le ? i : 3 - i)];
      v |= b << (8 * i);
    }
    pos_ += 4;
    return v;
  }
  double f64(bool le) {
    need(8);
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i) {
      std::uint64_t b = d_[pos_ + (le ? i : 7 - i)];
      v |= b << (8 * i);
    }
    pos_ += 8;
    double out;
    std::memcpy(&out, &v, 8);
    return out;
  }

 private:
  void need(std::size_t n) const {
    if (pos_ + n > d_.size()) throw std::runtime_error("truncated WKB");
  }
  std::span<const std::uint8_t> d_;
  std::size_t pos_ = 0;
};

struct Box {
  double min_x = std::numeric_limits<double>::infinity(), max_x = -min_x, min_y = min_x, max_y = -min_x;
  bool any = false;
  void add(double x, double y) {
    if (std::isnan(x) || std::isnan(y)) return;  // empty point
    min_x = std::min(min_x, x);
    max_x = std::max(max_x, x);
    min_y = std::min(min_y, y);
    max_y = std::max(max_y, y);
    any = true;
  }
};

void read_geometry(Reader& r, Box& box, int depth) {
  if (depth > 32) throw std::runtime_error("WKB nested too deeply");
  bool le = r.byte() == 1;
  std::uint32_t type = r.u32(le);
  // ISO WKB dimensions: +1000 Z, +2000 M, +3000 ZM; EWKB flags in the high bits.
  bool ewkb_z = type & 0x80000000u, ewkb_m = type & 0x40000000u, ewkb_srid = type & 0x20000000u;
  type &= 0x0FFFFFFFu;
  int dims = 2;
  if (ewkb_z) ++dims;
  if (ewkb_m) ++dims;
  std::uint32_t base = type % 1000, family = type / 1000;
  if (family == 1 || family == 2) dims = 3;
  if (family == 3) dims = 4;
  if (ewkb_srid) r.u32(le);
  auto point = [&] {
    double x = r.f64(le), y = r.f64(le);
    for (int k = 2; k < dims; ++k) r.f64(le);
    box.add(x, y);
  };
  auto points = [&] {
    std::uint32_t n = r.u32(le);
    for (std::uint32_t i = 0; i < n; ++i) point();
  };
  switch (base) {
    case 1: point(); break;
    case 2: points(); break;
    case 3: {
      std::uint32_t rings = r.u32(le);
      for (std::uint32_t i = 0; i < rings; ++i) points();
      break;
    }
    case 4: case 5: case 6: case 7: {
      std::uint32_t n = r.u32(le);
      for (std::uint32_t i = 0; i < n; ++i) read_geometry(r, box, depth + 1);
      break;
    }
    default: throw std::runtime_error("unsupported WKB geometry type " + std::to_string(type));
  }
}

}  // namespace

std::optional<Envelope> wkb_envelope(std::span<const std::uint8_t> wkb) {
  Reader r(wkb);
  Box box;
  read_geometry(r, box, 0);
  if (!box.any) return std::nullopt;
  return Envelope{box.min_x, box.max_x, box.min_y, box.max_y};
}

}  // namespace nongsan::storage
