#include "proto/psuirc/errors.h"

namespace relaycheck::proto::psuirc {

const char* message_of(errc e) {
  switch (e) {
    case errc::invalid_utf8:
      return "invalid UTF-8";
  }
  return nullptr;
}

}  // namespace relaycheck::proto::psuirc
