// Fuzz target: the saxion server engine (reference-server/proto/saxion/{codec,session}.h) in
// virtual time, with the default timers (PING 10 s after login and after each PING, DSCN 3 s
// after an unanswered PING).
//
// The input is a transcript (formats/transcript.h) of at most 256 records on up to three
// client connections: records of slot 3 are folded onto slot 0, so at most 3 clients are
// connected at once (reconnects make new clients). Advance records let the timers run.
//
// The target keeps its own model of every client, built only from what the engine sends (and
// the client's own disconnects), and checks on every action:
//   - nothing is sent to or closed for a client after its close or disconnect; a close comes
//     only after "DSCN ..." or "OK GOODBYE" to that client, in the same event, and nothing else
//     is sent between them;
//   - every send is exactly one line: it re-decodes as one message with nothing left over (its
//     only terminator is its last byte; MessageView::parse, saxion::Codec's parser, splits it),
//     and Codec::encode of that message gives the same bytes; only echoes and relays of a
//     client's text may exceed the line limit (kLineLimit), by at most kRelayGrowth (see there:
//     the reference server relays a line at the limit as a longer one);
//   - only server commands; INIT exactly once, first, on connect, with the greeting; replies
//     (OK ..., FAILxx) only to the client whose bytes are being handled, with the FAIL code's
//     text, and FAIL codes that fit the client's state (FAIL03/01/02 not logged in,
//     FAIL04/06/07/08 logged in, FAIL06 only when alone);
//   - "OK IDENT <name>" only for a valid, not logged-in client and a name no other logged-in
//     client holds (so no two logged-in clients share a name); then "JOINED <name>" goes to
//     exactly the other logged-in clients, once each, within the same event; "LEFT <name>" goes
//     to exactly the other logged-in clients, once each, when a logged-in client departs (QUIT,
//     DSCN, its disconnect), and JOINED/LEFT are never about anything else;
//   - "OK BCST <t>" is followed by "BCST <sender> <t>" to exactly the other logged-in clients;
//     "OK PM <u> <t>" / "OK PRIVATE_MESSAGE <u> <t>" by "NPM <sender> <t>" /
//     "RECEIVE_PRIVATE_MSG <sender> <t>" to <u> only, <u> being another logged-in client;
//     PM_PUBKEY / PM_SESSIONKEY relays name the sender and reach only logged-in others, and
//     every other logged-in client gets the same number of PM_PUBKEY relays in one write;
//     "OK USERS a:b:c" lists exactly the logged-in names, in login order;
//   - PING only on a tick, only to a logged-in client without an unanswered PING, exactly 10 s
//     after its login or its previous PING; "DSCN Pong timeout" only on a tick, exactly 3 s after
//     an unanswered PING; "DSCN Line too long" exactly when the client's stream has a line over
//     the limit, as a plain mirror of the line rules in the target (not the codec) reads it; per
//     write, the number of FAIL05 replies is the number of PONG lines, less one if a PING was
//     outstanding;
//   - after every event: the session's clients agree with the model (the same clients, names and
//     timers, and the names in login order), and no due timer was skipped (no event happens past
//     a deadline); whenever the driver reads next_deadline() to move time on, it is the model's
//     earliest timer. At the end, nothing is left.
// A violation prints what differs and aborts.
//
// The custom mutator (LLVMFuzzerCustomMutator) works on records and lines: it swaps whole words
// for dictionary tokens (commands, FAIL codes, the names the transcript logs in with), writes
// names of the boundary lengths 2, 3, 14 and 15, writes commands whose text is 0, 1 or a power
// of two (8 .. 256) plus or minus one bytes long, builds lines of the limit - 1, the limit and
// the limit + 1 bytes across writes, inserts, drops, duplicates and moves lines and records between
// slots, splits writes, changes terminators, and sets advance times to 0, 9.9 s, 10 s, 13 s
// (and 2.9 / 3 / 3.1 s). One call in six is libFuzzer's own byte mutation.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include <boost/container/flat_map.hpp>
#include <boost/container/flat_set.hpp>
#include <boost/container/small_vector.hpp>

#include "fuzz/common/check.h"
#include "fuzz/common/mutate.h"
#include "fuzz/common/spare_storage.h"
#include "fuzz/common/string_pool.h"
#include "fuzz/common/transcript_driver.h"
#include "proto/common/framed_engine.h"
#include "proto/saxion/codec.h"
#include "proto/saxion/fail_codes.h"
#include "proto/saxion/session.h"

