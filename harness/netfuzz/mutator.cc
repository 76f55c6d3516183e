#include "harness/netfuzz/mutator.h"

#include <algorithm>
#include <limits>
#include <set>

namespace relaycheck::harness::netfuzz {

namespace {

// Lengths where length checks and buffers tend to be off by one.
constexpr std::size_t kBoundaryLengths[] = {0,   1,   2,   3,   4,    13,   14,   15,   16,    31,
                                            32,  33,  63,  64,  65,   127,  128,  129,  255,   256,
                                            257, 511, 512, 513, 1023, 1024, 1025, 4096, 65535, 65536};

constexpr std::size_t kMaxSends = 64;
constexpr std::size_t kMaxSendBytes = 70'000;

// Characters that parsers mishandle: controls, separators, UTF-8 edge cases, invalid UTF-8.
const std::vector<std::string> kSpecialChars = {
    std::string(1, '\0'), "\r",           "\n",   "\t",   " ", ":", "\x7f", "\xff", "\xc3", "\xc3\xa9", "\xe2\x80\xae",
    "\xf0\x9f\x92\xa5",   "\xed\xa0\x80", "%s%n", "${x}", "\\"};

const std::vector<std::string> kTokens = {"", " ", "0", "-1", "null", "true", "{}", "[]", "\"", "\r\n"};

std::vector<std::string> split_words(const std::string& s) {
  std::vector<std::string> words;
  std::size_t at = 0;
  while (true) {
    const auto space = s.find(' ', at);
    words.push_back(s.substr(at, space == std::string::npos ? std::string::npos : space - at));
    if (space == std::string::npos) return words;
    at = space + 1;
  }
}

std::string join_words(const std::vector<std::string>& words) {
  std::string s;
  for (std::size_t i = 0; i < words.size(); ++i) s += (i ? " " : "") + words[i];
  return s;
}

// Exactly one frame decoded from `bytes`, as the dialect shows it; nothing otherwise.
std::optional<json> decode_one(const Dialect& dialect, const std::string& bytes) {
  auto decoder = dialect.decoder();
  decoder->feed(bytes);
  auto item = decoder->next();
  auto* frame = std::get_if<json>(&item);
  if (!frame || decoder->pending_bytes() > 0) return std::nullopt;
  if (!std::holds_alternative<std::monostate>(decoder->next())) return std::nullopt;
  return *frame;
}

// Every string and number inside `v`, as pointers.
void leaves(json& v, std::vector<json*>& out) {
  if (v.is_string() || v.is_number())
    out.push_back(&v);
  else if (v.is_object() || v.is_array())
    for (auto& child : v) leaves(child, out);
}

}  // namespace

Mutator::Mutator(const Dialect& dialect, std::uint64_t seed, std::vector<std::string> dictionary)
    : dialect_(dialect), rng_(seed), dictionary_(std::move(dictionary)) {
  dictionary_.insert(dictionary_.end(), kTokens.begin(), kTokens.end());
}

std::vector<std::string> Mutator::dictionary_from(const std::vector<FuzzCase>& seeds, const Dialect& dialect) {
  std::set<std::string> words;
  for (const auto& c : seeds)
    for (const auto& s : c.sends) {
      auto frame = decode_one(dialect, s.bytes);
      if (!frame) continue;
      std::vector<json*> found;
      leaves(*frame, found);
      for (json* v : found) {
        const std::string text = v->is_string() ? v->get<std::string>() : v->dump();
        if (text.size() <= 64) words.insert(text);
        for (const auto& w : split_words(text))
          if (!w.empty() && w.size() <= 64) words.insert(w);
      }
    }
  std::vector<std::string> list(words.begin(), words.end());  // sorted: the same order every run
  if (list.size() > 1024) list.resize(1024);
  return list;
}

FuzzCase Mutator::mutate(const FuzzCase& parent, const std::vector<FuzzCase>& pool) {
  FuzzCase child = parent;
  const std::size_t rounds = 1 + below(3);
  for (std::size_t i = 0; i < rounds; ++i) mutate_once(child, pool);
  // Bounded, so a lineage of duplications does not grow without end.
  if (child.sends.size() > kMaxSends) child.sends.resize(kMaxSends);
  for (auto& s : child.sends)
    if (s.bytes.size() > kMaxSendBytes) s.bytes.resize(kMaxSendBytes);
  return child;
}

void Mutator::mutate_once(FuzzCase& c, const std::vector<FuzzCase>& pool) {
  c.prefix = std::min(c.prefix, c.sends.size());
  if (c.sends.size() == c.prefix) return mutate_frames(c, pool);  // nothing to change yet: add a frame
  Send& s = c.sends[c.prefix + below(c.sends.size() - c.prefix)];
  const std::size_t choice = below(10);
  if (choice < 5) {
    if (!mutate_field(s.bytes)) mutate_bytes(s.bytes, pool);
  } else if (choice < 7) {
    mutate_bytes(s.bytes, pool);
  } else {
    mutate_frames(c, pool);
  }
}

std::string Mutator::boundary_string(const std::string& like) {
  const std::size_t length = kBoundaryLengths[below(std::size(kBoundaryLengths))];
  if (!like.empty() && below(2) == 0) {
    // The same text cut or repeated to the length, so its shape stays.
    std::string s;
    while (s.size() < length) s += like;
    s.resize(length);
    return s;
  }
  const char fill = "aAz0_ -."[below(8)];
  return std::string(length, fill);
}

void Mutator::mutate_string(std::string& s) {
  switch (below(6)) {
    case 0:
      s = boundary_string(s);
      break;
    case 1:
      s = dictionary_[below(dictionary_.size())];
      break;
    case 2: {  // one word becomes a dictionary token, a boundary-length word, or goes
      auto words = split_words(s);
      std::string& w = words[below(words.size())];
      const std::size_t how = below(3);
      if (how == 0)
        w = dictionary_[below(dictionary_.size())];
      else if (how == 1)
        w = boundary_string(w);
      else
        words.erase(words.begin() + static_cast<long>(&w - words.data()));
      s = join_words(words);
      break;
    }
    case 3: {  // a word repeated
      auto words = split_words(s);
      const std::size_t i = below(words.size());
      words.insert(words.begin() + static_cast<long>(i), words[i]);
      s = join_words(words);
      break;
    }
    case 4:
      s.insert(below(s.size() + 1), kSpecialChars[below(kSpecialChars.size())]);
      break;
    default:
      s += " " + dictionary_[below(dictionary_.size())];
      break;
  }
}

void Mutator::mutate_number(json& v) {
  static const std::vector<json> edges = {0,
                                          1,
                                          -1,
                                          255,
                                          256,
                                          65535,
                                          std::numeric_limits<std::int32_t>::max(),
                                          std::numeric_limits<std::int32_t>::min(),
                                          std::numeric_limits<std::int64_t>::max(),
                                          std::numeric_limits<std::int64_t>::min(),
                                          std::numeric_limits<std::uint64_t>::max(),
                                          1.5,
                                          "1"};
  if (below(3) == 0 && v.is_number_integer())
    v = v.get<std::int64_t>() + static_cast<std::int64_t>(below(5)) - 2;
  else
    v = edges[below(edges.size())];
}

bool Mutator::mutate_field(std::string& bytes) {
  auto frame = decode_one(dialect_, bytes);
  if (!frame) return false;
  json f = *frame;
  // Keep only what the dialect encodes: a decoded frame's "line" (beside "cmd") or "code" (beside
  // "op") echoes its other fields.
  if (f.is_object() && f.contains("cmd")) f.erase("line");
  if (f.is_object() && f.contains("op")) f.erase("code");
  std::vector<json*> found;
  leaves(f, found);
  if (found.empty()) return false;
  json& leaf = *found[below(found.size())];
  if (leaf.is_string()) {
    std::string s = leaf.get<std::string>();
    mutate_string(s);
    leaf = s;
  } else {
    mutate_number(leaf);
  }
  // A line protocol whose frames read as {"line": ...}: the line itself is the frame.
  const json& to_encode = f.is_object() && f.size() == 1 && f.contains("line") ? f["line"] : f;
  try {
    bytes = dialect_.encode(to_encode);
    return true;
  } catch (const DialectError&) {
  } catch (const json::exception&) {  // a dialect's error message may dump invalid UTF-8
  }
  return false;
}

void Mutator::mutate_bytes(std::string& b, const std::vector<FuzzCase>& pool) {
  const std::size_t n = b.size();
  switch (below(8)) {
    case 0:
      if (n) b[below(n)] ^= static_cast<char>(1u << below(8));
      break;
    case 1:
      if (n) b[below(n)] = "\0\n\r \xff\x7f\x80:"[below(9)];
      break;
    case 2:
      b.resize(below(n + 1));
      break;  // truncated
    case 3:
      if (n) b.erase(below(n), 1 + below(std::min<std::size_t>(n, 16)));
      break;
    case 4: {
      std::string random(1 + below(8), '\0');
      for (auto& ch : random) ch = static_cast<char>(rng_());
      b.insert(below(n + 1), random);
      break;
    }
    case 5:
      if (n) {
        const std::size_t at = below(n), len = 1 + below(n - at);
        b.insert(at, b.substr(at, len));
      }
      break;
    case 6: {  // spliced with a frame of another case
      const FuzzCase& other = pool[below(pool.size())];
      if (other.sends.empty()) break;
      const std::string& o = other.sends[below(other.sends.size())].bytes;
      b = b.substr(0, below(n + 1)) + o.substr(below(o.size() + 1));
      break;
    }
    default:
      b.insert(below(n + 1), kSpecialChars[below(kSpecialChars.size())]);
      break;
  }
}

void Mutator::mutate_frames(FuzzCase& c, const std::vector<FuzzCase>& pool) {
  const std::size_t first = c.prefix, n = c.sends.size();
  auto pos = [&] { return first + below(n - first + 1); };  // an insertion point after the prefix
  const std::size_t choice = below(7);
  if (n > first && choice == 6) {
    chop(c);
  } else if (n > first && choice == 0) {
    c.sends.erase(c.sends.begin() + static_cast<long>(first + below(n - first)));
  } else if (n > first && choice == 1) {
    const Send copy = c.sends[first + below(n - first)];
    c.sends.insert(c.sends.begin() + static_cast<long>(pos()), copy);
  } else if (n > first + 1 && choice == 2) {
    std::swap(c.sends[first + below(n - first)], c.sends[first + below(n - first)]);
  } else if (n > first && choice == 3) {
    // A frame of one connection, also sent earlier by another (or a new) connection.
    const std::size_t i = first + below(n - first);
    Send copy = c.sends[i];
    if (c.conns < kMaxConns && below(4) == 0)
      copy.conn = c.conns++;
    else
      copy.conn = static_cast<int>(below(static_cast<std::size_t>(c.conns)));
    c.sends.insert(c.sends.begin() + static_cast<long>(first + below(i - first + 1)), copy);
  } else if (n > first && choice == 4) {
    Send& s = c.sends[first + below(n - first)];
    s.conn = static_cast<int>(below(static_cast<std::size_t>(c.conns)));
  } else {
    const FuzzCase& other = pool[below(pool.size())];
    if (other.sends.empty()) return;
    Send copy = other.sends[below(other.sends.size())];
    copy.conn = static_cast<int>(below(static_cast<std::size_t>(c.conns)));
    c.sends.insert(c.sends.begin() + static_cast<long>(pos()), copy);
  }
}

void Mutator::chop(FuzzCase& c) {
  const std::size_t i = c.prefix + below(c.sends.size() - c.prefix);
  const Send whole = c.sends[i];
  if (whole.bytes.size() < 2) return;
  // 2 to 4 pieces, cut anywhere (inside a frame, a length field, a UTF-8 sequence).
  const std::size_t pieces = 2 + below(std::min<std::size_t>(3, whole.bytes.size() - 1));
  std::set<std::size_t> cuts;
  while (cuts.size() < pieces - 1) cuts.insert(1 + below(whole.bytes.size() - 1));
  cuts.insert(whole.bytes.size());
  std::vector<Send> parts;
  std::size_t at = 0;
  for (std::size_t cut : cuts) {
    parts.push_back({whole.conn, whole.bytes.substr(at, cut - at), true});
    at = cut;
  }
  c.sends.erase(c.sends.begin() + static_cast<long>(i));
  c.sends.insert(c.sends.begin() + static_cast<long>(i), parts.begin(), parts.end());
}

}  // namespace relaycheck::harness::netfuzz
