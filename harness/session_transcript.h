#pragma once
// A scenario's conversation as a session fuzz target's input (formats/transcript.h), so the
// conformance suite seeds the fuzzers: `relaycheck run --transcript-dir DIR`.
#include <optional>
#include <string>

#include "reports/result.h"

namespace relaycheck::harness {

// The client side of the captured wire (RunOptions::capture_wire) as transcript records: each
// connection opened is a reconnect on its slot, each write a send, each client close a
// disconnect, and time between them an advance. Connections after the first four (the format's
// slots) are left out with everything they sent. Nothing when the client sent nothing.
std::optional<std::string> session_transcript(const reports::ScenarioResult& result);

}  // namespace relaycheck::harness
