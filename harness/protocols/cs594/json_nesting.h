#pragma once
// How deep the brackets of a JSON byte stream go, outside strings: where the dialect's client
// frames end (every bracket closed) and how deep a fuzzed value nests (the reference's limit).
#include <algorithm>
#include <string_view>

namespace relaycheck::harness::protocols::cs594 {

struct JsonNesting {
  int open = 0;            // brackets still open at the end (negative: more closed than opened)
  int deepest = 0;         // the most open at once
  bool in_string = false;  // the bytes end inside a string
};

inline JsonNesting json_nesting(std::string_view bytes) {
  JsonNesting n;
  bool escaped = false;
  for (char ch : bytes) {
    if (n.in_string) {
      if (escaped)
        escaped = false;
      else if (ch == '\\')
        escaped = true;
      else if (ch == '"')
        n.in_string = false;
    } else if (ch == '"') {
      n.in_string = true;
    } else if (ch == '{' || ch == '[') {
      n.deepest = std::max(n.deepest, ++n.open);
    } else if (ch == '}' || ch == ']') {
      --n.open;
    }
  }
  return n;
}

}  // namespace relaycheck::harness::protocols::cs594