namespace {

using relaycheck::fuzz::fail;
using relaycheck::fuzz::Record;
using relaycheck::fuzz::same;
using relaycheck::fuzz::show;

namespace proto = relaycheck::proto;
namespace saxion = relaycheck::proto::saxion;
// What one input's engine leaves, the next one takes (fuzz/common/spare_storage.h): its tables, and
// the strings of its messages and send buffers.
struct Storage : relaycheck::fuzz::SpareStorage {
  using SpareStorage::recycle;
  static void recycle(saxion::Message&& m) {
    recycle(std::move(m.command));
    recycle(std::move(m.payload));
  }
};
using SaxionEngine = proto::FramedEngine<saxion::Codec, saxion::Session, Storage>;
using proto::ClientId;
using proto::Millis;
using proto::TimePoint;

constexpr std::size_t kClientSlots = 3;
// How much longer than the client's line the server's echo or relay of it can be: a client line
// "BCST" or "PRIVATE_MESSAGE abc" (3-character recipient) becomes "BCST <14-char sender> " or
// "RECEIVE_PRIVATE_MSG <14-char sender> ", 16 bytes more. So a client line at the limit,
// which the server accepts, comes back over it: the server's lines are re-decoded with a codec
// whose limit is kLineLimit + this, and only echoes and relays may use the extra bytes.
constexpr std::size_t kRelayGrowth = 16;
// The engine's codecs are made with a 512-byte line limit instead of the server's 64 KiB: the same
// code paths (Codec takes the limit), reached with inputs 128 times smaller, which keeps the
// fuzzer's executions fast. The conformance suite checks the 64 KiB figure itself. Long enough
// for the planted one-frame bug (a 255-byte text after a command).
constexpr std::size_t kLineLimit = 512;
constexpr std::size_t kMaxRecords = 256;
// 10 s PING, 3 s PONG, and a greeting short enough for a string's own bytes (at most 15): then
// neither the session's copy of its options nor an INIT allocates (under ASan an allocation costs
// more than the event around it). Which text the greeting is decides no branch of the server.
const saxion::Options kOptions = [] {
  saxion::Options o;
  o.greeting = "Hello, fuzzer";
  return o;
}();

// The commands a saxion server sends, and anything else.
enum class Sent {
  init,
  ok,
  fail,
  joined,
  left,
  bcst,
  npm,
  receive_private_msg,
  pm_pubkey,
  pm_sessionkey,
  ping,
  dscn,
  other
};

// By length, then bytes: this runs on every line the server sends.
Sent sent_command(std::string_view cmd) {
  switch (cmd.size()) {
    case 2:
      return same(cmd, "OK") ? Sent::ok : Sent::other;
    case 3:
      return same(cmd, "NPM") ? Sent::npm : Sent::other;
    case 4:
      if (same(cmd, "INIT")) return Sent::init;
      if (same(cmd, "LEFT")) return Sent::left;
      if (same(cmd, "BCST")) return Sent::bcst;
      if (same(cmd, "PING")) return Sent::ping;
      if (same(cmd, "DSCN")) return Sent::dscn;
      return Sent::other;
    case 6:
      if (same(cmd.substr(0, 5), "FAIL0") && cmd[5] >= '0' && cmd[5] <= '8') return Sent::fail;
      return same(cmd, "JOINED") ? Sent::joined : Sent::other;
    case 9:
      return same(cmd, "PM_PUBKEY") ? Sent::pm_pubkey : Sent::other;
    case 13:
      return same(cmd, "PM_SESSIONKEY") ? Sent::pm_sessionkey : Sent::other;
    case 19:
      return same(cmd, "RECEIVE_PRIVATE_MSG") ? Sent::receive_private_msg : Sent::other;
    default:
      return Sent::other;
  }
}

unsigned long long ull(ClientId c) { return static_cast<unsigned long long>(c); }
long long ms(TimePoint t) { return static_cast<long long>(t.time_since_epoch().count()); }

bool valid_name(std::string_view n) {  // ^[A-Za-z0-9_]{3,14}$, written independently
  if (n.size() < 3 || n.size() > 14) return false;
  for (char ch : n)
    if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_')) return false;
  return true;
}

std::pair<std::string_view, std::string_view> first_word(std::string_view s) {
  const auto sp = s.find(' ');
  if (sp == std::string_view::npos) return {s, {}};
  return {s.substr(0, sp), s.substr(sp + 1)};
}

// Lines owed to clients in one event, in strings that keep their capacity from event to event
// and from run to run: most lines are longer than a string holds without an allocation.
class Deliveries {
 public:
  // A new, empty line owed to `to`, for the caller to fill (with its "\n").
  std::string& add(ClientId to) {
    if (live_ == lines_.size()) lines_.emplace_back();
    auto& slot = lines_[live_++];
    slot.first = to;
    slot.second.clear();
    return slot.second;
  }
  // Takes the delivery of `bytes` to `to` off the list; false if it was not owed.
  bool take(ClientId to, std::string_view bytes) {
    for (std::size_t i = 0; i < live_; ++i) {
      if (lines_[i].first != to || !same(lines_[i].second, bytes)) continue;
      std::swap(lines_[i], lines_[--live_]);  // the order of what is owed does not matter
      return true;
    }
    return false;
  }
  // A line owed to `to`, or null.
  const std::string* owed(ClientId to) const {
    for (std::size_t i = 0; i < live_; ++i)
      if (lines_[i].first == to) return &lines_[i].second;
    return nullptr;
  }
  const std::pair<ClientId, std::string>& front() const { return lines_.front(); }
  bool empty() const { return live_ == 0; }
  std::size_t size() const { return live_; }
  void clear() { live_ = 0; }

 private:
  std::vector<std::pair<ClientId, std::string>> lines_;
  std::size_t live_ = 0;  // lines_[0, live_) are owed
};

// The model's buffers, kept from run to run (one per thread); the model's state is new in
// every run.
struct ModelBuffers {
  Deliveries expected;
  std::vector<std::pair<std::uint64_t, std::string_view>> model, users;
};

// A model of the engine's clients, built from each event (seen before the engine handles it)
// and each action. Not an Engine itself: under UBSan every member access of a polymorphic object
// runs a vptr check, and the model makes many per event; Checked (below) puts it in front of the
// engine.
class Model {
 public:
  // `buffers` are only storage: the model's state starts empty whatever they held.
  Model(saxion::Session& session, ModelBuffers& buffers)
      : session_(session), expected_(buffers.expected), model_(buffers.model), users_(buffers.users) {
    expected_.clear();
  }

  void on_connect(ClientId c, TimePoint now) {
    begin(Kind::connect, c, now);
    if (clients_.count(c) || gone_.count(c)) fail("client id %llu connected twice", ull(c));
    clients_[c];
    mirrors_.emplace(c, Mirror{});
  }
  void on_bytes(ClientId c, std::string_view bytes, TimePoint now) {
    begin(Kind::bytes, c, now);
    auto it = clients_.find(c);
    if (it != clients_.end()) {
      outstanding_at_start_ = it->second.ping_at.has_value();
      mirror(c, bytes);
    }
  }
  void on_disconnect(ClientId c, TimePoint now) {
    begin(Kind::disconnect, c, now);
    if (clients_.count(c)) depart(c, "its disconnect");
  }
  void on_tick(TimePoint now) { begin(Kind::tick, 0, now); }

