// A scenario's conversation as a pcapng capture: each connection becomes a real-looking
// loopback TCP stream (handshake, data segments with consistent sequence numbers, FIN) so
// Wireshark and tshark can follow it. Raw IPv4 link type; checksums are filled in.
#include <cstdint>
#include <map>
#include <sstream>

#include "reports/writers.h"

namespace relaycheck::reports {

namespace {

constexpr std::uint16_t kServerPort = 10000;
constexpr std::size_t kMaxSegment = 1448;
enum : std::uint8_t { FIN = 0x01, SYN = 0x02, PSH = 0x08, ACK = 0x10 };

void put16(std::string& b, std::uint16_t v) { b += static_cast<char>(v >> 8), b += static_cast<char>(v & 0xff); }
void put32(std::string& b, std::uint32_t v) {
  put16(b, static_cast<std::uint16_t>(v >> 16)), put16(b, static_cast<std::uint16_t>(v));
}
// pcapng fields are in the writer's byte order, here little-endian.
void le16(std::string& b, std::uint16_t v) { b += static_cast<char>(v & 0xff), b += static_cast<char>(v >> 8); }
void le32(std::string& b, std::uint32_t v) {
  le16(b, static_cast<std::uint16_t>(v)), le16(b, static_cast<std::uint16_t>(v >> 16));
}

std::uint16_t checksum(const std::string& data, std::uint32_t sum = 0) {
  for (std::size_t i = 0; i + 1 < data.size(); i += 2)
    sum += (static_cast<std::uint8_t>(data[i]) << 8) | static_cast<std::uint8_t>(data[i + 1]);
  if (data.size() % 2) sum += static_cast<std::uint8_t>(data.back()) << 8;
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<std::uint16_t>(~sum);
}

class Capture {
 public:
  explicit Capture(std::ostream& out) : out_(out) {
    std::string shb;
    le32(shb, 0x1A2B3C4D);
    le16(shb, 1);
    le16(shb, 0);
    le32(shb, 0xffffffff), le32(shb, 0xffffffff);  // section length unknown
    block(0x0A0D0D0A, shb);
    std::string idb;
    le16(idb, 101);  // LINKTYPE_RAW: packets start with the IP header
    le16(idb, 0);
    le32(idb, 0);  // no snap length limit
    block(1, idb);
  }

  // One TCP segment from client port `cport` (to_server) or to it.
  void segment(long long at_ms, std::uint16_t cport, bool to_server, std::uint32_t seq, std::uint32_t ack,
               std::uint8_t flags, std::string_view payload) {
    const std::uint16_t sport = to_server ? cport : kServerPort, dport = to_server ? kServerPort : cport;
    std::string tcp;
    put16(tcp, sport), put16(tcp, dport), put32(tcp, seq), put32(tcp, ack);
    tcp += static_cast<char>(5 << 4), tcp += static_cast<char>(flags);
    put16(tcp, 65535), put16(tcp, 0), put16(tcp, 0);
    tcp.append(payload);
    // Pseudo-header: 127.0.0.1 both ways, protocol 6, TCP length.
    std::string pseudo;
    put32(pseudo, 0x7f000001), put32(pseudo, 0x7f000001), put16(pseudo, 6),
        put16(pseudo, static_cast<std::uint16_t>(tcp.size()));
    const std::uint16_t tcp_sum = checksum(pseudo + tcp);
    tcp[16] = static_cast<char>(tcp_sum >> 8), tcp[17] = static_cast<char>(tcp_sum & 0xff);
    std::string ip;
    ip += static_cast<char>(0x45), ip += '\0';
    put16(ip, static_cast<std::uint16_t>(20 + tcp.size())), put16(ip, ++ip_id_), put16(ip, 0x4000);
    ip += static_cast<char>(64), ip += static_cast<char>(6), put16(ip, 0);
    put32(ip, 0x7f000001), put32(ip, 0x7f000001);
    const std::uint16_t ip_sum = checksum(ip);
    ip[10] = static_cast<char>(ip_sum >> 8), ip[11] = static_cast<char>(ip_sum & 0xff);
    const std::string packet = ip + tcp;
    std::string epb;
    const std::uint64_t us = static_cast<std::uint64_t>(at_ms) * 1000 + (++tick_ % 1000);  // keep order visible
    le32(epb, 0), le32(epb, static_cast<std::uint32_t>(us >> 32)), le32(epb, static_cast<std::uint32_t>(us));
    le32(epb, static_cast<std::uint32_t>(packet.size())), le32(epb, static_cast<std::uint32_t>(packet.size()));
    epb += packet;
    while (epb.size() % 4) epb += '\0';
    block(6, epb);
  }

 private:
  void block(std::uint32_t type, const std::string& body) {
    std::string b;
    le32(b, type);
    le32(b, static_cast<std::uint32_t>(body.size() + 12));
    b += body;
    le32(b, static_cast<std::uint32_t>(body.size() + 12));
    out_.write(b.data(), static_cast<std::streamsize>(b.size()));
  }
  std::ostream& out_;
  std::uint16_t ip_id_ = 0;
  std::uint64_t tick_ = 0;
};

struct Stream {
  std::uint16_t port;
  std::uint32_t cseq = 1000, sseq = 50000;
  bool open = false;
};

}  // namespace

void write_pcapng(const ScenarioResult& result, std::ostream& out) {
  Capture cap(out);
  std::map<std::string, Stream> streams;
  std::uint16_t next_port = 40000;
  for (const auto& w : result.wire) {
    using Dir = WireChunk::Dir;
    const long long t = w.at_ms;
    auto it = streams.find(w.conn);
    if (w.dir == Dir::open) {
      if (it != streams.end() && it->second.open) continue;
      Stream& s = streams[w.conn] = Stream{next_port++};  // a reconnect is a new stream
      s.open = true;
      cap.segment(t, s.port, true, s.cseq, 0, SYN, {});
      cap.segment(t, s.port, false, s.sseq, s.cseq + 1, SYN | ACK, {});
      ++s.cseq, ++s.sseq;
      cap.segment(t, s.port, true, s.cseq, s.sseq, ACK, {});
      continue;
    }
    if (it == streams.end() || !it->second.open) continue;
    Stream& s = it->second;
    if (w.dir == Dir::to_server || w.dir == Dir::to_client) {
      const bool up = w.dir == Dir::to_server;
      for (std::size_t i = 0; i < w.bytes.size(); i += kMaxSegment) {
        const std::string_view part = std::string_view(w.bytes).substr(i, kMaxSegment);
        std::uint32_t& seq = up ? s.cseq : s.sseq;
        cap.segment(t, s.port, up, seq, up ? s.sseq : s.cseq, PSH | ACK, part);
        seq += static_cast<std::uint32_t>(part.size());
      }
      continue;
    }
    // A close: FIN from the side that closed, FIN+ACK back, final ACK.
    const bool client_first = w.dir == Dir::close_by_client;
    std::uint32_t& a = client_first ? s.cseq : s.sseq;
    std::uint32_t& b = client_first ? s.sseq : s.cseq;
    cap.segment(t, s.port, client_first, a, b, FIN | ACK, {});
    ++a;
    cap.segment(t, s.port, !client_first, b, a, FIN | ACK, {});
    ++b;
    cap.segment(t, s.port, client_first, a, b, ACK, {});
    s.open = false;
  }
}

}  // namespace relaycheck::reports
