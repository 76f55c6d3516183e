#pragma once
// Joins one protocol's codec (bytes <-> frames, one instance per connection) and its session
// (frames + time in, frames out) into the byte-level Engine that the net shell and the harness
// drive. Written once here so each protocol supplies only its codec and its session.
//
// A Codec provides:   void feed(std::string_view);
//                     std::variant<std::monostate, Frame, DecodeError> next(), and optionally
//                     next_view() giving a view of the frame into its buffer, which the
//                     engine then passes to a session whose on_frame takes it (no copy);
//                     static std::string encode(const Frame&), and optionally
//                     static void encode_into(const Frame&, std::string& out), the same bytes
//                     into `out` (replacing its content, keeping its capacity).
// A Session provides: a Frame type; on_connect/on_frame/on_decode_error/on_disconnect/on_tick(now),
//                     next_deadline(), and take_output() -> std::vector<Output<Frame>>, or
//                     take_output(std::vector<Output<Frame>>& into) (swaps, keeping capacity);
//                     optionally bool logged_in(ClientId) const (else every client counts as
//                     logged in, and the shell's handshake timeout does not apply).
// Either may provide storage(visit), which calls visit(its containers...): the codec's buffer, the
// session's tables.
// When a session emits a close for a client it has already forgotten that client; the engine
// then ignores whatever else arrives on that connection.
//
// Storage (optional) says where the engine's storage comes from and where it goes: its tables,
// its codecs' and session's storage(), the strings a session joins its replies into (OutputQueue::
// join) and the engine's send buffers. By default (NewStorage) all of it is made new and freed
// when done. A caller that makes many short-lived engines can pass one that keeps it instead
// (fuzz/common/spare_storage.h).
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include <boost/unordered/unordered_flat_map.hpp>

#include "proto/common/decode_error.h"
#include "proto/common/engine.h"
#include "proto/common/join.h"

namespace relaycheck::proto {

template <class Frame>
struct Output {
  enum class Kind { send, close };
  Kind kind;
  ClientId client;
  Frame frame{};       // for send
  std::string reason;  // for close

  static Output send(ClientId c, Frame f) { return {Kind::send, c, std::move(f), {}}; }
  static Output close(ClientId c, std::string why) { return {Kind::close, c, Frame{}, std::move(why)}; }
};

// A session's queue of outputs, and the two ways FramedEngine takes them. Sessions derive from it
// and push to out_.
template <class Frame>
class OutputQueue {
 public:
  using Out = Output<Frame>;
  // Where join() below takes its strings from: new ones unless FramedCore sets its Storage's.
  using StringSource = std::string (*)();

  std::vector<Out> take_output() { return std::exchange(out_, {}); }
  // A send to `c`, queued in place for the caller to fill in (each move of an Output moves its
  // frame's strings).
  Frame& queue_send(ClientId c) {
    Out& out = out_.emplace_back();
    out.kind = Out::Kind::send;
    out.client = c;
    return out.frame;
  }
  // The same into `into`, swapping buffers so that both keep their capacity (no allocation per
  // event once they have grown).
  void take_output(std::vector<Out>& into) {
    into.clear();
    into.swap(out_);
  }
  void use_strings(StringSource source) { new_string_ = source; }

 protected:
  // `parts` joined into one string for a reply (proto/common/join.h).
  template <class... Parts>
  std::string join(const Parts&... parts) const {
    return join_into(new_string_(), parts...);
  }

  std::vector<Out> out_;

 private:
  StringSource new_string_ = [] { return std::string(); };
};

// The default Storage: an engine's storage is its own, made new and freed when done.
struct NewStorage {
  // Containers (the engine's tables; a session's or codec's storage()): given to take() when they
  // are made (empty), to give() when they go.
  static void take(auto&...) {}
  static void give(auto&...) {}
  // An empty string to write a reply or a send into, and what the engine is done with: each frame
  // once encoded, each send buffer once the caller has drained it.
  static std::string string() { return {}; }
  static void recycle(auto&&) {}
};

// The engine's work; FramedEngine (below) puts the Engine interface on it.
template <class Codec, class Session, class Storage = NewStorage>
class FramedCore {
 public:
  using Frame = typename Session::Frame;

  template <class... Args>
  explicit FramedCore(std::function<Codec()> make_codec, Args&&... session_args)
      : make_codec_(std::move(make_codec)), session_(std::forward<Args>(session_args)...) {
    Storage::take(conns_, output_, actions_);
    take_storage(session_);
    if constexpr (requires { session_.use_strings(&Storage::string); }) session_.use_strings(&Storage::string);
  }
  ~FramedCore() {
    for (auto& [client, conn] : conns_) give_storage(conn.codec);
    Storage::give(conns_, output_, actions_);
    give_storage(session_);
  }
  FramedCore(const FramedCore&) = delete;
  FramedCore& operator=(const FramedCore&) = delete;

  Session& session() { return session_; }

  void on_connect(ClientId client, TimePoint now) {
    take_storage(conns_.emplace(client, Conn{make_codec_(), 0}).first->second.codec);
    session_.on_connect(client, now);
    collect();
  }

