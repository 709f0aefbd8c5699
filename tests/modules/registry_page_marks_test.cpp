// The cache of the lists' page marks (registry/parcel_page_marks.hpp): marks are found
// only at the data version they were computed at, a lookup at another version empties
// the cache, one request computes a key at a time, and the bound evicts the least
// recently used. Which rows a page gets from its marks is in
// tests/api/parcel_page_api_test.cpp.
#include "modules/registry/parcel_page_marks.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace nongsan::registry {

namespace {

std::shared_ptr<const ParcelPageMarks> marks(std::int64_t total, int pages) {
  auto m = std::make_shared<ParcelPageMarks>();
  m->total = total;
  m->page_size = 50;
  for (int i = 0; i < pages; ++i) m->starts.push_back(ParcelKey{"key" + std::to_string(i), "P-" + std::to_string(i)});
  return m;
}

const storage::DataVersion v1{1, 10}, v2{1, 11}, v3{2, 11};

}  // namespace

TEST(ParcelPageMarksCache, MarksAreFoundOnlyAtTheVersionTheyWereComputedAt) {
  ParcelPageMarksCache cache;
  auto first = cache.find_or_claim("scope", v1);
  ASSERT_FALSE(first.marks);
  ASSERT_TRUE(first.claim);
  cache.put("scope", v1, marks(120, 3));
  first.claim.reset();
  auto again = cache.find_or_claim("scope", v1);
  ASSERT_TRUE(again.marks);
  EXPECT_EQ(again.marks->total, 120);
  EXPECT_FALSE(again.claim);
  EXPECT_FALSE(cache.find_or_claim("another scope", v1).marks);
  // A commit of another process (external) or of this one (local): the marks are gone.
  auto later = cache.find_or_claim("scope", v2);
  EXPECT_FALSE(later.marks);
  EXPECT_TRUE(later.claim);
  EXPECT_EQ(cache.stats().entries, 0u);
  later.claim.reset();
  cache.put("scope", v2, marks(121, 3));
  EXPECT_TRUE(cache.find_or_claim("scope", v2).marks);
  EXPECT_FALSE(cache.find_or_claim("scope", v3).marks);
}

TEST(ParcelPageMarksCache, MarksComputedAtAVersionTheCacheHasLeftAreNotKept) {
  ParcelPageMarksCache cache;
  auto claim = cache.find_or_claim("scope", v1).claim;
  ASSERT_TRUE(claim);
  cache.find_or_claim("other", v2);  // a request that read a later version
  cache.put("scope", v1, marks(120, 3));
  claim.reset();
  EXPECT_FALSE(cache.find_or_claim("scope", v2).marks);
  EXPECT_FALSE(cache.find_or_claim("scope", v1).marks);
}

TEST(ParcelPageMarksCache, OneRequestComputesAKeyAndTheOthersDoNotWait) {
  ParcelPageMarksCache cache;
  auto leader = cache.find_or_claim("scope", v1);
  ASSERT_TRUE(leader.claim);
  auto other = cache.find_or_claim("scope", v1);
  EXPECT_FALSE(other.marks);
  EXPECT_FALSE(other.claim);  // reads its page without marks
  EXPECT_EQ(cache.stats().busy, 1u);
  EXPECT_TRUE(cache.find_or_claim("another scope", v1).claim);
  // The leader failed (or a commit came): its claim let go, the next request computes.
  leader.claim.reset();
  EXPECT_TRUE(cache.find_or_claim("scope", v1).claim);
  // A claim of an old generation lets go of nothing in the new one.
  auto old = cache.find_or_claim("third", v1);
  ASSERT_TRUE(old.claim);
  auto renewed = cache.find_or_claim("third", v2);
  ASSERT_TRUE(renewed.claim);
  old.claim.reset();
  EXPECT_FALSE(cache.find_or_claim("third", v2).claim);
}

TEST(ParcelPageMarksCache, TheBoundEvictsTheLeastRecentlyUsed) {
  const std::size_t one = marks(100, 40)->bytes() + 64 + 100;
  ParcelPageMarksCache cache(3 * one);
  for (std::string key : {"a", "b", "c"}) {
    auto claim = cache.find_or_claim(key, v1).claim;
    cache.put(key, v1, marks(100, 40));
  }
  EXPECT_EQ(cache.stats().entries, 3u);
  EXPECT_TRUE(cache.find_or_claim("a", v1).marks);  // "b" is now the least recently used
  cache.put("d", v1, marks(100, 40));
  EXPECT_TRUE(cache.find_or_claim("a", v1).marks);
  EXPECT_FALSE(cache.find_or_claim("b", v1).marks);
  EXPECT_TRUE(cache.find_or_claim("d", v1).marks);
  EXPECT_LE(cache.stats().bytes, 3 * one);
  // Marks larger than the whole bound are not kept.
  ParcelPageMarksCache small(16);
  small.find_or_claim("a", v1);
  small.put("a", v1, marks(100, 40));
  EXPECT_FALSE(small.find_or_claim("a", v1).marks);
}

}  // namespace nongsan::registry
