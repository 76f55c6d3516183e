#pragma once
// One std::error_category per error enum, made from two functions declared next to the enum and
// found by argument-dependent lookup:
//   enum class errc { ... };
//   constexpr const char* category_name(errc) { return "cop"; }
//   const char* message_of(errc e);  // a switch over the codes; nullptr for any other value
//   inline std::error_code make_error_code(errc e) { return error_code_of(e); }
// plus std::is_error_code_enum<errc>, the standard's hook that lets an errc become an error_code.
#include <string>
#include <system_error>

namespace relaycheck::proto {

template <class Errc>
class EnumErrorCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return category_name(Errc{}); }
  std::string message(int ev) const override {
    const char* text = message_of(static_cast<Errc>(ev));
    return text ? std::string(text) : "unknown " + std::string(name()) + " error " + std::to_string(ev);
  }
};

// The one category of Errc (error codes compare their categories by address).
template <class Errc>
const std::error_category& error_category_of() {
  static const EnumErrorCategory<Errc> category;
  return category;
}

template <class Errc>
std::error_code error_code_of(Errc e) {
  return {static_cast<int>(e), error_category_of<Errc>()};
}

}  // namespace relaycheck::proto
