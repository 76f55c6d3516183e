#include "options.h"

#include <boost/program_options.hpp>
#include <set>

#include "net/server_flags.h"
#include "proto/registry.h"

namespace po = boost::program_options;

namespace relaycheck {

namespace {

const std::set<std::string> kFixed = {"protocol", "listen", "log-level", "control-listen"};

std::string flag_of(const po::error_with_option_name& e) {
  std::string name = e.get_option_name();
  return name.rfind('-', 0) == 0 ? name : "--" + name;
}

}  // namespace

po::options_description server_options() {
  po::options_description desc("options");
  desc.add_options()("protocol", po::value<std::string>()->value_name("ID"), "the protocol to serve")(
      "listen", po::value<std::string>()->value_name("HOST:PORT"), "address to listen on")(
      "log-level", po::value<std::string>()->value_name("LEVEL"), "error, warn, info or debug")(
      "control-listen", po::value<std::string>()->value_name("HOST:PORT"), "the control channel (moose)")(
      "completion", po::value<std::string>()->value_name("SHELL"), "print the completion script (bash)")(
      "help,h", po::bool_switch(), "this text")("version", po::bool_switch(), "the version");
  std::set<std::string> seen;
  for (const auto& f : net::server_flags())
    if (seen.insert(f.name).second)
      desc.add_options()(f.name.c_str(), po::value<std::string>()->value_name("VALUE"), f.help.c_str());
  // A name several protocols share (timeouts) is one parser option; main checks it fits --protocol.
  for (const auto& p : proto::protocols())
    for (const auto& o : p.options)
      if (seen.insert(o.name).second)
        desc.add_options()(o.name.c_str(), po::value<std::string>()->value_name("VALUE"), o.help.c_str());
  return desc;
}

ServerArgs parse_server_args(const std::vector<std::string>& argv) {
  po::options_description desc = server_options();
  desc.add_options()("positional-arguments", po::value<std::vector<std::string>>());
  po::positional_options_description positional;
  positional.add("positional-arguments", -1);
  const int style = po::command_line_style::unix_style & ~po::command_line_style::allow_guessing;
  po::parsed_options parsed(&desc);
  try {
    parsed = po::command_line_parser(argv).options(desc).positional(positional).style(style).run();
  } catch (const po::unknown_option& e) {
    throw ServerUsageError("unknown option " + flag_of(e));
  } catch (const po::invalid_command_line_syntax& e) {
    if (e.kind() == po::invalid_command_line_syntax::missing_parameter)
      throw ServerUsageError(flag_of(e) + " needs a value");
    if (e.kind() == po::invalid_command_line_syntax::extra_parameter)
      throw ServerUsageError(flag_of(e) + " takes no value");
    throw ServerUsageError(flag_of(e) + ": " + e.what());
  } catch (const po::error_with_option_name& e) {
    throw ServerUsageError(flag_of(e) + ": " + e.what());
  } catch (const po::error& e) {
    throw ServerUsageError(e.what());
  }
  ServerArgs out;
  // In order and as given, so a repeated option's last value wins, as before.
  for (const auto& o : parsed.options) {
    if (o.string_key == "positional-arguments") throw ServerUsageError("unexpected argument '" + o.value.front() + "'");
    const std::string& name = o.string_key;
    const std::string value = o.value.empty() ? std::string() : o.value.back();
    if (name == "help")
      out.help = true;
    else if (name == "version")
      out.version = true;
    else if (name == "protocol")
      out.protocol = value;
    else if (name == "listen")
      out.listen = value;
    else if (name == "log-level")
      out.log_level = value;
    else if (name == "control-listen")
      out.control_listen = value;
    else if (name == "completion")
      out.completion = value;
    else
      out.options.emplace_back(name, value);
  }
  return out;
}

}  // namespace relaycheck
