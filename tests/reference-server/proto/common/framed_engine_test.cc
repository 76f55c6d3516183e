// FramedEngine's send buffers: drain_actions hands the caller's old buffers back to the encoder,
// which must replace what they held (a stale byte would be a corrupt line on the wire), for a
// codec with encode_into and one without.
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
template <bool kEncodeInto>
class LineCodec {
 public:
  void feed(std::string_view bytes) { lines_.feed(bytes); }
  std::variant<std::monostate, std::string, DecodeError> next() { return lines_.next(); }
  static std::string encode(const std::string& line) { return line + '\n'; }
  static void encode_into(const std::string& line, std::string& out) requires kEncodeInto {
    out.clear();
    (out += line) += '\n';
  }

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

template <class Codec>
void expect_exact_lines_after_reuse() {
  FramedEngine<Codec, EchoSession> engine([] { return Codec{}; });
  engine.on_connect(1, TimePoint{});
  std::vector<Action> actions;
  // Long lines first, so the buffers handed back are larger than the short lines that follow.
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
  // A caller that moves the bytes out (the net shell queues them) leaves nothing to reuse.
  std::string moved = std::move(actions[0].bytes);
  engine.on_bytes(1, "d\n", TimePoint{});
  engine.drain_actions(actions);
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(actions[0].bytes, "echo d\n");
  EXPECT_EQ(moved, "echo a\n");
}

TEST(FramedEngine, ReusedSendBuffersHoldExactlyTheNewLineWithEncodeInto) {
  expect_exact_lines_after_reuse<LineCodec<true>>();
}

TEST(FramedEngine, ReusedSendBuffersHoldExactlyTheNewLineWithEncodeOnly) {
  expect_exact_lines_after_reuse<LineCodec<false>>();
}

// The pool of send buffers outlives the engine (the fuzz targets make one engine per input): a
// new engine encodes into a buffer an earlier one was handed back, and still sends exactly its line.
TEST(FramedEngine, SendBuffersHandedBackOutliveTheEngine) {
  using Codec = LineCodec<true>;
  const std::string long_line(300, 'L');
  std::vector<Action> actions;
  {
    FramedEngine<Codec, EchoSession> first([] { return Codec{}; });
    first.on_connect(1, TimePoint{});
    first.on_bytes(1, long_line + "\n", TimePoint{});
    first.drain_actions(actions);
    ASSERT_EQ(actions.size(), 1u);
    first.drain_actions(actions);  // hands the long line's buffer back
    ASSERT_TRUE(actions.empty());
  }
  FramedEngine<Codec, EchoSession> second([] { return Codec{}; });
  second.on_connect(1, TimePoint{});
  second.on_bytes(1, "a\n", TimePoint{});
  second.drain_actions(actions);
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(actions[0].bytes, "echo a\n");
  EXPECT_GE(actions[0].bytes.capacity(), long_line.size());  // the first engine's buffer
}

}  // namespace
}  // namespace relaycheck::proto
