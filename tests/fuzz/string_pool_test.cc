// fuzz::string_pool: spare strings per thread, bounded in number and size, handed out empty.
#include "fuzz/common/string_pool.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace relaycheck::fuzz::string_pool {
namespace {

// Empties this thread's pool, so each test starts from a known count.
void drain() {
  std::vector<std::string> held;
  for (std::size_t i = 0; i <= kMaxStrings; ++i) held.push_back(take());
}

TEST(StringPool, TakeIsEmptyWithRoomForATypicalLine) {
  drain();
  const std::string fresh = take();
  EXPECT_TRUE(fresh.empty());
  EXPECT_GE(fresh.capacity(), kMinCapacity);
}

TEST(StringPool, AGivenStringComesBackEmptyWithItsStorage) {
  drain();
  std::string s(300, 'x');
  const char* storage = s.data();
  give(std::move(s));
  const std::string again = take();
  EXPECT_TRUE(again.empty());  // nothing of the old content is readable as content
  EXPECT_EQ(again.data(), storage);
  EXPECT_GE(again.capacity(), 300u);
}

TEST(StringPool, KeepsNeitherInlineNorOversizedStrings) {
  drain();
  std::string small = "abc";  // no heap storage to keep
  std::string big(kMaxCapacity + 1, 'x');
  const char* big_storage = big.data();
  give(std::move(small));
  give(std::move(big));
  const std::string next = take();
  EXPECT_NE(next.data(), big_storage);
  EXPECT_LE(next.capacity(), kMaxCapacity);
}

TEST(StringPool, HoldsAtMostMaxStrings) {
  drain();
  std::vector<const char*> given;
  for (std::size_t i = 0; i < kMaxStrings + 5; ++i) {
    std::string s(100, 'x');
    given.push_back(s.data());
    give(std::move(s));
  }
  // The first kMaxStrings are kept, the rest freed; take() hands the kept ones out, then new ones.
  std::vector<std::string> out;
  std::size_t reused = 0;
  for (std::size_t i = 0; i < kMaxStrings + 5; ++i) {
    out.push_back(take());
    for (std::size_t k = 0; k < kMaxStrings; ++k) reused += out.back().data() == given[k];
  }
  EXPECT_EQ(reused, kMaxStrings);
}

TEST(StringPool, EachThreadHasItsOwnPool) {
  drain();
  std::string s(100, 'x');
  const char* storage = s.data();
  give(std::move(s));
  const char* other_thread_got = nullptr;
  std::thread([&] { other_thread_got = take().data(); }).join();
  EXPECT_NE(other_thread_got, storage);
  EXPECT_EQ(take().data(), storage);
}

}  // namespace
}  // namespace relaycheck::fuzz::string_pool
