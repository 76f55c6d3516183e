#pragma once
// What a protocol tells the rest of the project about itself: its id, default port, tunable
// options and a factory for its engine. Each proto/<id>/protocol.cc fills one in.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "proto/common/engine.h"

namespace relaycheck::proto {

struct OptionSpec {
  std::string name;           // as on the command line, without "--": "ping-interval"
  std::string default_value;  // text form: "10s"
  std::string help;
};

using OptionValues = std::map<std::string, std::string>;

// Thrown by a factory for an option value it cannot use.
struct OptionError : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

struct ProtocolInfo {
  std::string id;
  std::string title;
  std::uint16_t default_port;
  std::vector<OptionSpec> options;
  // Missing options take their defaults.
  std::function<std::unique_ptr<Engine>(const OptionValues&)> make_engine;
  // Bytes sent to a connection refused because the server is full, before it is closed; empty
  // where the protocol has no such reply (the connection is just closed).
  std::string refusal_bytes;
  // Bytes sent to every client when the server shuts down; empty where the protocol has no goodbye.
  std::string shutdown_bytes;
  // A second listener whose connections reach Engine::on_control_connect (moose's end users).
  bool control_channel = false;
  // The names Engine::attribute answers; the server prints each before "listening on".
  std::vector<std::string> attributes;
  // Options the harness passes to every reference server it spawns in one run, made once per
  // run in a scratch directory (moose: one server key file; generating a key per server is slow).
  std::function<OptionValues(const std::string& scratch_dir)> spawn_options;
};

// Helpers for factories.
Millis duration_option(const OptionValues& values, const OptionSpec& spec);
std::string string_option(const OptionValues& values, const OptionSpec& spec);
// A count or size: a whole number from 1 to `max`, else an OptionError naming the option.
std::size_t count_option(const OptionValues& values, const OptionSpec& spec, std::size_t max = SIZE_MAX);

}  // namespace relaycheck::proto