  void on_action(const relaycheck::fuzz::DriveEvent& ev) {
    const proto::Action& a = ev.action;
    const ClientId c = a.client;
    if (gone_.count(c))
      fail("%s for client %llu after its close or disconnect", a.kind == proto::Action::Kind::close ? "close" : "send",
           ull(c));
    auto it = clients_.find(c);
    if (it == clients_.end()) fail("action for client %llu, which never connected", ull(c));
    Client& m = it->second;
    if (a.kind == proto::Action::Kind::close) {
      if (!m.dscn && !m.goodbye) fail("client %llu closed without DSCN or OK GOODBYE first", ull(c));
      depart(c, "its close");
      return;
    }
    if (m.dscn || m.goodbye) fail("sent to client %llu after its DSCN / OK GOODBYE: %s", ull(c), show(a.bytes).c_str());

    // Exactly one line, and it round-trips. With its one terminator at the end, saxion::Codec
    // reads it as this line (if within the limit) parsed by MessageView::parse: done here
    // directly, without copying the line into a decoder.
    if (a.bytes.empty() || a.bytes.back() != '\n' || proto::find_line_end(a.bytes) != a.bytes.size() - 1)
      fail("a send that is not exactly one \\n-terminated line: %s", show(a.bytes).c_str());
    if (a.bytes.size() - 1 > kLineLimit + kRelayGrowth)
      fail("a %zu-byte line, over what even a relay can be: %s", a.bytes.size() - 1, show(a.bytes).c_str());
    const saxion::MessageView msg = saxion::MessageView::parse(std::string_view(a.bytes).substr(0, a.bytes.size() - 1));
    if (!encodes_to(msg, a.bytes)) fail("a send that does not re-encode to itself: %s", show(a.bytes).c_str());

    const std::string_view cmd = msg.command;
    const std::string_view payload = msg.payload;
    const Sent sent = sent_command(cmd);
    if (a.bytes.size() - 1 > kLineLimit && sent != Sent::ok && sent != Sent::bcst && sent != Sent::npm &&
        sent != Sent::receive_private_msg && sent != Sent::pm_pubkey && sent != Sent::pm_sessionkey)
      fail("a %zu-byte %s line, over the line limit and not an echo or relay", a.bytes.size() - 1,
           std::string(cmd).c_str());
    if (sent == Sent::init) {
      if (kind_ != Kind::connect || c != actor_ || m.got_any)
        fail("INIT to client %llu not as the first line on connect", ull(c));
      if (!same(payload, kOptions.greeting)) fail("INIT with another greeting: %s", show(payload).c_str());
      m.got_any = true;
      return;
    }
    if (!m.got_any) fail("client %llu got %s before INIT", ull(c), show(a.bytes).c_str());
    switch (sent) {
      case Sent::ok:
        return ok(c, m, payload);
      case Sent::fail:
        return failure(c, m, cmd[5] - '0', payload);
      case Sent::joined:
      case Sent::left:
      case Sent::bcst:
      case Sent::npm:
      case Sent::receive_private_msg:
        if (!m.logged)
          fail("%s to client %llu, which is not logged in: %s", std::string(cmd).c_str(), ull(c),
               show(a.bytes).c_str());
        if (!expected_.take(c, a.bytes))
          fail("unexpected %s to client %llu: %s", std::string(cmd).c_str(), ull(c), show(a.bytes).c_str());
        return;
      case Sent::pm_pubkey:
      case Sent::pm_sessionkey: {
        if (kind_ != Kind::bytes || c == actor_)
          fail("%s relayed outside another client's write", std::string(cmd).c_str());
        if (!m.logged) fail("%s to client %llu, which is not logged in", std::string(cmd).c_str(), ull(c));
        auto sender = clients_.find(actor_);
        if (sender == clients_.end() || !sender->second.logged)
          fail("%s relayed for a sender that is not logged in", std::string(cmd).c_str());
        if (!same(first_word(payload).first, sender->second.name))
          fail("%s relayed with the wrong sender: %s", std::string(cmd).c_str(), show(a.bytes).c_str());
        if (sent == Sent::pm_pubkey) ++m.pubkeys;
        return;
      }
      case Sent::ping:
        if (kind_ != Kind::tick) fail("PING outside a tick");
        if (!m.logged) fail("PING to client %llu, which is not logged in", ull(c));
        if (m.ping_at) fail("a second PING to client %llu while one is unanswered", ull(c));
        if (!payload.empty()) fail("PING with a payload: %s", show(a.bytes).c_str());
        if (now_ != m.base + kOptions.ping_interval)
          fail("PING to client %llu at %lld ms, its login or last PING was at %lld ms", ull(c), ms(now_), ms(m.base));
        m.ping_at = now_;
        m.base = now_;
        return;
      case Sent::dscn:
        if (same(payload, "Pong timeout")) {
          if (kind_ != Kind::tick || !m.logged || !m.ping_at || now_ != *m.ping_at + kOptions.pong_timeout)
            fail("DSCN Pong timeout to client %llu at %lld ms without a PING 3 s before", ull(c), ms(now_));
        } else if (same(payload, "Line too long")) {
          if (kind_ != Kind::bytes || c != actor_ || !line_error_)
            fail("DSCN Line too long to client %llu without an over-long line", ull(c));
          line_dscn_ = true;
        } else {
          fail("DSCN with an unknown reason: %s", show(a.bytes).c_str());
        }
        m.dscn = true;
        return;
      case Sent::init:
      case Sent::other:
        break;
    }
    fail("a command the server does not send: %s", show(a.bytes).c_str());
  }

  // After the last event: every client gone, nothing left in the engine.
  void finish() {
    end_event();
    if (!clients_.empty()) fail("%zu clients never closed", clients_.size());
    if (session_.connected() != 0) fail("clients left in the session at the end");
    if (session_.next_deadline()) fail("a timer left at the end");
  }

