#include "geo/overlap_index.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "geo/geometry_ops.hpp"

namespace nongsan::geo {
namespace {

Geometry wkt(const std::string& text) {
  auto g = from_wkt(text, kProvinceCrs);
  EXPECT_TRUE(g.ok()) << text;
  return g.ok() ? *g : Geometry{};
}

// A lot drawn as a surveyor digitises it: a vertex every 10 m, ±1.5 m of noise.
class Lots {
 public:
  explicit Lots(std::uint64_t seed) : rng_(seed) {}
  Geometry lot(double x0, double y0, double x1, double y1) {
    std::uniform_real_distribution<double> noise(-1.5, 1.5);
    const double cx[4] = {x0, x1, x1, x0}, cy[4] = {y0, y0, y1, y1};
    std::string s = "POLYGON ((", first;
    for (int side = 0; side < 4; ++side) {
      const double ax = cx[side], ay = cy[side], bx = cx[(side + 1) % 4], by = cy[(side + 1) % 4];
      const int k = static_cast<int>(std::ceil(std::hypot(bx - ax, by - ay) / 10));
      for (int i = 0; i < k; ++i) {
        const double t = static_cast<double>(i) / k;
        const std::string p = std::to_string(std::round((ax + t * (bx - ax) + noise(rng_)) * 1000) / 1000) + " " +
                              std::to_string(std::round((ay + t * (by - ay) + noise(rng_)) * 1000) / 1000);
        if (first.empty()) first = p;
        s += p + ", ";
      }
    }
    return wkt(s + first + "))");
  }
  // A lot somewhere on a 10 × 10 grid of 40 m cells (with a chance of landing on others).
  Geometry random_lot() {
    std::uniform_int_distribution<int> cell(0, 9), size(25, 70), shift(-20, 20);
    const double x = 520000 + cell(rng_) * 40 + shift(rng_), y = 2440000 + cell(rng_) * 40 + shift(rng_);
    return lot(x, y, x + size(rng_), y + size(rng_));
  }
  std::mt19937_64& rng() { return rng_; }

