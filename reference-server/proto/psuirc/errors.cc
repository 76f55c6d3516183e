#include "proto/psuirc/errors.h"

#include <string>

namespace relaycheck::proto::psuirc {

namespace {
class Category : public std::error_category {
 public:
  const char* name() const noexcept override { return "psuirc"; }
  std::string message(int ev) const override {
    switch (static_cast<errc>(ev)) {
      case errc::invalid_utf8: return "invalid UTF-8";
    }
    return "unknown psuirc error";
  }
};
}  // namespace

const std::error_category& category() {
  static const Category c;
  return c;
}

}  // namespace relaycheck::proto::psuirc
