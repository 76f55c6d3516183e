#pragma once
// The structure-aware mutator: decodes a write with the protocol's dialect and changes one field
// (boundary lengths, dictionary tokens as whole fields or words, numbers at their edges, control
// and non-ASCII characters), or changes bytes (flips, truncation, splices), or changes frames
// (drop, duplicate, swap, move or copy to another connection), or chops a write into several
// smaller writes cut at random points, inside frames too. The login prefix is kept. All
// randomness comes from the one seeded generator, so a seed gives the same cases every run.
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "harness/netfuzz/fuzz_case.h"
#include "harness/protocols/dialect.h"

namespace relaycheck::harness::netfuzz {

class Mutator {
 public:
  Mutator(const Dialect& dialect, std::uint64_t seed, std::vector<std::string> dictionary);

  // A child of `parent`: one to three stacked mutations; `pool` gives frames to splice in.
  FuzzCase mutate(const FuzzCase& parent, const std::vector<FuzzCase>& pool);
  std::size_t below(std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(rng_() % n); }

  // Words and string fields of the seeds' frames, and a few tokens every protocol should survive.
  static std::vector<std::string> dictionary_from(const std::vector<FuzzCase>& seeds, const Dialect& dialect);

 private:
  void mutate_once(FuzzCase& c, const std::vector<FuzzCase>& pool);
  bool mutate_field(std::string& bytes);
  void mutate_string(std::string& s);
  void mutate_number(json& v);
  void mutate_bytes(std::string& bytes, const std::vector<FuzzCase>& pool);
  void mutate_frames(FuzzCase& c, const std::vector<FuzzCase>& pool);
  void chop(FuzzCase& c);
  std::string boundary_string(const std::string& like);

  const Dialect& dialect_;
  std::mt19937_64 rng_;
  std::vector<std::string> dictionary_;
};

}  // namespace relaycheck::harness::netfuzz
