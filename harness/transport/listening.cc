#include "harness/transport/listening.h"

#include <dirent.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>

namespace relaycheck::harness::transport {

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// /proc/net/tcp prints each 32-bit word of an address in host byte order.
std::string address_text(const std::string& hex, bool ipv6) {
  const std::size_t words = ipv6 ? 4 : 1;
  if (hex.size() != words * 8) return hex;
  unsigned char bytes[16] = {};
  for (std::size_t w = 0; w < words; ++w) {
    const unsigned long word = std::stoul(hex.substr(w * 8, 8), nullptr, 16);
    for (int b = 0; b < 4; ++b) bytes[w * 4 + b] = static_cast<unsigned char>(word >> (8 * b));  // little-endian hosts
  }
  char out[64];
  if (!ipv6) {
    std::snprintf(out, sizeof out, "%u.%u.%u.%u", bytes[0], bytes[1], bytes[2], bytes[3]);
    return out;
  }
  bool all_zero = true, loopback = true;
  for (int i = 0; i < 16; ++i) {
    all_zero = all_zero && bytes[i] == 0;
    loopback = loopback && bytes[i] == (i == 15 ? 1 : 0);
  }
  if (all_zero) return "::";
  if (loopback) return "::1";
  std::string text;
  for (int i = 0; i < 16; i += 2) {
    std::snprintf(out, sizeof out, "%s%x", i ? ":" : "", bytes[i] << 8 | bytes[i + 1]);
    text += out;
  }
  return text;
}

}  // namespace

std::vector<Listener> parse_proc_net_tcp(const std::string& text, bool ipv6) {
  std::vector<Listener> found;
  std::istringstream lines(text);
  std::string line;
  std::getline(lines, line);  // the header
  while (std::getline(lines, line)) {
    // "  0: 0100007F:1F90 00000000:0000 0A ... uid timeout inode ..."
    std::istringstream f(line);
    std::string slot, local, remote, state, queues, timer, retransmits, uid, timeout;
    unsigned long inode = 0;
    if (!(f >> slot >> local >> remote >> state >> queues >> timer >> retransmits >> uid >> timeout >> inode)) continue;
    if (state != "0A") continue;
    const auto colon = local.find(':');
    if (colon == std::string::npos) continue;
    try {
      Listener l;
      l.port = static_cast<std::uint16_t>(std::stoul(local.substr(colon + 1), nullptr, 16));
      l.address = address_text(local.substr(0, colon), ipv6);
      l.inode = inode;
      found.push_back(l);
    } catch (const std::exception&) {
      // a line this parser does not understand is not a listener it can use
    }
  }
  return found;
}

std::vector<Listener> listeners_on(std::uint16_t port) {
  std::vector<Listener> found;
  for (const bool v6 : {false, true})
    for (const auto& l : parse_proc_net_tcp(read_file(v6 ? "/proc/net/tcp6" : "/proc/net/tcp"), v6))
      if (l.port == port) found.push_back(l);
  return found;
}

bool group_owns_any(pid_t pgid, const std::vector<Listener>& sockets) {
  std::set<std::string> wanted;
  for (const auto& s : sockets) wanted.insert("socket:[" + std::to_string(s.inode) + "]");
  auto holds = [&](const std::string& pid) {
    const std::string dir = "/proc/" + pid + "/fd";
    DIR* d = ::opendir(dir.c_str());
    if (!d) return false;
    bool found = false;
    char target[64];
    while (dirent* e = ::readdir(d)) {
      if (e->d_name[0] == '.') continue;
      const ssize_t n = ::readlink((dir + "/" + e->d_name).c_str(), target, sizeof target - 1);
      if (n <= 0) continue;
      target[n] = '\0';
      if (wanted.count(target)) {
        found = true;
        break;
      }
    }
    ::closedir(d);
    return found;
  };
  // The leader usually listens itself; else look through the processes of its group.
  if (holds(std::to_string(pgid))) return true;
  DIR* proc = ::opendir("/proc");
  if (!proc) return false;
  bool found = false;
  while (dirent* e = ::readdir(proc)) {
    if (e->d_name[0] < '1' || e->d_name[0] > '9') continue;
    const std::string stat = read_file(std::string("/proc/") + e->d_name + "/stat");
    // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses, so read after the last ')'.
    const auto close = stat.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream rest(stat.substr(close + 1));
    std::string state;
    long ppid = 0, pgrp = 0;
    if (!(rest >> state >> ppid >> pgrp) || pgrp != pgid) continue;
    if ((found = holds(e->d_name))) break;
  }
  ::closedir(proc);
  return found;
}

std::string connect_address(const Listener& l) {
  if (l.address == "0.0.0.0" || l.address.rfind("127.", 0) == 0) return "127.0.0.1";
  if (l.address == "::") return "::1";  // reachable whether or not the socket also takes IPv4
  return l.address;
}

}  // namespace relaycheck::harness::transport