  // The session's next_deadline(), checked when the driver reads it to move time on (after the
  // event's actions, so the event is over): the model's earliest timer. Each client's timer is
  // compared after every event (end_event); this checks the session's minimum of them.
  void check_deadline(std::optional<TimePoint> deadline) {
    end_event();
    std::optional<TimePoint> want;
    for (const auto& [id, m] : clients_)
      if (m.logged && (!want || due(m) < *want)) want = due(m);
    if (deadline != want)
      fail("next_deadline is %lld ms, the model's earliest timer %lld ms", deadline ? ms(*deadline) : -1LL,
           want ? ms(*want) : -1LL);
  }

 private:
  enum class Kind { none, connect, bytes, disconnect, tick };

  struct Client {
    bool got_any = false;  // INIT seen
    bool logged = false;
    std::string name;
    std::uint64_t seq = 0;  // login order
    TimePoint base{};       // login or last PING
    std::optional<TimePoint> ping_at;
    bool dscn = false, goodbye = false;
    std::size_t pubkeys = 0;  // PM_PUBKEY relays in this event
  };

  // saxion::Codec::encode(m) == bytes, without building the string.
  static bool encodes_to(const saxion::MessageView& m, std::string_view bytes) {
    const std::size_t n = m.command.size() + (m.payload.empty() ? 0 : 1 + m.payload.size()) + 1;
    if (bytes.size() != n || !same(bytes.substr(0, m.command.size()), m.command) || bytes.back() != '\n') return false;
    return m.payload.empty() ||
           (bytes[m.command.size()] == ' ' && same(bytes.substr(m.command.size() + 1, m.payload.size()), m.payload));
  }

  TimePoint due(const Client& m) const {
    return m.ping_at ? *m.ping_at + kOptions.pong_timeout : m.base + kOptions.ping_interval;
  }

  void begin(Kind kind, ClientId actor, TimePoint now) {
    end_event();
    if (now < now_) fail("time went back");
    now_ = now;
    kind_ = kind;
    actor_ = actor;
    for (const auto& [id, m] : clients_) {
      if (!m.logged) continue;
      const TimePoint d = due(m);
      if (d < now || (d == now && kind != Kind::tick))
        fail("client %llu's timer (%lld ms) is past at %lld ms and did not run", ull(id), ms(d), ms(now));
    }
  }

  // The checks that need the whole event; then the model moves on.
  void end_event() {
    if (kind_ == Kind::none) return;
    if (!expected_.empty()) {
      const auto& [c, line] = expected_.front();
      fail("%zu deliveries missing, e.g. %s to client %llu", expected_.size(), show(line).c_str(), ull(c));
    }
    for (const auto& [id, m] : clients_)
      if (m.dscn || m.goodbye) fail("client %llu got DSCN / OK GOODBYE but no close", ull(id));
    if (kind_ == Kind::connect && clients_.count(actor_) && !clients_[actor_].got_any) fail("no INIT on connect");
    if (kind_ == Kind::bytes) {
      if (line_error_ && !line_dscn_)
        fail("a line over %zu bytes from client %llu drew no DSCN Line too long", kLineLimit, ull(actor_));
      const std::size_t want = outstanding_at_start_ && pongs_ > 0 ? pongs_ - 1 : pongs_;
      if (fail05_ != want)
        fail("%zu PONG lines (PING %s) drew %zu FAIL05 replies, not %zu", pongs_,
             outstanding_at_start_ ? "outstanding" : "not outstanding", fail05_, want);
      auto it = clients_.find(actor_);
      if (it != clients_.end() && outstanding_at_start_ && pongs_ > 0) it->second.ping_at.reset();
      std::optional<std::size_t> count;
      for (const auto& [id, m] : clients_) {
        if (id == actor_ || !m.logged) continue;
        if (count && *count != m.pubkeys) fail("PM_PUBKEY relayed to some logged-in clients and not others");
        count = m.pubkeys;
      }
    }
    for (auto& [id, m] : clients_) m.pubkeys = 0;
    pongs_ = fail05_ = 0;
    line_error_ = line_dscn_ = outstanding_at_start_ = false;
    kind_ = Kind::none;

    // The session agrees with the model after every event: the same clients, each one's name and
    // timer; the login order too when a login or departure changed it. Both tables are in id
    // order, so one walk compares them.
    auto mine = clients_.begin();
    if (users_changed_) users_.clear();
    session_.visit_clients([&](ClientId id, const saxion::Session::ClientView& v) {
      if (mine == clients_.end() || mine->first != id)
        fail("the session serves client %llu, which the model does not", ull(id));
      const Client& m = mine->second;
      if (m.logged != (v.name != nullptr) || (v.name && !same(*v.name, m.name)))
        fail("client %llu: the session has it %s, the model %s", ull(id),
             v.name ? show(*v.name).c_str() : "not logged in", m.logged ? show(m.name).c_str() : "not logged in");
      if (v.timer != (m.logged ? std::optional(due(m)) : std::nullopt))
        fail("client %llu: the session's timer is %lld ms, the model's %lld ms", ull(id), v.timer ? ms(*v.timer) : -1LL,
             m.logged ? ms(due(m)) : -1LL);
      if (users_changed_ && v.name) users_.emplace_back(v.login_seq, *v.name);
      ++mine;
    });
    if (mine != clients_.end()) fail("the session does not serve client %llu", ull(mine->first));
    if (users_changed_) {
      users_changed_ = false;
      const auto& model = login_order();
      std::sort(users_.begin(), users_.end());
      // users_ and model_ have the same names (checked above); the orders must agree.
      for (std::size_t i = 0; i < users_.size(); ++i)
        if (!same(users_[i].second, model[i].second))
          fail("the session's login order differs from the model's at %zu: %s", i, show(users_[i].second).c_str());
    }
  }

