#include "proto/moose/engine.h"

#include "proto/moose/errors.h"

namespace relaycheck::proto::moose {

MooseEngine::MooseEngine(std::shared_ptr<const BlockCipher> cipher, Options options)
    : envelope_(std::move(cipher)), session_(std::move(options)) {}

void MooseEngine::on_connect(ClientId c, TimePoint now) {
  conns_[c] = Conn{};
  session_.on_connect(c, now);
  collect();
}

void MooseEngine::on_control_connect(ClientId c, TimePoint now) {
  conns_[c] = Conn{};
  conns_[c].control = true;
  session_.on_control_connect(c, now);
  collect();
}

void MooseEngine::on_bytes(ClientId c, std::string_view bytes, TimePoint now) {
  auto it = conns_.find(c);
  if (it == conns_.end()) return;
  it->second.lines.feed(bytes);
  while (true) {
    it = conns_.find(c);
    if (it == conns_.end()) return;
    auto item = it->second.lines.next();
    if (std::holds_alternative<std::monostate>(item)) return;
    if (auto* err = std::get_if<DecodeError>(&item)) {
      // A line over the limit cannot be resynchronised: the connection ends.
      session_.set_last_error(DecodeError{make_error_code(errc::line_too_long), err->offset}.describe());
      conns_.erase(c);
      session_.on_disconnect(c, now);
      collect();
      actions_.push_back({Action::Kind::close, c, "raw packet line too long"});
      return;
    }
    ++it->second.frames;
    const std::string& text = std::get<std::string>(item);
    if (it->second.control)
      session_.on_control_line(c, text, now);
    else if (!text.empty())
      raw_packet(c, it->second, text, it->second.lines.line_start(), now);
    collect();
  }
}

void MooseEngine::raw_packet(ClientId c, Conn& conn, std::string_view line, std::size_t line_start, TimePoint now) {
  auto opened = envelope_.open(line);
  if (auto* e = std::get_if<DecodeError>(&opened)) {
    auto& n = session_.counters();
    (e->code == errc::not_for_server ? n.bounced : n.undecodable) += 1;
    session_.set_last_error(DecodeError{e->code, line_start + e->offset}.describe());
    return;
  }
  json packet = json::parse(std::get<Opened>(opened).inner, nullptr, false);
  if (packet.is_discarded() || !packet.is_object()) {
    ++session_.counters().bad_json;
    session_.set_last_error(DecodeError{make_error_code(errc::inner_not_json), line_start}.describe());
    return;
  }
  // A key must be usable before the session takes it: replies are sealed to it.
  if (packet.value("type", json()) == "key" && packet.contains("key") && packet["key"].is_string()) {
    auto key = envelope_.cipher().load_peer_key(packet["key"].get<std::string>());
    if (!key) {
      ++session_.counters().invalid;
      session_.set_last_error(DecodeError{make_error_code(errc::bad_key), line_start}.describe());
      return;
    }
    conn.key = std::move(key);
    conn.key_pem = packet["key"].get<std::string>();
  }
  session_.on_packet(c, packet, now);
}

void MooseEngine::on_disconnect(ClientId c, TimePoint now) {
  if (conns_.erase(c) == 0) return;
  session_.on_disconnect(c, now);
  collect();
}

void MooseEngine::on_tick(TimePoint now) {
  session_.on_tick(now);
  collect();
}

std::optional<std::string> MooseEngine::attribute(std::string_view name) const {
  if (name == "public-key-pem") {
    auto pem = envelope_.cipher().public_pem();
    if (!pem.empty()) return pem;
  }
  return std::nullopt;
}

std::optional<ClientProgress> MooseEngine::progress(ClientId c) const {
  auto it = conns_.find(c);
  if (it == conns_.end()) return std::nullopt;
  return ClientProgress{it->second.control || session_.uuid_of(c) != nullptr, it->second.frames};
}

// The key the session holds for c, loaded (the last usable key the client sent is the one the
// session stored, unless the session refused that packet).
const PeerKey* MooseEngine::peer_key(ClientId c, Conn& conn) {
  const std::string* pem = session_.key_of(c);
  if (!pem) return nullptr;
  if (conn.key_pem != *pem || !conn.key) {
    conn.key = envelope_.cipher().load_peer_key(*pem);
    conn.key_pem = *pem;
  }
  return conn.key.get();
}

void MooseEngine::collect() {
  for (auto& out : session_.take_output()) {
    auto it = conns_.find(out.client);
    if (it == conns_.end()) continue;
    if (out.kind == Session::Out::Kind::line) {
      actions_.push_back({Action::Kind::send, out.client, out.line + "\n"});
      continue;
    }
    const PeerKey* key = peer_key(out.client, it->second);
    const std::string* uuid = session_.uuid_of(out.client);
    if (!key || !uuid) continue;  // only clients in the pool hear from the server
    actions_.push_back({Action::Kind::send, out.client,
                        envelope_.seal(out.packet.dump(-1, ' ', false, json::error_handler_t::replace), *key, *uuid)});
  }
}

}  // namespace relaycheck::proto::moose
