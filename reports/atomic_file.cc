#include <unistd.h>
#include <cstdio>
#include <fstream>
#include <stdexcept>

#include "reports/writers.h"

namespace relaycheck::reports {

void write_atomically(const std::string& path, const std::string& content) {
  const std::string tmp = path + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (!f) throw std::runtime_error("cannot write report '" + path + "'");
    f << content;
    f.flush();
    if (!f) {
      std::remove(tmp.c_str());
      throw std::runtime_error("cannot write report '" + path + "'");
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    throw std::runtime_error("cannot write report '" + path + "'");
  }
}

}  // namespace relaycheck::reports