  // Follows the actor's stream as the engine must read it, written independently of the codec:
  // "\r" and "\n" end lines (a CR LF reads as one more, empty, line: neither PONG nor QUIT);
  // a line over kMaxLineBytes, terminated or not, is the over-long-line error. Counts PONG
  // lines up to a QUIT line or the error, after which the engine reads nothing more.
  void mirror(ClientId c, std::string_view bytes) {
    auto it = mirrors_.find(c);
    if (it == mirrors_.end()) return;
    Mirror& st = it->second;
    std::size_t lf = bytes.find('\n'), cr = bytes.find('\r');
    for (std::size_t i = 0; i < bytes.size();) {
      if (lf != std::string_view::npos && lf < i) lf = bytes.find('\n', i);
      if (cr != std::string_view::npos && cr < i) cr = bytes.find('\r', i);
      const std::size_t end = std::min(lf, cr);
      const std::string_view part = bytes.substr(i, end == std::string_view::npos ? std::string_view::npos : end - i);
      if (st.head.size() < 5) st.head.append(part.substr(0, 5 - st.head.size()));
      st.length += part.size();
      if (st.length > kLineLimit) {
        line_error_ = true;
        mirrors_.erase(it);
        return;
      }
      if (end == std::string_view::npos) return;
      auto is = [&](std::string_view cmd) {
        return same(std::string_view(st.head).substr(0, 4), cmd) && (st.head.size() == 4 || st.head[4] == ' ');
      };
      if (is("PONG")) ++pongs_;
      if (is("QUIT")) {
        mirrors_.erase(it);
        return;
      }
      st.head.clear();
      st.length = 0;
      i = end + 1;
    }
  }

  // The model's logged-in clients as (login sequence, name), in login order; in model_, so valid
  // until the next call.
  const std::vector<std::pair<std::uint64_t, std::string_view>>& login_order() {
    model_.clear();
    for (const auto& [id, m] : clients_)
      if (m.logged) model_.emplace_back(m.seq, m.name);
    std::sort(model_.begin(), model_.end());
    return model_;
  }

  // A delivery owed to `to` in this event: the line made of `parts`, and its "\n".
  void expect(ClientId to, std::initializer_list<std::string_view> parts) {
    std::string& line = expected_.add(to);
    for (auto p : parts) line += p;
    line += '\n';
  }

  void expect_to_others(ClientId except, std::initializer_list<std::string_view> parts) {
    for (const auto& [id, m] : clients_)
      if (id != except && m.logged) expect(id, parts);
  }

  void depart(ClientId c, const char* why) {
    auto it = clients_.find(c);
    if (const std::string* line = expected_.owed(c))
      fail("client %llu departed (%s) before it got %s", ull(c), why, show(*line).c_str());
    const Client m = std::move(it->second);
    clients_.erase(it);
    mirrors_.erase(c);
    gone_.insert(c);
    if (m.logged) {
      users_changed_ = true;
      expect_to_others(c, {"LEFT ", m.name});
    }
  }

  void require_reply(ClientId c, std::string_view line) {
    if (kind_ != Kind::bytes || c != actor_)
      fail("reply %s to client %llu outside its own write", show(line).c_str(), ull(c));
  }

  void ok(ClientId c, Client& m, std::string_view payload) {
    require_reply(c, payload);
    const auto [what, rest] = first_word(payload);
    if (same(what, "IDENT")) {
      if (m.logged) fail("OK IDENT to a client already logged in as %s", show(m.name).c_str());
      if (!valid_name(rest)) fail("OK IDENT for an invalid name: %s", show(rest).c_str());
      for (const auto& [id, o] : clients_)
        if (o.logged && same(o.name, rest))
          fail("OK IDENT %s while client %llu holds that name", show(rest).c_str(), ull(id));
      m.logged = true;
      users_changed_ = true;
      m.name = rest;
      m.seq = next_seq_++;
      m.base = now_;
      m.ping_at.reset();
      expect_to_others(c, {"JOINED ", rest});
    } else if (same(payload, "GOODBYE")) {
      m.goodbye = true;
    } else if (!m.logged) {
      fail("OK %s to a client that is not logged in", show(payload).c_str());
    } else if (same(what, "BCST")) {
      expect_to_others(c, {"BCST ", m.name, " ", rest});
    } else if (same(what, "USERS")) {
      const auto& model = login_order();
      std::string list;
      for (const auto& [seq, n] : model) (list += list.empty() ? "" : ":") += n;
      if (model.size() < 2 || !same(rest, list))
        fail("OK USERS %s, the logged-in users are %s", show(rest).c_str(), show(list).c_str());
    } else if (same(what, "PM") || same(what, "PRIVATE_MESSAGE")) {
      const auto sp = rest.find(' ');
      if (sp == std::string::npos) fail("OK %s without recipient and text", show(payload).c_str());
      const std::string_view to = rest.substr(0, sp), body = rest.substr(sp + 1);
      std::optional<ClientId> target;
      for (const auto& [id, o] : clients_)
        if (o.logged && same(o.name, to)) target = id;
      if (!target || *target == c)
        fail("OK %s to a recipient that is not another logged-in user", show(payload).c_str());
      expect(*target, {same(what, "PM") ? "NPM " : "RECEIVE_PRIVATE_MSG ", m.name, " ", body});
    } else {
      fail("OK with an unknown subject: %s", show(payload).c_str());
    }
  }

  void failure(ClientId c, Client& m, int code, std::string_view text) {
    require_reply(c, text);
    if (!same(text, saxion::fail_text(static_cast<saxion::Fail>(code))))
      fail("FAIL0%d with the text %s", code, show(text).c_str());
    std::size_t logged = 0;
    for (const auto& [id, o] : clients_) logged += o.logged;
    switch (code) {
      case 1:
      case 2:
      case 3:
        if (m.logged) fail("FAIL0%d to a logged-in client", code);
        break;
      case 4:
      case 7:
      case 8:
        if (!m.logged) fail("FAIL0%d to a client that is not logged in", code);
        break;
      case 5:
        ++fail05_;
        break;
      case 6:
        if (!m.logged || logged != 1) fail("FAIL06 with %zu logged-in users", logged);
        break;
      default:
        break;
    }
  }

