#pragma once
// One point a protocol leaves open, as the differential oracle (harness/netfuzz/differential.h)
// reads it. Each plug-in lists its own (harness/protocols/<id>/fuzz.cc).
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace relaycheck::harness::netfuzz {

using nlohmann::json;

enum class Tier { spec, decision };

// `swap`: the reference's frame and the target's are both answers the spec (or, decision tier,
// the project) allows. `close_instead`: the target closed the connection where the reference
// answered or kept it open. `diverges`: the two answers leave the server in different states, so
// nothing the case does after it is compared. `may_omit`: the reference's frame, given what it
// answers, is one the target may leave out (with `diverges`: and nothing after it is compared,
// e.g. a limit the reference enforces where the target may read on). `close_after`, `open_instead`
// and `spans` below: a close, or several frames, tied to what drew them (these part the servers
// when `diverges`: a close always does).
struct Allowance {
  const char* protocol;
  const char* point;
  Tier tier;
  const char* twin;  // the scenario that encodes it
  bool diverges;
  std::function<bool(const json& expected, const json& arrived)> swap;
  bool close_instead = false;
  std::function<bool(const json& expected, const std::string& drawn_by)> may_omit = nullptr;
  json omitted_pattern = nullptr;  // with may_omit: the frames it allows in that place, if any come
  // Patterns for the other answers it allows in place of the reference's `expected` (for the
  // written scenario: an answer the case never drew from the target is accepted there too).
  std::function<std::vector<json>(const json& expected)> alternatives = nullptr;
  // The target closed the connection right after the reference's frame `last` (drawn by
  // `drawn_by`), before its next write there was answered, where the reference kept it open.
  std::function<bool(const json& last, const std::string& drawn_by)> close_after = nullptr;
  // The target kept the connection open where the reference closed it: judged by the frames the
  // reference sent there before (`sent`, an array) and the bytes that drew the close.
  std::function<bool(const json& sent, const std::string& closed_by)> open_instead = nullptr;
  // An answer the spec lets run over another number of frames: the reference's frames that one
  // write drew (`drawn_by` as above) against the target's there (read in one segment, up to the
  // reference's frame after that write's): how many of each, from the first, stand for each other
  // ({0, 0}: none).
  std::function<std::pair<std::size_t, std::size_t>(const std::vector<json>& expected, const std::string& drawn_by,
                                                    const std::vector<json>& arrived)>
      spans = nullptr;
};

// A frame's string field, "" when absent or not a string.
inline std::string field(const json& f, const char* key) {
  return f.is_object() && f.contains(key) && f[key].is_string() ? f[key].get<std::string>() : std::string();
}

}  // namespace relaycheck::harness::netfuzz