 private:
  std::mt19937_64 rng_;
};

// Brute force with GEOS: every parcel of `model` but `self` whose intersection with g
// has an area above the threshold; parcels that are not valid take no part.
std::vector<ParcelOverlap> brute_force(const std::map<std::string, Geometry>& model, const Geometry& g, double min_m2,
                                       const std::string& self) {
  std::vector<ParcelOverlap> out;
  if (!is_valid(g)) return out;
  for (const auto& [id, other] : model) {
    if (id == self || !is_valid(other)) continue;
    auto area = intersection_area_m2(g, other);
    EXPECT_TRUE(area.ok());
    if (area.ok() && *area > min_m2) out.push_back({id, *area});
  }
  return out;  // std::map: sorted by id
}

void expect_same(const std::vector<ParcelOverlap>& got, const std::vector<ParcelOverlap>& want, const std::string& what) {
  ASSERT_EQ(got.size(), want.size()) << what;
  for (std::size_t k = 0; k < got.size(); ++k) {
    EXPECT_EQ(got[k].id, want[k].id) << what;
    EXPECT_NEAR(got[k].overlap_m2, want[k].overlap_m2, 1e-8 * std::max(1.0, want[k].overlap_m2)) << what;
  }
}

const char* kBowTie = "POLYGON ((520000 2440000, 520050 2440050, 520050 2440000, 520000 2440050, 520000 2440000))";

TEST(OverlapIndex, AgreesWithBruteForceAfterRandomInsertsUpdatesAndDeletes) {
  Lots lots(2026);
  auto& rng = lots.rng();
  std::map<std::string, Geometry> model;
  // Loaded once from a first registry, then kept up to date write by write.
  std::vector<ParcelShape> first;
  for (int i = 0; i < 60; ++i) {
    first.push_back({"p" + std::to_string(i), lots.random_lot()});
    model[first.back().id] = first.back().geom;
  }
  first.push_back({"bowtie", wkt(kBowTie)});  // invalid: stored, never reported
  model["bowtie"] = first.back().geom;
  OverlapIndex index;
  auto loaded = index.load(first, 2);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ(*loaded, 60u);

  int next = 60, compared = 0, reported = 0;
  std::uniform_int_distribution<int> op(0, 9);
  for (int step = 0; step < 400; ++step) {
    const int o = op(rng);
    auto pick = [&]() {
      auto it = model.begin();
      std::advance(it, std::uniform_int_distribution<std::size_t>(0, model.size() - 1)(rng));
      return it->first;
    };
    if (o <= 3 || model.size() < 5) {  // a new parcel
      const std::string id = "p" + std::to_string(next++);
      model[id] = lots.random_lot();
      EXPECT_EQ(index.put(id, model[id]), "");
    } else if (o <= 6) {  // a new boundary for a stored parcel
      const std::string id = pick();
      model[id] = (o == 6 && step % 7 == 0) ? wkt(kBowTie) : lots.random_lot();
      index.put(id, model[id]);
    } else {  // retired
      const std::string id = pick();
      const bool indexed = is_valid(model[id]);  // an invalid parcel takes no part
      model.erase(id);
      EXPECT_EQ(index.erase(id), indexed);
      EXPECT_FALSE(index.erase(id));
    }
    std::size_t valid = 0;
    for (const auto& [id, g] : model) valid += is_valid(g) ? 1 : 0;
    ASSERT_EQ(index.size(), valid);
    // The check of an edited stored parcel (itself excluded) and of a new drawing.
    for (double min_m2 : {0.0, 1.0, 150.0}) {
      const std::string self = pick();
      auto got = index.overlaps(model[self], min_m2, self);
      if (!is_valid(model[self])) {
        EXPECT_FALSE(got.ok());
      } else {
        ASSERT_TRUE(got.ok()) << got.error().message;
        expect_same(*got, brute_force(model, model[self], min_m2, self), "step " + std::to_string(step) + " " + self);
        reported += static_cast<int>(got->size());
        ++compared;
      }
      const Geometry drawn = lots.random_lot();
      auto fresh = index.overlaps(drawn, min_m2);
      ASSERT_TRUE(fresh.ok());
      expect_same(*fresh, brute_force(model, drawn, min_m2, ""), "step " + std::to_string(step) + " new");
      reported += static_cast<int>(fresh->size());
      ++compared;
    }
  }
  EXPECT_GT(compared, 2000);
  EXPECT_GT(reported, 2000);  // the comparisons were not all of empty answers
}

TEST(OverlapIndex, ThresholdsAndErrors) {
  OverlapIndex index;
  ASSERT_TRUE(index.load({{"a", wkt("POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))")}}).ok());
  const Geometry b = wkt("POLYGON ((8 0, 20 0, 20 1, 8 1, 8 0))");  // 2 m² over a
  auto at = [&](double m2) { return index.overlaps(b, m2)->size(); };
  EXPECT_EQ(at(0), 1u);
  EXPECT_EQ(at(1.999), 1u);
  EXPECT_EQ(at(2.001), 0u);
  EXPECT_NEAR(index.overlaps(b, 0)->at(0).overlap_m2, 2.0, 1e-9);
  EXPECT_TRUE(index.overlaps(b, 0, "a")->empty());  // itself
  EXPECT_EQ(index.overlaps(wkt("POLYGON ((10 0, 20 0, 20 10, 10 10, 10 0))"), 0)->size(), 0u);  // touching
  EXPECT_FALSE(index.overlaps(b, -1).ok());
  EXPECT_FALSE(index.overlaps(b, std::nan("")).ok());
  auto bad = index.overlaps(wkt(kBowTie), 0);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("overlaps"), std::string::npos) << bad.error().message;
  EXPECT_NE(index.put("bow", wkt(kBowTie)), "");
  EXPECT_FALSE(index.contains("bow"));
  auto twice = index.load({{"a", b}, {"a", b}});
  EXPECT_FALSE(twice.ok());
  EXPECT_EQ(index.size(), 1u);  // a failed load leaves the index as it was
}

// Checks run while parcels are written: no crash, no torn state, and the final
// answers equal the brute force.
TEST(OverlapIndex, ChecksAndWritesSideBySide) {
  Lots lots(99);
  std::vector<Geometry> shapes;
  for (int i = 0; i < 200; ++i) shapes.push_back(lots.random_lot());
  OverlapIndex index;
  ASSERT_TRUE(index.load({}).ok());
  std::atomic<bool> done{false};
  std::atomic<int> checks{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 3; ++t) {
    readers.emplace_back([&, t] {
      std::size_t k = t;
      while (!done.load()) {
        auto r = index.overlaps(shapes[k++ % shapes.size()], 1.0);
        EXPECT_TRUE(r.ok());
        ++checks;
      }
    });
  }
  while (checks.load() < 3) std::this_thread::yield();  // the readers are running
  std::map<std::string, Geometry> model;
  for (int i = 0; i < 600; ++i) {
    const std::string id = "p" + std::to_string(i % 150);
    if (i % 5 == 4) {
      index.erase(id);
      model.erase(id);
    } else {
      index.put(id, shapes[(i * 7) % shapes.size()]);
      model[id] = shapes[(i * 7) % shapes.size()];
    }
  }
  done = true;
  for (auto& t : readers) t.join();
  for (std::size_t k = 0; k < shapes.size(); k += 9)
    expect_same(*index.overlaps(shapes[k], 1.0), brute_force(model, shapes[k], 1.0, ""), "final " + std::to_string(k));
}

}  // namespace
}  // namespace nongsan::geo
