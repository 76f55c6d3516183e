// relaycheck-server: the reference server for every protocol relaycheck knows.
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "net/log.h"
#include "net/server.h"
#include "proto/common/address.h"
#include "proto/registry.h"

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
         "  --help               this text\n"
         "\n"
         "Protocols and their options (--NAME VALUE; durations like 500ms, 3s, 5m):\n";
  for (const auto& p : proto::protocols()) {
    out << "  " << p.id << " (port " << p.default_port << "): " << p.title << "\n";
    for (const auto& o : p.options)
      out << "      --" << o.name << " VALUE   " << o.help << " (default " << o.default_value << ")\n";
  }
}

int usage_error(const std::string& message) {
  std::cerr << "relaycheck-server: " << message << " (see --help)\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::string protocol_id, listen, level_text = "info";
  std::vector<std::pair<std::string, std::string>> raw_options;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--help" || a == "-h") {
      print_help(std::cout);
      return 0;
    }
    if (a.rfind("--", 0) != 0) return usage_error("unexpected argument '" + a + "'");
    std::string name = a.substr(2), value;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name.resize(eq);
    } else {
      if (i + 1 >= args.size()) return usage_error("--" + name + " needs a value");
      value = args[++i];
    }
    if (name == "protocol") protocol_id = value;
    else if (name == "listen") listen = value;
    else if (name == "log-level") level_text = value;
    else raw_options.emplace_back(name, value);
  }
  if (protocol_id.empty()) return usage_error("--protocol is required");
  const proto::ProtocolInfo* info = proto::find_protocol(protocol_id);
  if (!info) return usage_error("unknown protocol '" + protocol_id + "'");
  auto level = net::parse_log_level(level_text);
  if (!level) return usage_error("--log-level: expected error, warn, info or debug, got '" + level_text + "'");

  proto::OptionValues values;
  for (const auto& [name, value] : raw_options) {
    bool known = false;
    for (const auto& o : info->options) known = known || o.name == name;
    if (!known) return usage_error("unknown option --" + name + " for protocol " + info->id);
    values[name] = value;
  }

  net::ServerConfig config;
  config.port = info->default_port;
  if (!listen.empty()) {
    auto hp = proto::parse_host_port(listen);
    if (!hp) return usage_error("--listen: expected HOST:PORT or [V6]:PORT, got '" + listen + "'");
    config.host = hp->host;
    config.port = hp->port;
  }

  net::Logger log(*level);
  try {
    boost::asio::io_context io;
    net::Server server(io, info->make_engine(values), config, log);
    server.start();
    boost::asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](const boost::system::error_code& ec, int sig) {
      if (ec) return;
      log.info("signal " + std::to_string(sig) + ", shutting down");
      server.stop();
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
