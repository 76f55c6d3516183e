// relaycheck-server: the reference server for every protocol relaycheck knows.
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "completion.h"
#include "net/log.h"
#include "net/server.h"
#include "net/server_flags.h"
#include "options.h"
#include "proto/common/address.h"
#include "proto/registry.h"

#ifndef RELAYCHECK_VERSION
#define RELAYCHECK_VERSION "0.0.0"
#endif

namespace {

using namespace relaycheck;

void print_help(std::ostream& out) {
  out << "usage: relaycheck-server --protocol ID [--listen HOST:PORT] [--log-level LEVEL] [PROTOCOL OPTIONS]\n"
         "\n"
         "The relaycheck reference server. It prints 'listening on HOST:PORT' on stdout once it\n"
         "accepts connections (port 0 picks a free port) and stops cleanly on SIGINT or SIGTERM.\n"
         "\n"
         "  --protocol ID        the protocol to serve (below)\n"
         "  --listen HOST:PORT   address to listen on; default 127.0.0.1 and the protocol's port\n"
         "  --log-level LEVEL    error, warn, info (default) or debug; logs go to stderr\n"
         "  --control-listen HOST:PORT  the control channel of a protocol that has one (moose: simulated\n"
         "                       end users, docs/protocols/moose.md); default: the --listen host and the\n"
         "                       next port, or any free port when that is taken or --listen uses port 0.\n"
         "                       Printed as 'control listening on HOST:PORT' before 'listening on'.\n"
         "  --completion SHELL   print the completion script for SHELL (bash) and exit\n"
         "  --help               this text\n"
         "  --version            the version\n"
         "\n"
         "Limits, for every protocol (docs/server.md):\n";
  for (const auto& f : net::server_flags())
    out << "  --" << f.name << " VALUE   " << f.help << " (default " << f.default_value << ")\n";
  out << "\n"
         "Protocols and their options (--NAME VALUE; durations like 500ms, 3s, 5m):\n";
  for (const auto& p : proto::protocols()) {
    out << "  " << p.id << " (port " << p.default_port << "): " << p.title << "\n";
    for (const auto& o : p.options)
      out << "      --" << o.name << " VALUE   " << o.help << " (default " << o.default_value << ")\n";
  }
}

// Backslash and newline escaped, so a multi-line value (a PEM key) fits on one stdout line.
std::string escape_line(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

int usage_error(const std::string& message) {
  std::cerr << "relaycheck-server: " << message << " (see relaycheck-server --help)\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  ServerArgs parsed;
  try {
    parsed = parse_server_args(std::vector<std::string>(argv + 1, argv + argc));
  } catch (const ServerUsageError& e) {
    return usage_error(e.what());
  }
  if (parsed.help) {
    print_help(std::cout);
    return 0;
  }
  if (!parsed.completion.empty()) {
    if (parsed.completion != "bash")
      return usage_error("--completion: only bash is supported, got '" + parsed.completion + "'");
    print_server_bash_completion(std::cout);
    return 0;
  }
  if (parsed.version) {
    std::cout << "relaycheck-server " << RELAYCHECK_VERSION << '\n';
    return 0;
  }
  const std::string protocol_id = parsed.protocol, listen = parsed.listen, control_listen = parsed.control_listen,
                    level_text = parsed.log_level;
  const auto& raw_options = parsed.options;
  if (protocol_id.empty()) return usage_error("--protocol is required");
  const proto::ProtocolInfo* info = proto::find_protocol(protocol_id);
  if (!info) return usage_error("unknown protocol '" + protocol_id + "'");
  auto level = net::parse_log_level(level_text);
  if (!level) return usage_error("--log-level: expected error, warn, info or debug, got '" + level_text + "'");

  net::ServerConfig config;
  config.port = info->default_port;
  config.refusal_bytes = info->refusal_bytes;
  config.shutdown_bytes = info->shutdown_bytes;
  // Shell limits (--max-connections, ...) first, then the protocol's own options.
  proto::OptionValues values;
  for (const auto& [name, value] : raw_options) {
    try {
      if (net::apply_server_flag(config, name, value)) continue;
    } catch (const std::invalid_argument& e) {
      return usage_error(e.what());
    }
    bool known = false;
    for (const auto& o : info->options) known = known || o.name == name;
    if (!known) return usage_error("unknown option --" + name + " for protocol " + info->id);
    values[name] = value;
  }

  if (!listen.empty()) {
    auto hp = proto::parse_host_port(listen);
    if (!hp) return usage_error("--listen: expected HOST:PORT or [V6]:PORT, got '" + listen + "'");
    config.host = hp->host;
    config.port = hp->port;
  }
  if (info->control_channel) {
    config.control = true;
    config.control_host = config.host;
    config.control_port = config.port == 0 ? 0 : static_cast<std::uint16_t>(config.port + 1);
    config.control_port_may_move = control_listen.empty();  // only the default moves
    if (!control_listen.empty()) {
      auto hp = proto::parse_host_port(control_listen);
      if (!hp) return usage_error("--control-listen: expected HOST:PORT, got '" + control_listen + "'");
      config.control_host = hp->host;
      config.control_port = hp->port;
    }
  } else if (!control_listen.empty()) {
    return usage_error("--control-listen: protocol " + info->id + " has no control channel");
  }

  net::Logger log(*level);
  net::raise_open_file_limit();
  try {
    boost::asio::io_context io;
    auto engine = info->make_engine(values);
    // Facts clients need out of band (moose: the server's public key), one line each, escaped.
    for (const auto& name : info->attributes)
      if (auto value = engine->attribute(name)) std::cout << "attribute " << name << " " << escape_line(*value) << "\n";
    net::Server server(io, std::move(engine), config, log);
    server.start();
    if (config.control) {
      const auto cep = server.control_endpoint();
      std::cout << "control listening on " << proto::format_host_port({cep.address().to_string(), cep.port()}) << "\n";
    }
    boost::asio::signal_set signals(io, SIGINT, SIGTERM);
    // Drains gracefully: the goodbye, queued output flushed, closed hard after the grace time.
    signals.async_wait([&](const boost::system::error_code& ec, int sig) {
      if (ec) return;
      log.info("signal " + std::to_string(sig) + ", shutting down");
      server.shutdown(config.shutdown_grace);
    });
    const auto ep = server.local_endpoint();
    std::cout << "listening on " << proto::format_host_port({ep.address().to_string(), ep.port()}) << std::endl;
    log.info("serving " + info->id);
    io.run();
  } catch (const proto::OptionError& e) {
    return usage_error(e.what());
  } catch (const std::exception& e) {
    std::cerr << "relaycheck-server: " << e.what() << '\n';
    return 1;
  }
  return 0;
}