  const saxion::Session& session_;
  // Flat containers with room for the three clients inline: the checker runs after every action,
  // and under ASan each allocation costs more than the check.
  template <class V>
  using ByClient = boost::container::small_flat_map<ClientId, V, kClientSlots + 1>;
  ByClient<Client> clients_;  // connected, not yet gone
  struct Mirror {
    std::string head;        // the current line's first 5 bytes
    std::size_t length = 0;  // and its length so far
  };
  ByClient<Mirror> mirrors_;  // the clients' streams as the engine must read them
  boost::container::small_flat_set<ClientId, 16> gone_;
  Deliveries& expected_;                                            // deliveries owed in this event
  std::vector<std::pair<std::uint64_t, std::string_view>>& model_;  // buffers of the login-order check
  std::vector<std::pair<std::uint64_t, std::string_view>>& users_;
  std::uint64_t next_seq_ = 0;
  TimePoint now_{};
  Kind kind_ = Kind::none;
  ClientId actor_ = 0;
  bool outstanding_at_start_ = false, line_error_ = false, line_dscn_ = false;
  bool users_changed_ = false;  // a login or departure in this event: check the login order
  std::size_t pongs_ = 0, fail05_ = 0;
};

// The engine behind the model: each event goes to the model, then to the engine.
class Checked final : public proto::Engine {
 public:
  Checked(SaxionEngine& inner, Model& model) : inner_(inner), model_(model) {}
  void on_connect(ClientId c, TimePoint now) override {
    model_.on_connect(c, now);
    inner_.on_connect(c, now);
  }
  void on_bytes(ClientId c, std::string_view bytes, TimePoint now) override {
    model_.on_bytes(c, bytes, now);
    inner_.on_bytes(c, bytes, now);
  }
  void on_disconnect(ClientId c, TimePoint now) override {
    model_.on_disconnect(c, now);
    inner_.on_disconnect(c, now);
  }
  void on_tick(TimePoint now) override {
    model_.on_tick(now);
    inner_.on_tick(now);
  }
  std::optional<TimePoint> next_deadline() const override {
    const auto deadline = inner_.next_deadline();
    model_.check_deadline(deadline);
    return deadline;
  }
  std::vector<proto::Action> take_actions() override { return inner_.take_actions(); }
  void drain_actions(std::vector<proto::Action>& into) override { inner_.drain_actions(into); }

 private:
  SaxionEngine& inner_;
  Model& model_;
};

// Slot 3 is slot 0: at most three clients at once.
template <class R>
void fold_slots(std::vector<R>& records) {
  for (auto& r : records) r.slot %= kClientSlots;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto& records = relaycheck::fuzz::view_transcript_reused(data, size, kMaxRecords);
  fold_slots(records);
  SaxionEngine engine([] { return saxion::Codec{kLineLimit}; }, kOptions);
  thread_local ModelBuffers buffers;
  Model model(engine.session(), buffers);
  Checked checked(engine, model);
  relaycheck::fuzz::drive(checked, records, [&](const relaycheck::fuzz::DriveEvent& ev) { model.on_action(ev); });
  model.finish();
  return 0;
}

// ---- the line-aware mutator -------------------------------------------------------------------

namespace {

// The lines of a payload as byte ranges [first, second), each with its terminator (the last may
// have none), into `out`: edits then work on the payload in place.
void line_bounds(std::string_view p, std::vector<std::pair<std::size_t, std::size_t>>& out) {
  out.clear();
  for (std::size_t i = 0; i < p.size();) {
    std::size_t end = proto::find_line_end(p, i);
    if (end == std::string_view::npos) {
      out.emplace_back(i, p.size());
      break;
    }
    if (p[end] == '\r' && end + 1 < p.size() && p[end + 1] == '\n') ++end;
    out.emplace_back(i, end + 1);
    i = end + 1;
  }
}

// The mutator's buffers, kept from call to call (libFuzzer calls it before every run): lines are
// built in strings that keep their capacity and payloads edited in place, so a mutation makes
// almost no allocation.
struct MutatorBuffers {
  std::vector<std::string> names;
  std::vector<std::pair<std::size_t, std::size_t>> lines;
  std::string line, edit, token;
};

class Mutator {
 public:
  Mutator(unsigned seed, const std::vector<Record>& records, MutatorBuffers& buffers)
      : choices_(seed),
        names_(buffers.names),
        lines_(buffers.lines),
        line_(buffers.line),
        edit_(buffers.edit),
        token_(buffers.token) {
    names_ = {"alice", "bob", "carol"};
    // The names the transcript logs in with: "IDENT <name>" at a line start. A search, not a
    // split into lines: this runs on every mutation.
    for (const auto& r : records) {
      if (r.kind != Record::Kind::send) continue;
      const std::string_view p = r.payload;
      for (auto at = p.find("IDENT "); at != std::string_view::npos; at = p.find("IDENT ", at + 6)) {
        if (at != 0 && p[at - 1] != '\n' && p[at - 1] != '\r') continue;
        const auto end = std::min(proto::find_line_end(p, at), p.size());
        if (end > at + 6 && end < at + 40) names_.emplace_back(p.substr(at + 6, end - at - 6));
      }
    }
  }

  std::size_t below(std::size_t n) { return choices_.below(n); }
  // The generators below append to `out`.
  void name(std::string& out) { out += choices_.from(names_); }

