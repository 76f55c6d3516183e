#include "harness/cli/args.h"

#include <boost/program_options.hpp>

namespace po = boost::program_options;

namespace relaycheck::harness::cli {

namespace {

constexpr const char* kPositional = "positional-arguments";

std::string describe(const Flag& f) {
  std::string text = f.help;
  if (!f.default_text.empty()) text += " (default: " + f.default_text + ")";
  return text;
}

// "--name value" with a value that itself starts with "--" (load --server-arg --max-clients) is
// joined to "--name=value", so the value is never taken for a flag, as before the library.
std::vector<std::string> join_values(const std::vector<std::string>& argv, const CommandSpec& spec) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    bool takes_value = false;
    for (const auto& f : spec.flags) takes_value = takes_value || (!f.arg.empty() && a == "--" + f.name);
    if (takes_value && i + 1 < argv.size()) {
      out.push_back(a + "=" + argv[++i]);
    } else {
      out.push_back(a);
    }
  }
  return out;
}

std::string flag_of(const po::error_with_option_name& e) {
  std::string name = e.get_option_name();
  if (name.rfind("--", 0) != 0 && name.rfind('-', 0) != 0) name = "--" + name;
  return name;
}

}  // namespace

po::options_description options_of(const CommandSpec& spec) {
  po::options_description desc("options", 110, 70);
  for (const auto& f : spec.flags) {
    const std::string names = f.name == "help" ? "help,h" : f.name;
    if (f.arg.empty()) {
      desc.add_options()(names.c_str(), po::bool_switch(), describe(f).c_str());
    } else {
      desc.add_options()(names.c_str(), po::value<std::vector<std::string>>()->value_name(f.arg)->composing(),
                         describe(f).c_str());
    }
  }
  return desc;
}

Args::Args(const std::vector<std::string>& argv, const CommandSpec& spec) : command_(spec.name) {
  for (const auto& f : spec.flags) known_.insert(f.name);
  po::options_description visible = options_of(spec);
  po::options_description all;
  all.add(visible);
  all.add_options()(kPositional, po::value<std::vector<std::string>>());
  po::positional_options_description pos;
  pos.add(kPositional, -1);
  // Exact names only (no abbreviations), long flags only apart from -h.
  const int style = po::command_line_style::unix_style & ~po::command_line_style::allow_guessing;
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(join_values(argv, spec)).options(all).positional(pos).style(style).run(), vm);
  } catch (const po::unknown_option& e) {
    throw UsageError("unknown option " + flag_of(e) + " for " + spec.name);
  } catch (const po::invalid_command_line_syntax& e) {
    if (e.kind() == po::invalid_command_line_syntax::extra_parameter) throw UsageError(flag_of(e) + " takes no value");
    if (e.kind() == po::invalid_command_line_syntax::missing_parameter) throw UsageError(flag_of(e) + " needs a value");
    throw UsageError(flag_of(e) + ": " + e.what());
  } catch (const po::error_with_option_name& e) {
    throw UsageError(flag_of(e) + ": " + e.what());
  } catch (const po::error& e) {
    throw UsageError(e.what());
  }
  for (const auto& [name, v] : vm) {
    if (name == kPositional) {
      positional_ = v.as<std::vector<std::string>>();
    } else if (v.value().type() == typeid(bool)) {
      if (v.as<bool>()) set_.insert(name);
    } else {
      values_[name] = v.as<std::vector<std::string>>();
    }
  }
  if (spec.positional.empty() && !positional_.empty())
    throw UsageError("unexpected argument '" + positional_.front() + "'");
}

void Args::check_known(const std::string& name) const {
  if (!known_.count(name))
    throw std::logic_error("relaycheck " + command_ + " reads --" + name +
                           ", which is not in its flag table (cli/flags.cc)");
}

bool Args::has(const std::string& name) const {
  check_known(name);
  return values_.count(name) || set_.count(name);
}

std::vector<std::string> Args::all(const std::string& name) const {
  check_known(name);
  auto it = values_.find(name);
  return it == values_.end() ? std::vector<std::string>{} : it->second;
}

std::string Args::one(const std::string& name, const std::string& fallback) const {
  check_known(name);
  auto it = values_.find(name);
  return it == values_.end() ? fallback : it->second.back();
}

int Args::integer(const std::string& name, int fallback, int min, int max) const {
  check_known(name);
  if (!values_.count(name)) return fallback;
  const std::string v = one(name, "");
  try {
    std::size_t used = 0;
    const int n = std::stoi(v, &used);
    if (used == v.size() && n >= min && n <= max) return n;
  } catch (const std::exception&) {
  }
  throw UsageError("--" + name + ": expected a number from " + std::to_string(min) + " to " + std::to_string(max) +
                   ", got '" + v + "'");
}

}  // namespace relaycheck::harness::cli
