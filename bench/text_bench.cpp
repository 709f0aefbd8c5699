// fold_vietnamese: the kernel behind every diacritics-blind search ("muong te"
// finds "Mường Tè"), run over realistic Vietnamese names of people and places.
//
//   BM_FoldNames            fold 10,000 names (people and units), bytes/s and names/s
//   BM_FoldAsciiNames       the same names without diacritics: the cost of the
//                           Vietnamese decoding over plain lower-casing
//   BM_SearchCountryUnits   a units?q= search done naively: fold the query and every
//                           one of ~12,000 unit names, then substring-match
//   BM_SearchPrefolded      the same search against names folded once in advance
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "core/text.hpp"

namespace {

// Common family, middle and given names, and the kinds and names of administrative
// units (Lai Châu and elsewhere) — the strings users type into search boxes.
const std::vector<std::string> kFamily = {"Nguyễn", "Trần", "Lê",    "Phạm", "Hoàng", "Huỳnh", "Phan",  "Vũ",
                                          "Võ",     "Đặng", "Bùi",   "Đỗ",   "Hồ",    "Ngô",   "Dương", "Lý",
                                          "Lò",     "Tòng", "Giàng", "Sùng", "Vàng",  "Lù"};
const std::vector<std::string> kMiddle = {"Văn", "Thị", "Đức", "Minh", "Ngọc", "Thanh", "Quốc", "Hữu", "Xuân", "A"};
const std::vector<std::string> kGiven = {"Hương", "Dũng",  "Hùng", "Lan",    "Phượng", "Tuấn",  "Quỳnh",
                                         "Thủy",  "Khánh", "Đạt",  "Nguyệt", "Chiến",  "Thắng", "Sử",
                                         "Páo",   "Dế",    "Mỷ",   "Phừ",    "Ổn",     "Yến"};
const std::vector<std::string> kUnitKind = {"Xã", "Phường", "Thị trấn", "Huyện", "Thành phố", "Tỉnh"};
const std::vector<std::string> kUnitName = {
    "Bình Lư",   "Đoàn Kết",  "Mường Tè", "Sìn Hồ",     "Nậm Nhùn",    "Khổng Lào",  "Than Uyên", "Tân Uyên",
    "Phong Thổ", "Tam Đường", "Pa Ủ",     "Mù Cả",      "Thu Lũm",     "Ka Lăng",    "Nậm Hàng",  "Lê Lợi",
    "Hua Bum",   "Pú Đao",    "Chăn Nưa", "Nậm Tăm",    "Quyết Thắng", "Tân Phong",  "Bản Bo",    "Sơn Bình",
    "Hồ Thầu",   "Bản Giang", "Nà Tăm",   "Mường Khoa", "Phúc Than",   "Trung Đồng", "Hố Mít",    "Ma Quai"};

// A deterministic mix: half people ("Giàng A Páo"), half units ("Xã Bình Lư 17").
std::vector<std::string> names(std::size_t n) {
  std::vector<std::string> out;
  out.reserve(n);
  std::uint32_t x = 12345;
  auto next = [&x](std::size_t m) {
    x = x * 1664525u + 1013904223u;
    return static_cast<std::size_t>(x >> 8) % m;
  };
  for (std::size_t i = 0; i < n; ++i) {
    if (i % 2 == 0)
      out.push_back(kFamily[next(kFamily.size())] + " " + kMiddle[next(kMiddle.size())] + " " +
                    kGiven[next(kGiven.size())]);
    else
      out.push_back(kUnitKind[next(kUnitKind.size())] + " " + kUnitName[next(kUnitName.size())] +
                    (i % 3 == 0 ? "" : " " + std::to_string(i % 97)));
  }
  return out;
}

std::size_t total_bytes(const std::vector<std::string>& v) {
  std::size_t n = 0;
  for (const auto& s : v) n += s.size();
  return n;
}

void fold_all(benchmark::State& state, const std::vector<std::string>& input) {
  for (auto _ : state) {
    for (const auto& s : input) benchmark::DoNotOptimize(nongsan::fold_vietnamese(s));
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * input.size()));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * total_bytes(input)));
}

void BM_FoldNames(benchmark::State& state) {
  static const auto input = names(10000);
  fold_all(state, input);
}
BENCHMARK(BM_FoldNames)->Unit(benchmark::kMicrosecond);

void BM_FoldAsciiNames(benchmark::State& state) {
  static const auto input = [] {
    auto v = names(10000);
    for (auto& s : v) s = nongsan::fold_vietnamese(s);  // same words, no diacritics
    return v;
  }();
  fold_all(state, input);
}
BENCHMARK(BM_FoldAsciiNames)->Unit(benchmark::kMicrosecond);

// The country has ~12,000 units (about 10,000 communes before the 2025 reform).
void BM_SearchCountryUnits(benchmark::State& state) {
  static const auto units = names(12000);
  std::size_t hits = 0;
  for (auto _ : state) {
    const std::string q = nongsan::fold_vietnamese("mường tè");
    hits = 0;
    for (const auto& u : units)
      if (nongsan::fold_vietnamese(u).find(q) != std::string::npos) ++hits;
    benchmark::DoNotOptimize(hits);
  }
  state.counters["hits"] = static_cast<double>(hits);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * units.size()));
}
BENCHMARK(BM_SearchCountryUnits)->Unit(benchmark::kMicrosecond);

void BM_SearchPrefolded(benchmark::State& state) {
  static const auto folded = [] {
    auto v = names(12000);
    for (auto& s : v) s = nongsan::fold_vietnamese(s);
    return v;
  }();
  std::size_t hits = 0;
  for (auto _ : state) {
    const std::string q = nongsan::fold_vietnamese("mường tè");
    hits = 0;
    for (const auto& u : folded)
      if (u.find(q) != std::string::npos) ++hits;
    benchmark::DoNotOptimize(hits);
  }
  state.counters["hits"] = static_cast<double>(hits);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * folded.size()));
}
BENCHMARK(BM_SearchPrefolded)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