  void boundary_name(std::string& out) {
    static const std::size_t lengths[] = {2, 3, 14, 15};
    static const char chars[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_";
    const std::size_t start = out.size(), n = lengths[below(4)];
    for (std::size_t i = 0; i < n; ++i) out += chars[below(sizeof chars - 1)];
    if (below(6) == 0) out[start + below(n)] = "-: !\xc3"[below(5)];
  }

  void token(std::string& out) {
    static constexpr std::string_view words[] = {"IDENT",
                                                 "BCST",
                                                 "QUIT",
                                                 "USERS",
                                                 "PONG",
                                                 "PING",
                                                 "PM",
                                                 "PM_PUBKEY",
                                                 "PM_SESSIONKEY",
                                                 "PRIVATE_MESSAGE",
                                                 "OK",
                                                 "INIT",
                                                 "JOINED",
                                                 "LEFT",
                                                 "DSCN",
                                                 "NPM",
                                                 "RECEIVE_PRIVATE_MSG",
                                                 "GOODBYE",
                                                 "ident",
                                                 "Bcst",
                                                 "FAIL00",
                                                 "FAIL01",
                                                 "FAIL02",
                                                 "FAIL03",
                                                 "FAIL04",
                                                 "FAIL05",
                                                 "FAIL06",
                                                 "FAIL07",
                                                 "FAIL08",
                                                 "",
                                                 "hi",
                                                 ":"};
    switch (below(3)) {
      case 0:
        return name(out);
      case 1:
        return boundary_name(out);
      default:
        out += choices_.from(words);
    }
  }

  // A whole command line (without terminator) using the names in use.
  void command_line(std::string& out) {
    switch (below(16)) {
      case 0:
        out += "IDENT ";
        return name(out);
      case 1:
        out += "IDENT ";
        return boundary_name(out);
      case 2:
        out += below(2) ? "BCST hello all" : "BCST ";
        return;
      case 3:
        out += "PM ";
        name(out);
        out += " psst";
        return;
      case 4:
        out += "PRIVATE_MESSAGE ";
        name(out);
        out += " c2VjcmV0";
        return;
      case 5:
        out += "PM_PUBKEY a2V5LW9mLWFsaWNl";
        return;
      case 6:
        out += "PM_SESSIONKEY ";
        name(out);
        out += " ZW5jcnlwdGVk";
        return;
      case 7:
        out += below(2) ? "OK PM_PUBKEY" : "OK PM_SESSIONKEY";
        return;
      case 8:
        out += "USERS";
        return;
      case 9:
      case 10:
        out += "PONG";
        return;
      case 11:
        out += "QUIT";
        return;
      case 12:
        if (below(2)) {
          out += "JOINED ";
          name(out);
        }
        return;
      case 13:
        out += "OK ";
        return token(out);
      case 14:
        token(out);
        out += ' ';
        return token(out);
      default:
        return token(out);
    }
  }

  void terminator(std::string& out) {
    static constexpr std::string_view ends[] = {"\n", "\n", "\n", "\r\n", "\r", ""};
    out += ends[below(6)];
  }

  std::uint8_t slot() { return static_cast<std::uint8_t>(below(kClientSlots)); }

  // A send of `payload` on slot `s`, in a pooled string (fuzz/common/string_pool.h).
  Record send(std::uint8_t s, std::string_view payload) {
    Record r;
    r.slot = s;
    r.payload = relaycheck::fuzz::string_pool::take();
    r.payload.assign(payload);
    return r;
  }

  void insert(std::vector<Record>& records, Record r) {
    records.insert(records.begin() + static_cast<std::ptrdiff_t>(below(records.size() + 1)), std::move(r));
  }

  // A random line of the payload, as line_bounds() gives it; false if it has none.
  bool pick_line(const std::string& payload, std::size_t& start, std::size_t& end) {
    line_bounds(payload, lines_);
    if (lines_.empty()) return false;
    std::tie(start, end) = lines_[below(lines_.size())];
    return true;
  }

  // Applies one mutation; false if it did not apply (the caller tries another).
  bool mutate(std::vector<Record>& records, std::size_t max_size) {
    const std::size_t si = relaycheck::fuzz::pick_record(records, Record::Kind::send, choices_);
    Record* sr = si < records.size() ? &records[si] : nullptr;
    switch (below(15)) {
      case 0:
      case 1: {  // a word of a line swapped for a token
        std::size_t start, end;
        if (!sr || !pick_line(sr->payload, start, end)) return false;
        const std::string_view line = std::string_view(sr->payload).substr(start, end - start);
        const std::size_t cut = std::min(proto::find_line_end(line), line.size());  // text, then terminator
        const std::string_view text = line.substr(0, cut);
        const std::size_t words = static_cast<std::size_t>(std::count(text.begin(), text.end(), ' ')) + 1;
        const std::size_t w = below(words + 1);  // words: a new word appended
        token_.clear();
        token(token_);
        edit_.clear();
        for (std::size_t i = 0, from = 0; i < words; ++i) {
          const auto sp = text.find(' ', from);
          if (i) edit_ += ' ';
          edit_ += i == w ? std::string_view(token_) : text.substr(from, sp == std::string_view::npos ? sp : sp - from);
          from = sp + 1;
        }
        if (w == words) (edit_ += ' ') += token_;
        edit_ += line.substr(cut);
        sr->payload.replace(start, end - start, edit_);
        return true;
      }
      case 2:
      case 3: {  // a whole command line inserted, into a write or as a new one
        line_.clear();
        command_line(line_);
        terminator(line_);
        if (sr && below(2)) {
          line_bounds(sr->payload, lines_);
          const std::size_t k = below(lines_.size() + 1);
          sr->payload.insert(k < lines_.size() ? lines_[k].first : sr->payload.size(), line_);
        } else {
          insert(records, send(slot(), line_));
        }
        return true;
      }
      case 4: {  // a line replaced by a boundary-length name in IDENT or PM
        token_.clear();
        boundary_name(token_);
        line_.clear();
        if (below(3)) {
          (line_ += "IDENT ") += token_;
        } else {
          ((line_ += "PM ") += token_) += " hi";
        }
        line_ += '\n';
        if (sr && below(2)) {
          std::size_t start, end;
          if (!pick_line(sr->payload, start, end)) return false;
          sr->payload.replace(start, end - start, line_);
        } else {
          insert(records, send(slot(), line_));
        }
        return true;
      }
      case 5: {  // a command whose text has a length at a power-of-two edge (one write), or a
                 // line at the line limit (two or three writes)
        if (below(2)) {
          static constexpr std::string_view commands[] = {"BCST",      "IDENT",         "PM",  "PRIVATE_MESSAGE",
                                                          "PM_PUBKEY", "PM_SESSIONKEY", "PONG"};
          const std::size_t n = relaycheck::fuzz::boundary_length({8, 16, 32, 64, 128, 256}, choices_);
          line_.clear();
          (line_ += choices_.from(commands)) += ' ';
          for (std::size_t i = 0; i < n; ++i) line_ += static_cast<char>('a' + below(26));
          terminator(line_);
          insert(records, send(slot(), line_));
          return true;
        }
        static const std::size_t lengths[] = {kLineLimit - 1, kLineLimit, kLineLimit + 1};
        const std::size_t len = lengths[below(3)];
        std::size_t total = 0;
        for (const auto& r : records) total += 3 + r.payload.size();
        if (total + 3 * 3 + len + 2 > max_size) return false;  // up to three record headers, CR LF
        line_.assign("BCST ");
        line_.append(len - 5, 'x');
        terminator(line_);
        const std::uint8_t s = slot();
        const std::size_t cut = std::min<std::size_t>(1 + below(line_.size() - 1), 0xffff);
        auto at = records.begin() + static_cast<std::ptrdiff_t>(below(records.size() + 1));
        at = records.insert(at, send(s, std::string_view(line_).substr(0, cut))) + 1;
        for (std::size_t from = cut; from < line_.size(); from += 0xffff)
          at = records.insert(at, send(s, std::string_view(line_).substr(from, 0xffff))) + 1;
        return true;
      }
      case 6: {  // drop, duplicate or move a line
        std::size_t start, end;
        if (!sr || !pick_line(sr->payload, start, end)) return false;
        switch (below(3)) {
          case 0:
            sr->payload.erase(start, end - start);
            break;
          case 1:
            line_.assign(sr->payload, start, end - start);
            sr->payload.insert(start, line_);
            break;
          default:
            line_.assign(sr->payload, start, end - start);
            sr->payload.erase(start, end - start);
            insert(records, send(slot(), line_));  // sr is not valid after this
            return true;
        }
        return true;
      }
      case 7: {  // drop, duplicate, move to another slot or swap records (slot 3 is slot 0)
        if (records.empty()) return false;
        switch (below(4)) {
          case 0:
            relaycheck::fuzz::drop_record(records, choices_);
            break;
          case 1:
            relaycheck::fuzz::duplicate_record(records, choices_);
            break;
          case 2:
            relaycheck::fuzz::move_record_to_other_slot(records, choices_);
            break;
          default:
            relaycheck::fuzz::swap_records(records, choices_);
        }
        return true;
      }
      case 8: {  // a reconnect or disconnect
        Record r;
        r.kind = below(2) ? Record::Kind::reconnect : Record::Kind::disconnect;
        r.slot = slot();
        insert(records, r);
        return true;
      }
      case 9:
      case 10: {  // advance times around the timers: an existing advance changed, or a new one
        static const std::uint16_t tenths[] = {0, 99, 100, 130, 29, 30, 31, 1};
        const std::size_t adv = relaycheck::fuzz::pick_record(records, Record::Kind::advance, choices_);
        if (adv < records.size() && below(2)) {
          records[adv].tenths = tenths[below(std::size(tenths))];
        } else {
          Record r;
          r.kind = Record::Kind::advance;
          r.tenths = tenths[below(std::size(tenths))];
          insert(records, r);
        }
        return true;
      }
      case 11: {  // a line's terminator changed
        std::size_t start, end;
        if (!sr || !pick_line(sr->payload, start, end)) return false;
        const std::size_t cut =
            std::min(proto::find_line_end(std::string_view(sr->payload).substr(start, end - start)), end - start);
        line_.clear();
        terminator(line_);
        sr->payload.replace(start + cut, end - start - cut, line_);
        return true;
      }
      case 12:  // a write split in two (also inside a CR LF)
        if (!sr) return false;
        relaycheck::fuzz::split_send(records, choices_);
        return true;
      default:  // libFuzzer's bytes on one payload
        if (!sr) return false;
        relaycheck::fuzz::mutate_payload_bytes(sr->payload, 64);
        return true;
    }
  }

 private:
  relaycheck::fuzz::Choices choices_;
  std::vector<std::string>& names_;
  std::vector<std::pair<std::size_t, std::size_t>>& lines_;  // the payload being edited, as line_bounds() gives it
  std::string& line_;                                        // a line being made
  std::string& edit_;                                        // a line being rebuilt
  std::string& token_;                                       // a word for it
};

}  // namespace

extern "C" std::size_t LLVMFuzzerCustomMutator(std::uint8_t* data, std::size_t size, std::size_t max_size,
                                               unsigned int seed) {
  if (seed % 6 == 0) return relaycheck::fuzz::libfuzzer_mutate(data, size, max_size);
  thread_local MutatorBuffers buffers;
  auto& records = relaycheck::fuzz::parse_transcript_reused(data, size, kMaxRecords);
  fold_slots(records);
  Mutator m(seed, records, buffers);
  const std::size_t rounds = 1 + m.below(3);
  for (std::size_t done = 0, tries = 0; done < rounds && tries < 12; ++tries)
    if (m.mutate(records, max_size)) ++done;
  if (records.size() > kMaxRecords) records.resize(kMaxRecords);
  return relaycheck::fuzz::write_back(records, data, size, max_size);
}
