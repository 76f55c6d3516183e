// parse_host_port / format_host_port: "HOST:PORT" and "[V6]:PORT".
#include "proto/common/address.h"

#include <gtest/gtest.h>

namespace relaycheck::proto {
namespace {

struct Good {
  const char* text;
  const char* host;
  std::uint16_t port;
};

void PrintTo(const Good& g, std::ostream* os) { *os << g.text; }

class ParseHostPortGood : public ::testing::TestWithParam<Good> {};

TEST_P(ParseHostPortGood, Parses) {
  const auto& p = GetParam();
  auto hp = parse_host_port(p.text);
  ASSERT_TRUE(hp.has_value()) << p.text;
  EXPECT_EQ(hp->host, p.host);
  EXPECT_EQ(hp->port, p.port);
}

INSTANTIATE_TEST_SUITE_P(Forms, ParseHostPortGood,
                         ::testing::Values(Good{"127.0.0.1:7777", "127.0.0.1", 7777},
                                           Good{"localhost:1337", "localhost", 1337}, Good{"[::1]:80", "::1", 80},
                                           Good{"[fe80::1%eth0]:8000", "fe80::1%eth0", 8000},
                                           Good{"0.0.0.0:0", "0.0.0.0", 0},
                                           Good{"example.org:65535", "example.org", 65535}, Good{"h:00080", "h", 80}));

class ParseHostPortBad : public ::testing::TestWithParam<const char*> {};

TEST_P(ParseHostPortBad, Rejects) {
  auto hp = parse_host_port(GetParam());
  EXPECT_FALSE(hp.has_value()) << "'" << GetParam() << "' parsed as " << (hp ? hp->host : "") << " port "
                               << (hp ? hp->port : 0);
}

INSTANTIATE_TEST_SUITE_P(Inputs, ParseHostPortBad,
                         ::testing::Values("", "localhost", "localhost:", ":80", "host:65536", "host:99999999999",
                                           "host:-1", "host:+1", "host:8o", "host:80 ", "host: 80", "::1:80", "::1",
                                           "[::1]", "[::1]:", "[::1]80", "[::1", "[]:80", "[::1]:x", "[::1]:70000"));

TEST(FormatHostPort, BracketsIpv6Only) {
  EXPECT_EQ(format_host_port({"127.0.0.1", 7777}), "127.0.0.1:7777");
  EXPECT_EQ(format_host_port({"::1", 80}), "[::1]:80");
  EXPECT_EQ(format_host_port({"localhost", 0}), "localhost:0");
}

TEST(FormatHostPort, RoundTripsThroughParse) {
  for (const HostPort& hp : {HostPort{"::1", 80}, HostPort{"10.1.2.3", 1}, HostPort{"name", 65535}}) {
    auto back = parse_host_port(format_host_port(hp));
    ASSERT_TRUE(back);
    EXPECT_EQ(back->host, hp.host);
    EXPECT_EQ(back->port, hp.port);
  }
}

}  // namespace
}  // namespace relaycheck::proto
