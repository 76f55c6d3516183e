// FramedEngine: drain_actions hands over exactly the lines of the events since the last call,
// in order, however the caller treated the earlier ones (read in place or moved out).
#include "proto/common/framed_engine.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "proto/common/line_codec.h"

namespace relaycheck::proto {
namespace {

// Lines in, lines out: the session answers each line with "echo <line>" to its writer.
class LineCodec {
 public:
  void feed(std::string_view bytes) { lines_.feed(bytes); }
  std::variant<std::monostate, std::string, DecodeError> next() { return lines_.next(); }
  static std::string encode(const std::string& line) { return line + '\n'; }

 private:
  LineSplitter lines_{1024};
};

class EchoSession : public OutputQueue<std::string> {
 public:
  using Frame = std::string;
  void on_connect(ClientId, TimePoint) {}
  void on_frame(ClientId c, const std::string& line, TimePoint) { out_.push_back(Out::send(c, "echo " + line)); }
  void on_decode_error(ClientId, const DecodeError&, TimePoint) {}
  void on_disconnect(ClientId, TimePoint) {}
  void on_tick(TimePoint) {}
  std::optional<TimePoint> next_deadline() const { return std::nullopt; }
};

TEST(FramedEngine, DrainActionsHandsOverExactlyTheNewLines) {
  FramedEngine<LineCodec, EchoSession> engine([] { return LineCodec{}; });
  engine.on_connect(1, TimePoint{});
  std::vector<Action> actions;
  const std::string long_line(200, 'L');
  engine.on_bytes(1, long_line + "\n" + long_line + "\n", TimePoint{});
  engine.drain_actions(actions);
  ASSERT_EQ(actions.size(), 2u);
  EXPECT_EQ(actions[0].bytes, "echo " + long_line + "\n");
  for (int round = 0; round < 3; ++round) {
    engine.on_bytes(1, "a\nbc\n", TimePoint{});
    engine.drain_actions(actions);
    ASSERT_EQ(actions.size(), 2u) << "round " << round;
    EXPECT_EQ(actions[0].bytes, "echo a\n") << "round " << round;
    EXPECT_EQ(actions[1].bytes, "echo bc\n") << "round " << round;
  }
  // A caller that moves the bytes out (the net shell queues them) gets the next line whole.
  std::string moved = std::move(actions[0].bytes);
  engine.on_bytes(1, "d\n", TimePoint{});
  engine.drain_actions(actions);
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(actions[0].bytes, "echo d\n");
  EXPECT_EQ(moved, "echo a\n");
}

// An engine made after another one went (the fuzz targets make one per input) starts empty.
TEST(FramedEngine, ANewEngineStartsEmpty) {
  std::vector<Action> actions;
  {
    FramedEngine<LineCodec, EchoSession> first([] { return LineCodec{}; });
    first.on_connect(1, TimePoint{});
    first.on_bytes(1, "left behind\n", TimePoint{});  // never drained
  }
  FramedEngine<LineCodec, EchoSession> second([] { return LineCodec{}; });
  EXPECT_TRUE(second.take_actions().empty());
  EXPECT_FALSE(second.progress(1).has_value());
  second.on_connect(1, TimePoint{});
  second.on_bytes(1, "a\n", TimePoint{});
  second.drain_actions(actions);
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(actions[0].bytes, "echo a\n");
}

// A codec and session with the optional parts: encode_into, storage(), replies joined with
// OutputQueue::join.
class StoringCodec {
 public:
  void feed(std::string_view bytes) { lines_.feed(bytes); }
  std::variant<std::monostate, std::string, DecodeError> next() { return lines_.next(); }
  static std::string encode(const std::string& line) { return line + '\n'; }
  static void encode_into(const std::string& line, std::string& out) {
    out.clear();
    (out += line) += '\n';
  }
  void storage(auto&& visit) { lines_.storage(visit); }

 private:
  LineSplitter lines_{1024};
};

class StoringSession : public OutputQueue<std::string> {
 public:
  using Frame = std::string;
  void on_connect(ClientId, TimePoint) {}
  void on_frame(ClientId c, const std::string& line, TimePoint) { queue_send(c) = join("echo ", line); }
  void on_decode_error(ClientId, const DecodeError&, TimePoint) {}
  void on_disconnect(ClientId, TimePoint) {}
  void on_tick(TimePoint) {}
  std::optional<TimePoint> next_deadline() const { return std::nullopt; }
  void storage(auto&& visit) { visit(names_, out_); }

 private:
  std::vector<std::string> names_;
};

// Counts what the engine hands its Storage.
struct CountingStorage {
  static inline int takes = 0, gives = 0, strings = 0, recycled = 0;
  static void take(auto&...) { ++takes; }
  static void give(auto&...) { ++gives; }
  static std::string string() {
    ++strings;
    return {};
  }
  static void recycle(auto&&) { ++recycled; }
};

TEST(FramedEngine, HandsItsStorageToItsStorageParameter) {
  std::vector<Action> actions;
  {
    FramedEngine<StoringCodec, StoringSession, CountingStorage> engine([] { return StoringCodec{}; });
    EXPECT_EQ(CountingStorage::takes, 2);  // the engine's tables, the session's storage()
    engine.on_connect(1, TimePoint{});
    engine.on_connect(2, TimePoint{});
    EXPECT_EQ(CountingStorage::takes, 4);  // and each codec's
    engine.on_bytes(1, "a\nb\n", TimePoint{});
    engine.drain_actions(actions);
    ASSERT_EQ(actions.size(), 2u);
    EXPECT_EQ(actions[0].bytes, "echo a\n");  // session strings and send buffers came from string()
    EXPECT_EQ(actions[1].bytes, "echo b\n");
    EXPECT_EQ(CountingStorage::strings, 4);
    EXPECT_EQ(CountingStorage::recycled, 2);  // each frame once encoded
    engine.on_disconnect(2, TimePoint{});
    EXPECT_EQ(CountingStorage::gives, 1);  // the codec of 2
    engine.drain_actions(actions);
    EXPECT_EQ(CountingStorage::recycled, 4);  // and the drained send buffers
  }
  EXPECT_EQ(CountingStorage::gives, 4);  // the codec of 1, the tables, the session's storage()
}

TEST(FramedEngine, TheOptionalPartsGiveTheSameBytesWithTheDefaultStorage) {
  FramedEngine<StoringCodec, StoringSession> engine([] { return StoringCodec{}; });
  std::vector<Action> actions;
  engine.on_connect(1, TimePoint{});
  const std::string long_line(200, 'L');
  engine.on_bytes(1, long_line + "\nx\n", TimePoint{});
  engine.drain_actions(actions);
  ASSERT_EQ(actions.size(), 2u);
  EXPECT_EQ(actions[0].bytes, "echo " + long_line + "\n");
  EXPECT_EQ(actions[1].bytes, "echo x\n");
}

}  // namespace
}  // namespace relaycheck::proto
