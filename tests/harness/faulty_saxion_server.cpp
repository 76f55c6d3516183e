// A saxion server with one deliberate fault (see faulty_engine.h), for the runner's network
// tests: faulty-saxion-server --fault NAME. Listens on a free loopback port and prints
// "listening on 127.0.0.1:PORT" like relaycheck-server.
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <iostream>

#include "faulty_engine.h"
#include "net/server.h"

int main(int argc, char** argv) {
  using namespace relaycheck;
  if ((argc != 3 && argc != 5) || std::string(argv[1]) != "--fault" ||
      (argc == 5 && std::string(argv[3]) != "--port")) {
    std::cerr << "usage: faulty-saxion-server --fault wrong-fail-code|drop-reply|extra-frame|crash|drop-1-in-1000 "
                 "[--port N]\n";
    return 2;
  }
  auto rewrite = testing::saxion_fault(argv[2]);
  if (!rewrite) {
    std::cerr << "faulty-saxion-server: unknown fault '" << argv[2] << "'\n";
    return 2;
  }
  boost::asio::io_context io;
  net::Logger log(net::LogLevel::warn);
  net::ServerConfig config;
  if (argc == 5) config.port = static_cast<std::uint16_t>(std::stoi(argv[4]));
  net::Server server(io,
                     std::make_unique<testing::FaultyEngine>(proto::find_protocol("saxion")->make_engine({}), *rewrite),
                     config, log);
  server.start();
  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code&, int) { server.stop(); });
  std::cout << "listening on 127.0.0.1:" << server.local_endpoint().port() << std::endl;
  io.run();
}
