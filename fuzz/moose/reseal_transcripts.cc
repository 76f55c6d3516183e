// Turns transcripts recorded from the suite (`relaycheck run --transcript-dir`, against a server
// holding the fixed test key of test_server_key.h) into moose_session_fuzz seeds. The suite's
// raw packets are RSA-sealed, which the session target (pass-through envelope) cannot open: each
// client line is opened with the test key and sealed again as pass-through text; lines that do
// not open (the suite's bounced, wrong-key and broken packets) stay as they are. The control
// connection (its lines are not JSON) moves to slot 3, where the target expects it.
//   moose_reseal_transcripts --write-key PATH          the test key, for the recording server
//   moose_reseal_transcripts OUT_DIR TRANSCRIPT...     OUT_DIR/<transcript's file name>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fuzz/common/transcript_driver.h"
#include "fuzz/moose/test_server_key.h"
#include "proto/moose/ciphers.h"
#include "proto/moose/envelope.h"
#include "proto/moose/rsa_key.h"

namespace {

using relaycheck::fuzz::Record;
namespace moose = relaycheck::proto::moose;

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// One client line as the session target reads it: the opened inner text, or the line unchanged.
std::string reseal_line(const moose::Envelope& rsa, const std::string& line) {
  auto opened = rsa.open(line, "server");
  auto* ok = std::get_if<moose::Opened>(&opened);
  if (!ok) return line + "\n";
  const nlohmann::json raw = {{"messages", {ok->inner}}, {"UUID", ok->uuid}, {"to", "server"}};
  return raw.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::vector<Record> reseal(const std::vector<Record>& records, const moose::Envelope& rsa) {
  // Which recorded slot is the control channel: its first bytes are a command word, not JSON.
  std::map<std::uint8_t, std::uint8_t> slot_to;
  std::uint8_t next_client = 0;
  for (const auto& r : records) {
    if (r.kind != Record::Kind::send || r.payload.empty() || slot_to.count(r.slot)) continue;
    const bool control = r.payload.front() != '{';
    slot_to[r.slot] = control ? 3 : next_client++;
  }
  for (std::uint8_t s = 0; s < relaycheck::fuzz::kSlots; ++s)
    if (!slot_to.count(s)) slot_to[s] = s;  // slots that never sent: as they were
  std::vector<Record> out;
  std::map<std::uint8_t, std::string> pending;  // per client slot: bytes of a line not yet ended
  for (const auto& r : records) {
    Record copy = r;
    copy.slot = slot_to[r.slot];
    if (r.kind != Record::Kind::send || copy.slot == 3) {
      out.push_back(copy);
      continue;
    }
    std::string& buffer = pending[copy.slot];
    buffer += r.payload;
    std::string lines;
    for (auto end = buffer.find('\n'); end != std::string::npos; end = buffer.find('\n')) {
      std::string line = buffer.substr(0, end);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      lines += reseal_line(rsa, line);
      buffer.erase(0, end + 1);
    }
    for (std::size_t at = 0; at < lines.size(); at += 0xffff)
      out.push_back({Record::Kind::send, copy.slot, lines.substr(at, 0xffff), 0});
  }
  for (const auto& [slot, rest] : pending)
    if (!rest.empty()) out.push_back({Record::Kind::send, slot, rest.substr(0, 0xffff), 0});
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string pem = relaycheck::fuzz::moose::kTestServerKeyPem;
  if (argc == 3 && std::string(argv[1]) == "--write-key") {
    std::ofstream(argv[2]) << pem.substr(pem.find('-'));
    return 0;
  }
  if (argc < 3) {
    std::cerr << "usage: moose_reseal_transcripts --write-key PATH | OUT_DIR TRANSCRIPT...\n";
    return 2;
  }
  auto key = moose::RsaKey::from_pem(pem);
  if (!key) {
    std::cerr << "moose_reseal_transcripts: the test key does not load\n";
    return 1;
  }
  const moose::Envelope rsa(std::make_shared<moose::RsaCipher>(std::move(*key)));
  const std::filesystem::path out_dir = argv[1];
  std::filesystem::create_directories(out_dir);
  for (int i = 2; i < argc; ++i) {
    const std::string bytes = read_file(argv[i]);
    const auto records =
        relaycheck::fuzz::parse_transcript(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size(), 100000);
    std::ofstream(out_dir / std::filesystem::path(argv[i]).filename(), std::ios::binary)
        << relaycheck::fuzz::serialize_transcript(reseal(records, rsa));
  }
  return 0;
}
