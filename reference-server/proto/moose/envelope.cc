#include "proto/moose/envelope.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "proto/moose/errors.h"

namespace relaycheck::proto::moose {

using nlohmann::json;

std::vector<std::string_view> split_blocks(std::string_view text, std::size_t block_bytes) {
  std::vector<std::string_view> blocks;
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t n = std::min(block_bytes, text.size() - at);
    blocks.push_back(text.substr(at, n));
    at += n;
  }
  return blocks;
}

bool addressed_to(std::string_view to, std::string_view receiver) {
  if (receiver == "server") return to == "server" || to == "alice";
  return to == "client" || to == "bob";
}

std::string Envelope::seal(std::string_view inner, const PeerKey& peer, std::string_view uuid,
                           std::string_view to) const {
  json messages = json::array();
  for (auto block : split_blocks(inner, cipher_->block_bytes())) messages.push_back(cipher_->seal_block(block, peer));
  json raw = {{"messages", std::move(messages)}, {"UUID", std::string(uuid)}, {"to", std::string(to)}};
  return raw.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
}

namespace {

DecodeError error_at(errc code, std::size_t offset) { return DecodeError{make_error_code(code), offset}; }

// Where a block's text starts in the line (for error offsets): the first occurrence after `from`.
std::size_t locate(std::string_view line, const std::string& text, std::size_t from) {
  const auto at = line.find(text, from);
  return at == std::string_view::npos ? from : at;
}

}  // namespace

std::variant<Opened, DecodeError> Envelope::open(std::string_view line, std::string_view receiver) const {
  json raw;
  try {
    raw = json::parse(line);
  } catch (const json::parse_error& e) {
    return error_at(errc::raw_not_json, e.byte > 0 ? e.byte - 1 : 0);
  }
  if (!raw.is_object() || !raw.contains("messages") || !raw["messages"].is_array() || !raw.contains("to") ||
      !raw["to"].is_string() || (raw.contains("UUID") && !raw["UUID"].is_string()))
    return error_at(errc::raw_bad_shape, 0);
  for (const auto& m : raw["messages"])
    if (!m.is_string()) return error_at(errc::raw_bad_shape, 0);
  // Bounce protection: a packet for a client is never decrypted here.
  if (!addressed_to(raw["to"].get<std::string>(), receiver))
    return error_at(errc::not_for_server, locate(line, "\"to\"", 0));
  Opened opened;
  if (raw.contains("UUID")) opened.uuid = raw["UUID"].get<std::string>();
  std::size_t from = 0;
  for (const auto& m : raw["messages"]) {
    const std::string& text = m.get_ref<const std::string&>();
    const std::size_t at = locate(line, text, from);
    from = at + text.size();
    auto plain = cipher_->open_block(text);
    if (auto* e = std::get_if<DecodeError>(&plain)) return DecodeError{e->code, at + e->offset};
    auto& bytes = std::get<std::string>(plain);
    if (bytes.size() > cipher_->block_bytes()) return error_at(errc::block_too_long, at);
    opened.inner += bytes;
  }
  return opened;
}

}  // namespace relaycheck::proto::moose
