#pragma once
// What the network fuzzer knows about one protocol beyond its dialect: which reply ends the
// login prefix and what "kind" a reply is for the state map. Each plug-in has its own
// (harness/protocols/<id>/fuzz.cc); the base class is the generic answer.
#include <string>

#include <nlohmann/json.hpp>

namespace relaycheck::harness::netfuzz {

using nlohmann::json;

class ProtocolHints {
 public:
  virtual ~ProtocolHints() = default;
  // A reply that completes a client's login: the sends up to it are the unmutated prefix.
  virtual bool is_login_reply(const json& frame) const { return false; }
  // The reply's kind for the state map: its command, op or type, not its variable parts.
  virtual std::string kind_of(const json& frame) const;
};

// The one instance of a plug-in's hints class: its fuzz_hints() returns hints_instance<Hints>().
template <class Hints>
const ProtocolHints& hints_instance() {
  static const Hints hints;
  return hints;
}

// The first `words` words of a text line.
std::string first_words(const std::string& text, int words);

}  // namespace relaycheck::harness::netfuzz