  void on_bytes(ClientId client, std::string_view bytes, TimePoint now) {
    auto it = conns_.find(client);
    if (it == conns_.end()) return;
    it->second.codec.feed(bytes);
    // Every frame in this chunk is handled now; the session may close the client midway.
    while (true) {
      auto it2 = conns_.find(client);
      if (it2 == conns_.end()) break;
      auto item = next_frame(it2->second.codec);
      if (std::holds_alternative<std::monostate>(item)) break;
      if (auto* err = std::get_if<DecodeError>(&item)) {
        session_.on_decode_error(client, *err, now);
        collect();
        // A decode error ends the stream even if the session did not close.
        if (erase_conn(client)) {
          session_.on_disconnect(client, now);
          actions_.push_back({Action::Kind::close, client, "decode error: " + err->describe()});
          collect();
        }
        break;
      }
      ++it2->second.frames;
      session_.on_frame(client, std::get<1>(item), now);
      collect();
    }
  }

  void on_disconnect(ClientId client, TimePoint now) {
    if (!erase_conn(client)) return;
    session_.on_disconnect(client, now);
    collect();
  }

  void on_tick(TimePoint now) {
    session_.on_tick(now);
    collect();
  }

  std::optional<TimePoint> next_deadline() const { return session_.next_deadline(); }

  std::vector<Action> take_actions() { return std::exchange(actions_, {}); }
  void drain_actions(std::vector<Action>& into) {
    // The caller is done with what `into` held: its bytes go to Storage. Swapped: both vectors
    // keep their capacity, so a caller that drains after every event makes no allocation for the
    // vector itself.
    for (auto& a : into) Storage::recycle(std::move(a.bytes));
    into.clear();
    into.swap(actions_);
  }

  std::optional<ClientProgress> progress(ClientId client) const {
    auto it = conns_.find(client);
    if (it == conns_.end()) return std::nullopt;
    ClientProgress p;
    p.frames = it->second.frames;
    if constexpr (requires(const Session& s) { s.logged_in(client); })
      p.logged_in = session_.logged_in(client);
    else
      p.logged_in = true;
    return p;
  }

 private:
  // The next frame as a view when the codec can give one and the session takes it: the session
  // reads it at once, before the next feed() (the view's lifetime), and copies what it keeps.
  static auto next_frame(Codec& codec) {
    if constexpr (requires(Session & s, ClientId c, TimePoint t) { s.on_frame(c, std::get<1>(codec.next_view()), t); })
      return codec.next_view();
    else
      return codec.next();
  }

  // Hands a session's or codec's storage() to Storage.
  template <class T>
  static void take_storage(T& x) {
    if constexpr (requires { x.storage([](auto&...) {}); }) x.storage([](auto&... c) { Storage::take(c...); });
  }
  template <class T>
  static void give_storage(T& x) {
    if constexpr (requires { x.storage([](auto&...) {}); }) x.storage([](auto&... c) { Storage::give(c...); });
  }

  bool erase_conn(ClientId client) {
    auto it = conns_.find(client);
    if (it == conns_.end()) return false;
    give_storage(it->second.codec);
    conns_.erase(it);
    return true;
  }

  void collect() {
    // Called after every frame; the output buffer keeps its capacity when the session can swap.
    if constexpr (requires(Session & s, std::vector<Output<Frame>> & v) { s.take_output(v); })
      session_.take_output(output_);
    else
      output_ = session_.take_output();
    for (auto& out : output_) {
      if (out.kind == Output<Frame>::Kind::send) {
        Action& action = actions_.emplace_back();
        action.kind = Action::Kind::send;
        action.client = out.client;
        if constexpr (requires(std::string & s) { Codec::encode_into(out.frame, s); }) {
          action.bytes = Storage::string();
          Codec::encode_into(out.frame, action.bytes);
        } else {
          action.bytes = Codec::encode(out.frame);
        }
        Storage::recycle(std::move(out.frame));
      } else {
        erase_conn(out.client);
        actions_.push_back({Action::Kind::close, out.client, std::move(out.reason)});
      }
    }
    output_.clear();
  }

  struct Conn {
    Codec codec;
    std::uint64_t frames = 0;  // complete frames received
  };

  std::function<Codec()> make_codec_;
  Session session_;
  // Open addressing: no allocation per connection, and one probe per lookup (on_bytes looks its
  // client up after every frame). Elements move on rehash, so nothing keeps a reference to one
  // across an on_connect.
  boost::unordered_flat_map<ClientId, Conn> conns_;
  std::vector<Output<Frame>> output_;
  std::vector<Action> actions_;
};

template <class Codec, class Session, class Storage = NewStorage>
class FramedEngine final : public Engine {
 public:
  using Frame = typename Session::Frame;

  template <class... Args>
  explicit FramedEngine(std::function<Codec()> make_codec, Args&&... session_args)
      : core_(std::move(make_codec), std::forward<Args>(session_args)...) {}

  Session& session() { return core_.session(); }

  void on_connect(ClientId client, TimePoint now) override { core_.on_connect(client, now); }
  void on_bytes(ClientId client, std::string_view bytes, TimePoint now) override { core_.on_bytes(client, bytes, now); }
  void on_disconnect(ClientId client, TimePoint now) override { core_.on_disconnect(client, now); }
  void on_tick(TimePoint now) override { core_.on_tick(now); }
  std::optional<TimePoint> next_deadline() const override { return core_.next_deadline(); }
  std::vector<Action> take_actions() override { return core_.take_actions(); }
  void drain_actions(std::vector<Action>& into) override { core_.drain_actions(into); }
  std::optional<ClientProgress> progress(ClientId client) const override { return core_.progress(client); }

 private:
  FramedCore<Codec, Session, Storage> core_;
};

}  // namespace relaycheck::proto
