// What --jobs N workers share (harness/netfuzz/shared_run.h): states, findings, counters, the stop.
#include "harness/netfuzz/shared_run.h"

#include <gtest/gtest.h>

#include <set>
#include <thread>

namespace relaycheck::harness::netfuzz {
namespace {

FuzzOptions options() {
  FuzzOptions o;
  o.protocol = "saxion";
  o.duration_s = 3600;
  return o;
}

FuzzCase one_write(const std::string& bytes) {
  FuzzCase c;
  c.conns = 1;
  c.sends.push_back({0, bytes});
  return c;
}

TEST(WorkerSeed, WorkerZeroKeepsTheRunsSeedAndTheOthersDiffer) {
  EXPECT_EQ(worker_seed(1, 0), 1u);
  EXPECT_EQ(worker_seed(42, 0), 42u);
  EXPECT_EQ(worker_seed(1, 3), worker_seed(1, 3));
  // Neighbouring run seeds (one machine each) share no worker's stream.
  std::set<std::uint64_t> seen;
  for (std::uint64_t run = 1; run <= 16; ++run)
    for (std::size_t w = 0; w < 8; ++w) EXPECT_TRUE(seen.insert(worker_seed(run, w)).second) << run << "/" << w;
}

TEST(SharedRun, AStateIsNewForOneWorkerOnly) {
  const FuzzOptions o = options();
  SharedRun shared(o, 2, nullptr);
  std::atomic<int> novel{0};
  auto add = [&] {
    for (int i = 0; i < 1000; ++i) novel += shared.add_state({"0:OK", "1:FAIL" + std::to_string(i)});
  };
  std::thread a(add), b(add);
  a.join();
  b.join();
  EXPECT_EQ(novel.load(), 1000);
  EXPECT_EQ(shared.merged().states, 1000u);
}

TEST(SharedRun, FindingsAreNumberedAndFiledOnce) {
  const FuzzOptions o = options();
  SharedRun shared(o, 2, nullptr);
  EXPECT_EQ(shared.next_number(), 1u);
  Finding f;
  f.id = "saxion.fuzz.deviation.1";
  shared.file("deviation:JOINED|missing", one_write("IDENT a\n"), f);
  EXPECT_EQ(shared.next_number(), 2u);
  ASSERT_TRUE(shared.by_signature("deviation:JOINED|missing"));
  EXPECT_EQ(*shared.by_signature("deviation:JOINED|missing"), 0u);
  ASSERT_TRUE(shared.by_writes(one_write("IDENT a\n")));
  EXPECT_FALSE(shared.by_signature("crash:x"));
  shared.duplicate(0);
  shared.unconfirmed("deviation:NPM|args");
  shared.unconfirmed("deviation:NPM|args");
  EXPECT_EQ(shared.unconfirmed_count("deviation:NPM|args"), 2u);
  const FuzzStats s = shared.merged();
  ASSERT_EQ(s.findings.size(), 1u);
  EXPECT_EQ(s.findings[0].duplicates, 1u);
  EXPECT_EQ(s.duplicates, 1u);
  EXPECT_EQ(s.unconfirmed(), 2u);
}

TEST(SharedRun, CountersAreSummedAndTheCaseLimitStopsEveryWorker) {
  FuzzOptions o = options();
  o.max_cases = 100;
  std::size_t progress_calls = 0;
  std::uint64_t last_cases = 0;
  SharedRun shared(o, 2, [&](const FuzzStats& s) {
    ++progress_calls;
    last_cases = s.cases;
  });
  FuzzStats w0, w1;
  w0.cases = 40;
  w0.frames = 400;
  w0.target_starts = 1;
  w1.cases = 30;
  w1.frames = 300;
  w1.target_starts = 2;
  shared.report(0, w0);
  shared.report(1, w1);
  EXPECT_FALSE(shared.done());
  w0.cases = 70;  // a worker's report is its running total, not an increment
  shared.report(0, w0);
  EXPECT_TRUE(shared.done());
  const FuzzStats s = shared.merged();
  EXPECT_EQ(s.cases, 100u);
  EXPECT_EQ(s.frames, 700u);
  EXPECT_EQ(s.target_starts, 3);
  EXPECT_EQ(progress_calls, 3u);
  EXPECT_EQ(last_cases, 100u);
}

TEST(SharedRun, StopEndsTheRun) {
  const FuzzOptions o = options();
  SharedRun shared(o, 1, nullptr);
  EXPECT_FALSE(shared.done());
  shared.stop();
  EXPECT_TRUE(shared.done());
}

}  // namespace
}  // namespace relaycheck::harness::netfuzz
