// fuzz::SpareStorage: an engine's tables pass to the next engine of the thread with their
// capacity, never their content; strings go round the thread's string pool, handed out empty.
#include "fuzz/common/spare_storage.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <thread>
#include <variant>
#include <vector>

#include "proto/common/framed_engine.h"
#include "proto/common/line_codec.h"

namespace relaycheck::fuzz {
namespace {

using proto::Action;
using proto::ClientId;
using proto::TimePoint;

// Lines in, lines out, with the optional parts (encode_into, storage()): the session answers each
// line with "echo <line>" to its writer.
class StoringCodec {
 public:
  void feed(std::string_view bytes) { lines_.feed(bytes); }
  std::variant<std::monostate, std::string, proto::DecodeError> next() { return lines_.next(); }
  static std::string encode(const std::string& line) { return line + '\n'; }
  static void encode_into(const std::string& line, std::string& out) {
    out.clear();
    (out += line) += '\n';
  }
  void storage(auto&& visit) { lines_.storage(visit); }

 private:
  proto::LineSplitter lines_{1024};
};

class EchoSession : public proto::OutputQueue<std::string> {
 public:
  using Frame = std::string;
  void on_connect(ClientId, TimePoint) {}
  void on_frame(ClientId c, const std::string& line, TimePoint) { out_.push_back(Out::send(c, "echo " + line)); }
  void on_decode_error(ClientId, const proto::DecodeError&, TimePoint) {}
  void on_disconnect(ClientId, TimePoint) {}
  void on_tick(TimePoint) {}
  std::optional<TimePoint> next_deadline() const { return std::nullopt; }
};

using Engine = proto::FramedEngine<StoringCodec, EchoSession, SpareStorage>;

TEST(SpareStorage, ANewEngineStartsEmptyAfterOneThatLeftWorkBehind) {
  {
    Engine first([] { return StoringCodec{}; });
    for (ClientId c = 1; c <= 3; ++c) first.on_connect(c, TimePoint{});
    first.on_bytes(1, "left behind\nand more\n", TimePoint{});  // never drained
  }
  Engine second([] { return StoringCodec{}; });
  EXPECT_TRUE(second.take_actions().empty());
  for (ClientId c = 1; c <= 3; ++c) EXPECT_FALSE(second.progress(c).has_value()) << c;
  second.on_connect(2, TimePoint{});
  second.on_bytes(2, "a\n", TimePoint{});
  std::vector<Action> actions;
  second.drain_actions(actions);
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(actions[0].client, 2u);
  EXPECT_EQ(actions[0].bytes, "echo a\n");
}

// The same with a session that has the optional parts too (replies from OutputQueue::join,
// storage()), the way saxion's and psuirc's targets use them: whatever strings went round, each
// send is exact.
class StoringSession : public proto::OutputQueue<std::string> {
 public:
  using Frame = std::string;
  void on_connect(ClientId, TimePoint) {}
  void on_frame(ClientId c, const std::string& line, TimePoint) { queue_send(c) = join("echo ", line); }
  void on_decode_error(ClientId, const proto::DecodeError&, TimePoint) {}
  void on_disconnect(ClientId, TimePoint) {}
  void on_tick(TimePoint) {}
  std::optional<TimePoint> next_deadline() const { return std::nullopt; }
  void storage(auto&& visit) { visit(out_); }
};

TEST(SpareStorage, StringsGoRoundAndComeBackEmpty) {
  std::vector<Action> actions;
  for (int round = 0; round < 4; ++round) {
    proto::FramedEngine<StoringCodec, StoringSession, SpareStorage> engine([] { return StoringCodec{}; });
    for (ClientId c = 1; c <= 3; ++c) engine.on_connect(c, TimePoint{});
    // Long lines first (the pool's strings grow), then short ones, split across writes.
    const std::string line(round % 2 ? 300 : 40, static_cast<char>('a' + round));
    engine.on_bytes(1, line + "\nshort\n", TimePoint{});
    engine.on_bytes(2, "par", TimePoint{});
    engine.on_bytes(2, "tial\n", TimePoint{});
    engine.drain_actions(actions);
    ASSERT_EQ(actions.size(), 3u) << "round " << round;
    EXPECT_EQ(actions[0].bytes, "echo " + line + "\n") << "round " << round;
    EXPECT_EQ(actions[1].bytes, "echo short\n") << "round " << round;
    EXPECT_EQ(actions[2].bytes, "echo partial\n") << "round " << round;
    engine.on_disconnect(3, TimePoint{});  // its codec's buffer goes back
  }
}

TEST(SpareStorage, TheNextEngineGetsTheTablesCapacity) {
  std::vector<int> a, b;
  a.reserve(100);
  const int* storage = a.data();
  SpareStorage::give(a, b);
  EXPECT_TRUE(a.empty());
  std::vector<int> c, d;
  SpareStorage::take(c, d);
  EXPECT_EQ(c.data(), storage);
  EXPECT_GE(c.capacity(), 100u);
  EXPECT_TRUE(c.empty());
}

TEST(SpareStorage, EachThreadHasItsOwn) {
  std::vector<int> a, b;
  a.reserve(100);
  const int* storage = a.data();
  SpareStorage::give(a, b);
  const int* other_thread_got = nullptr;
  std::thread([&] {
    std::vector<int> c, d;
    SpareStorage::take(c, d);
    other_thread_got = c.data();
  }).join();
  EXPECT_NE(other_thread_got, storage);
  std::vector<int> c, d;
  SpareStorage::take(c, d);
  EXPECT_EQ(c.data(), storage);
}

}  // namespace
}  // namespace relaycheck::fuzz
