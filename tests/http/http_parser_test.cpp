// HttpParser without sockets: grammar, limits, incremental and pipelined input, hostile bytes.

#include "server/api/http_parser.h"

#include <gtest/gtest.h>
#include <random>

using atende::server::api::HttpParser;
using atende::server::api::HttpParserLimits;
using atende::server::api::HttpRequest;
using Status = HttpParser::Status;

namespace {

HttpParserLimits smallLimits()
{
    HttpParserLimits limits;
    limits.maxHeaderBytes = 1024;
    limits.maxBodyBytes = 100;
    limits.maxHeaderCount = 20;
    return limits;
}

// Feeds everything at once and returns the status of next().
Status parseAll(HttpParser &parser, QByteArrayView bytes)
{
    parser.feed(bytes);
    return parser.next();
}

struct Rejected {
    const char *name;
    QByteArray input;
    int status;
    const char *reason;
};

// A literal with embedded NULs, whole.
template <std::size_t N> QByteArray withNul(const char (&s)[N])
{
    return QByteArray(s, N - 1);
}

void PrintTo(const Rejected &r, std::ostream *os)
{
    *os << r.name;
}

} // namespace

TEST(HttpParser, ParsesSimpleGet)
{
    HttpParser parser;
    ASSERT_EQ(parseAll(parser, "GET /api/v1/ping?x=1&y=a%20b HTTP/1.1\r\nHost: example\r\nX-Thing:  v a l  \r\n\r\n"),
              Status::Complete);
    const HttpRequest r = parser.takeRequest();
    EXPECT_EQ(r.method, "GET");
    EXPECT_EQ(r.target, "/api/v1/ping?x=1&y=a%20b");
    EXPECT_EQ(r.path, "/api/v1/ping");
    EXPECT_EQ(r.query.queryItemValue(QStringLiteral("x")), QStringLiteral("1"));
    EXPECT_EQ(r.query.queryItemValue(QStringLiteral("y"), QUrl::FullyDecoded), QStringLiteral("a b"));
    EXPECT_EQ(r.versionMinor, 1);
    ASSERT_EQ(r.headers.size(), 2);
    EXPECT_EQ(r.headers[0].first, "host");
    EXPECT_EQ(r.header("x-thing"), "v a l"); // OWS trimmed, inner spaces kept
    EXPECT_TRUE(r.body.isEmpty());
    EXPECT_TRUE(parser.isIdle());
}

TEST(HttpParser, DecodesPercentEncodedPath)
{
    HttpParser parser;
    ASSERT_EQ(parseAll(parser, "GET /a%2Fb/%C3%A9 HTTP/1.1\r\nHost: h\r\n\r\n"), Status::Complete);
    EXPECT_EQ(parser.takeRequest().path, QByteArray("/a/b/\xc3\xa9"));
}

TEST(HttpParser, AcceptsAbsoluteAndAsteriskForms)
{
    HttpParser parser;
    ASSERT_EQ(parseAll(parser, "GET http://example.com:8080/x/y?q=1 HTTP/1.1\r\nHost: example.com\r\n\r\n"),
              Status::Complete);
    HttpRequest r = parser.takeRequest();
    EXPECT_EQ(r.path, "/x/y");
    EXPECT_EQ(r.query.queryItemValue(QStringLiteral("q")), QStringLiteral("1"));

    ASSERT_EQ(parseAll(parser, "GET HTTPS://example.com HTTP/1.1\r\nHost: example.com\r\n\r\n"), Status::Complete);
    EXPECT_EQ(parser.takeRequest().path, "/");

    ASSERT_EQ(parseAll(parser, "OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n"), Status::Complete);
    EXPECT_EQ(parser.takeRequest().path, "*");
}

TEST(HttpParser, ParsesBodyByContentLength)
{
    HttpParser parser;
    ASSERT_EQ(parseAll(parser, "POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello"), Status::Complete);
    const HttpRequest r = parser.takeRequest();
    EXPECT_EQ(r.method, "POST");
    EXPECT_EQ(r.body, "hello");
    EXPECT_TRUE(parser.isIdle());
}

TEST(HttpParser, SplitAcrossReadsByteByByte)
{
    const QByteArray input = "POST /split HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\n0123456789";
    HttpParser parser;
    for (qsizetype i = 0; i < input.size(); ++i) {
        parser.feed(QByteArrayView(input).sliced(i, 1));
        const Status s = parser.next();
        if (i + 1 < input.size()) {
            ASSERT_EQ(s, Status::NeedMore) << "at byte " << i;
            // The head is recognised as soon as its blank line arrives, before the body.
            if (i + 1 == input.indexOf("0123")) {
                EXPECT_TRUE(parser.awaitingBody());
            }
        } else {
            ASSERT_EQ(s, Status::Complete);
        }
    }
    const HttpRequest r = parser.takeRequest();
    EXPECT_EQ(r.path, "/split");
    EXPECT_EQ(r.body, "0123456789");
}

TEST(HttpParser, SplitInsideCrlf)
{
    HttpParser parser;
    parser.feed("GET / HTTP/1.1\r");
    EXPECT_EQ(parser.next(), Status::NeedMore);
    parser.feed("\nHost: h\r\n\r");
    EXPECT_EQ(parser.next(), Status::NeedMore);
    parser.feed("\n");
    EXPECT_EQ(parser.next(), Status::Complete);
}

TEST(HttpParser, PipelinedRequestsComeOutInOrder)
{
    HttpParser parser;
    parser.feed("POST /one HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc"
                "GET /two HTTP/1.1\r\nHost: h\r\n\r\n"
                "POST /three HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\n\r\nwx");
    ASSERT_EQ(parser.next(), Status::Complete);
    HttpRequest r = parser.takeRequest();
    EXPECT_EQ(r.path, "/one");
    EXPECT_EQ(r.body, "abc");
    ASSERT_EQ(parser.next(), Status::Complete);
    EXPECT_EQ(parser.takeRequest().path, "/two");
    EXPECT_EQ(parser.next(), Status::NeedMore); // third body incomplete
    EXPECT_FALSE(parser.isIdle());
    parser.feed("yz");
    ASSERT_EQ(parser.next(), Status::Complete);
    r = parser.takeRequest();
    EXPECT_EQ(r.path, "/three");
    EXPECT_EQ(r.body, "wxyz");
    EXPECT_TRUE(parser.isIdle());
    EXPECT_EQ(parser.next(), Status::NeedMore);
}

TEST(HttpParser, LongPipelineInOneFeed)
{
    QByteArray input;
    for (int i = 0; i < 3000; ++i)
        input += "GET /r" + QByteArray::number(i) + " HTTP/1.1\r\nHost: h\r\n\r\n";
    HttpParser parser;
    parser.feed(input.first(input.size() / 2));
    int seen = 0;
    bool fedRest = false;
    for (;;) {
        const Status s = parser.next();
        if (s == Status::NeedMore && !fedRest) {
            parser.feed(QByteArrayView(input).sliced(input.size() / 2));
            fedRest = true;
            continue;
        }
        if (s != Status::Complete)
            break;
        ASSERT_EQ(parser.takeRequest().path, "/r" + QByteArray::number(seen));
        ++seen;
        ASSERT_LE(parser.bufferedBytes(), input.size());
    }
    EXPECT_EQ(seen, 3000);
    EXPECT_TRUE(parser.isIdle());
}

TEST(HttpParser, CompleteIsRepeatedUntilTaken)
{
    HttpParser parser;
    ASSERT_EQ(parseAll(parser, "GET / HTTP/1.1\r\nHost: h\r\n\r\n"), Status::Complete);
    EXPECT_EQ(parser.next(), Status::Complete);
    EXPECT_EQ(parser.takeRequest().path, "/");
    EXPECT_EQ(parser.takeRequest().method, ""); // nothing more to take
}

TEST(HttpParser, IgnoresEmptyLinesBeforeRequestLine)
{
    HttpParser parser;
    ASSERT_EQ(parseAll(parser, "\r\n\r\nGET /x HTTP/1.1\r\nHost: h\r\n\r\n"), Status::Complete);
    EXPECT_EQ(parser.takeRequest().path, "/x");
}

TEST(HttpParser, Http10NeedsNoHost)
{
    HttpParser parser;
    ASSERT_EQ(parseAll(parser, "GET / HTTP/1.0\r\n\r\n"), Status::Complete);
    EXPECT_EQ(parser.takeRequest().versionMinor, 0);
}

TEST(HttpParser, ReportsExpectContinueOnlyWithBody)
{
    HttpParser parser;
    EXPECT_EQ(parseAll(parser, "PUT /x HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n"),
              Status::NeedMore);
    EXPECT_TRUE(parser.awaitingBody());
    EXPECT_TRUE(parser.expectsContinue());
    parser.feed("data");
    ASSERT_EQ(parser.next(), Status::Complete);
    parser.takeRequest();
    EXPECT_FALSE(parser.expectsContinue());

    EXPECT_EQ(parseAll(parser, "GET /x HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\n\r\n"), Status::Complete);
    EXPECT_FALSE(parser.expectsContinue());
}

TEST(HttpParser, AcceptsRepeatedEqualContentLength)
{
    HttpParser parser;
    ASSERT_EQ(parseAll(parser, "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 2, 2\r\nContent-Length: 2\r\n\r\nok"),
              Status::Complete);
    EXPECT_EQ(parser.takeRequest().body, "ok");
}

class HttpParserRejects : public ::testing::TestWithParam<Rejected> {};

TEST_P(HttpParserRejects, WithStatusAndReason)
{
    const Rejected &c = GetParam();
    HttpParser parser(smallLimits());
    ASSERT_EQ(parseAll(parser, c.input), Status::Error);
    EXPECT_EQ(parser.error().status, c.status);
    EXPECT_EQ(parser.error().reason, QByteArray(c.reason));
    EXPECT_NE(parser.error().code, nullptr);
    EXPECT_FALSE(parser.error().message.isEmpty());
    // Sticky: nothing after an error is parsed, not even a valid request.
    parser.feed("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
    EXPECT_EQ(parser.next(), Status::Error);
    EXPECT_EQ(parser.bufferedBytes(), 0);
}

const QByteArray kHugeHeader = "GET / HTTP/1.1\r\nHost: h\r\nX-Big: " + QByteArray(2000, 'a') + "\r\n\r\n";
const QByteArray kHugeUnterminated = "GET / HTTP/1.1\r\nHost: h\r\nX-Big: " + QByteArray(2000, 'a');
const QByteArray kHugeTarget = "GET /" + QByteArray(1100, 'a');

QByteArray manyHeaders()
{
    QByteArray r = "GET / HTTP/1.1\r\nHost: h\r\n";
    for (int i = 0; i < 25; ++i)
        r += "X-" + QByteArray::number(i) + ": v\r\n";
    return r + "\r\n";
}

INSTANTIATE_TEST_SUITE_P(
    Grammar, HttpParserRejects,
    ::testing::Values(
        Rejected{"missing_version", "GET /\r\nHost: h\r\n\r\n", 400, "bad_request_line"},
        Rejected{"double_space", "GET  / HTTP/1.1\r\nHost: h\r\n\r\n", 400, "bad_request_line"},
        Rejected{"extra_token", "GET / HTTP/1.1 x\r\nHost: h\r\n\r\n", 400, "bad_request_line"},
        Rejected{"space_in_target", "GET /a b HTTP/1.1\r\nHost: h\r\n\r\n", 400, "bad_request_line"},
        Rejected{"tab_separator", "GET\t/ HTTP/1.1\r\nHost: h\r\n\r\n", 400, "bad_request_line"},
        Rejected{"empty_line_only_then_garbage", "\r\n\x16\x03\x01\x02\r\n\r\n", 400, "bad_request_line"},
        Rejected{"bad_method_char", "G@T / HTTP/1.1\r\nHost: h\r\n\r\n", 400, "bad_method"},
        Rejected{"lowercase_version", "GET / http/1.1\r\nHost: h\r\n\r\n", 400, "bad_version"},
        Rejected{"version_suffix", "GET / HTTP/1.10\r\nHost: h\r\n\r\n", 400, "bad_version"},
        Rejected{"http2_text", "GET / HTTP/2.0\r\nHost: h\r\n\r\n", 505, "unsupported_version"},
        Rejected{"unknown_method", "BREW / HTTP/1.1\r\nHost: h\r\n\r\n", 501, "method_not_implemented"},
        Rejected{"connect", "CONNECT h:443 HTTP/1.1\r\nHost: h\r\n\r\n", 501, "method_not_implemented"},
        Rejected{"lowercase_method", "get / HTTP/1.1\r\nHost: h\r\n\r\n", 501, "method_not_implemented"},
        Rejected{"control_in_target", "GET /a\x01 HTTP/1.1\r\nHost: h\r\n\r\n", 400, "bad_target"},
        Rejected{"high_byte_in_target", "GET /\xc3\xa9 HTTP/1.1\r\nHost: h\r\n\r\n", 400, "bad_target"},
        Rejected{"fragment", "GET /a#b HTTP/1.1\r\nHost: h\r\n\r\n", 400, "bad_target"},
        Rejected{"relative_target", "GET a/b HTTP/1.1\r\nHost: h\r\n\r\n", 400, "bad_target"},
        Rejected{"ftp_target", "GET ftp://h/x HTTP/1.1\r\nHost: h\r\n\r\n", 400, "bad_target"},
        Rejected{"empty_authority", "GET http:///x HTTP/1.1\r\nHost: h\r\n\r\n", 400, "bad_target"},
        Rejected{"asterisk_get", "GET * HTTP/1.1\r\nHost: h\r\n\r\n", 400, "bad_target"},
        Rejected{"bad_percent", "GET /%zz HTTP/1.1\r\nHost: h\r\n\r\n", 400, "bad_target"},
        Rejected{"short_percent", "GET /a% HTTP/1.1\r\nHost: h\r\n\r\n", 400, "bad_target"},
        Rejected{"encoded_nul", "GET /a%00b HTTP/1.1\r\nHost: h\r\n\r\n", 400, "bad_target"},
        Rejected{"bare_lf", "GET / HTTP/1.1\nHost: h\n\n", 400, "bare_lf"},
        Rejected{"bare_lf_in_headers", "GET / HTTP/1.1\r\nHost: h\n\r\n", 400, "bare_lf"},
        Rejected{"bare_cr_in_value", "GET / HTTP/1.1\r\nHost: h\rX: y\r\n\r\n", 400, "bad_header"},
        Rejected{"no_colon", "GET / HTTP/1.1\r\nHost h\r\n\r\n", 400, "bad_header"},
        Rejected{"empty_name", "GET / HTTP/1.1\r\n: h\r\n\r\n", 400, "bad_header"},
        Rejected{"space_before_colon", "GET / HTTP/1.1\r\nHost : h\r\n\r\n", 400, "bad_header"},
        Rejected{"obs_fold", "GET / HTTP/1.1\r\nHost: h\r\nX: a\r\n b\r\n\r\n", 400, "bad_header"},
        Rejected{"nul_in_value", withNul("GET / HTTP/1.1\r\nHost: h\r\nX: a\0b\r\n\r\n"), 400, "bad_header"},
        Rejected{"del_in_value", "GET / HTTP/1.1\r\nHost: h\r\nX: a\x7f\r\n\r\n", 400, "bad_header"},
        Rejected{"missing_host", "GET / HTTP/1.1\r\nX: y\r\n\r\n", 400, "bad_host"},
        Rejected{"two_hosts", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400, "bad_host"},
        Rejected{"negative_length", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n", 400,
                 "bad_content_length"},
        Rejected{"plus_length", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: +5\r\n\r\n", 400, "bad_content_length"},
        Rejected{"hex_length", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 0x10\r\n\r\n", 400, "bad_content_length"},
        Rejected{"empty_length", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: \r\n\r\n", 400, "bad_content_length"},
        Rejected{"overflow_length", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 99999999999999999999\r\n\r\n", 400,
                 "bad_content_length"},
        Rejected{"conflicting_lengths", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
                 400, "bad_content_length"},
        Rejected{"conflicting_list", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1, 2\r\n\r\n", 400,
                 "bad_content_length"},
        Rejected{"chunked", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n", 411, "length_required"},
        Rejected{"chunked_with_length",
                 "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nTransfer-Encoding: gzip, Chunked\r\n\r\nabc", 411,
                 "length_required"},
        Rejected{"gzip_coding", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\n\r\n", 501,
                 "unsupported_transfer_encoding"},
        Rejected{"oversized_length", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 101\r\n\r\n", 413,
                 "body_too_large"},
        Rejected{"huge_length", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 999999999999\r\n\r\n", 413,
                 "body_too_large"},
        Rejected{"huge_header", kHugeHeader, 431, "headers_too_large"},
        Rejected{"huge_header_unterminated", kHugeUnterminated, 431, "headers_too_large"},
        Rejected{"huge_request_line", kHugeTarget, 431, "headers_too_large"},
        Rejected{"endless_crlf", QByteArray(2000, '\n').replace("\n", "\r\n"), 431, "headers_too_large"},
        Rejected{"too_many_headers", manyHeaders(), 431, "too_many_headers"}),
    [](const ::testing::TestParamInfo<Rejected> &info) { return std::string(info.param.name); });

TEST(HttpParser, OversizedContentLengthFailsBeforeTheBodyArrives)
{
    HttpParser parser(smallLimits());
    // Only the head: the 413 must not wait for 5 MB that we will never accept.
    ASSERT_EQ(parseAll(parser, "PUT /up HTTP/1.1\r\nHost: h\r\nContent-Length: 5000000\r\n\r\n"), Status::Error);
    EXPECT_EQ(parser.error().status, 413);
    EXPECT_STREQ(parser.error().code, "payload_too_large");
}

TEST(HttpParser, HeaderLimitIsExact)
{
    HttpParserLimits limits = smallLimits();
    const QByteArray prefix = "GET / HTTP/1.1\r\nHost: h\r\nX: ";
    // prefix + value + "\r\n\r\n" == maxHeaderBytes exactly: accepted; one byte more: 431.
    const QByteArray fits = prefix + QByteArray(limits.maxHeaderBytes - prefix.size() - 4, 'v') + "\r\n\r\n";
    ASSERT_EQ(fits.size(), limits.maxHeaderBytes);
    HttpParser ok(limits);
    EXPECT_EQ(parseAll(ok, fits), Status::Complete);

    const QByteArray over = prefix + QByteArray(limits.maxHeaderBytes - prefix.size() - 3, 'v') + "\r\n\r\n";
    HttpParser tooBig(limits);
    ASSERT_EQ(parseAll(tooBig, over), Status::Error);
    EXPECT_EQ(tooBig.error().status, 431);
}

TEST(HttpParser, HeaderLimitHoldsWhenTrickled)
{
    HttpParser parser(smallLimits());
    parser.feed("GET / HTTP/1.1\r\nHost: h\r\nX: ");
    Status s = parser.next();
    for (int i = 0; i < 5000 && s == Status::NeedMore; ++i) {
        parser.feed("a");
        s = parser.next();
        ASSERT_LE(parser.bufferedBytes(), 1025);
    }
    ASSERT_EQ(s, Status::Error);
    EXPECT_EQ(parser.error().status, 431);
}

TEST(HttpParser, KeepAliveRules)
{
    auto request = [](int minor, const char *connection) {
        HttpRequest r;
        r.versionMinor = minor;
        if (connection)
            r.headers.append(qMakePair(QByteArray("connection"), QByteArray(connection)));
        return r;
    };
    EXPECT_TRUE(HttpParser::wantsKeepAlive(request(1, nullptr)));
    EXPECT_FALSE(HttpParser::wantsKeepAlive(request(1, "close")));
    EXPECT_FALSE(HttpParser::wantsKeepAlive(request(1, "Upgrade, Close")));
    EXPECT_FALSE(HttpParser::wantsKeepAlive(request(0, nullptr)));
    EXPECT_TRUE(HttpParser::wantsKeepAlive(request(0, "Keep-Alive")));
}

TEST(HttpParser, RecognisesWebSocketUpgrade)
{
    HttpParser parser;
    ASSERT_EQ(parseAll(parser, "GET /ws HTTP/1.1\r\nHost: h\r\nConnection: Upgrade\r\nUpgrade: WebSocket\r\n\r\n"),
              Status::Complete);
    EXPECT_TRUE(HttpParser::isWebSocketUpgrade(parser.takeRequest()));
    ASSERT_EQ(parseAll(parser, "POST /ws HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\n\r\n"), Status::Complete);
    EXPECT_FALSE(HttpParser::isWebSocketUpgrade(parser.takeRequest()));
    ASSERT_EQ(parseAll(parser, "GET /ws HTTP/1.1\r\nHost: h\r\nUpgrade: h2c\r\n\r\n"), Status::Complete);
    EXPECT_FALSE(HttpParser::isWebSocketUpgrade(parser.takeRequest()));
}

TEST(HttpParser, HasToken)
{
    EXPECT_TRUE(HttpParser::hasToken("keep-alive, Upgrade", "upgrade"));
    EXPECT_TRUE(HttpParser::hasToken(" close ", "close"));
    EXPECT_FALSE(HttpParser::hasToken("closed", "close"));
    EXPECT_FALSE(HttpParser::hasToken("", "close"));
    EXPECT_FALSE(HttpParser::hasToken(",,", "close"));
}

// A small in-test fuzz smoke run (the real fuzz target comes later): random and mutated input, random
// chunking. The parser must always answer, never hold more than its limits allow, and stay sticky on errors.
TEST(HttpParser, SurvivesHostileBytes)
{
    const QByteArray valid = "POST /a?b=c HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\nConnection: close\r\n\r\nbody"
                             "GET / HTTP/1.1\r\nHost: h\r\n\r\n";
    std::mt19937 rng(20261128);
    const HttpParserLimits limits = smallLimits();
    int completes = 0;
    int errors = 0;
    for (int round = 0; round < 3000; ++round) {
        QByteArray input;
        if (round % 3 == 0) {
            input.resize(std::uniform_int_distribution<int>(0, 3000)(rng));
            for (char &c : input)
                c = char(std::uniform_int_distribution<int>(0, 255)(rng));
        } else {
            input = valid;
            const int mutations = std::uniform_int_distribution<int>(1, 6)(rng);
            for (int m = 0; m < mutations; ++m) {
                const int at = std::uniform_int_distribution<int>(0, int(input.size()) - 1)(rng);
                switch (rng() % 3) {
                case 0: input[at] = char(rng() & 0xff); break;
                case 1: input.insert(at, char(rng() & 0xff)); break;
                default: input.remove(at, 1); break;
                }
            }
        }
        HttpParser parser(limits);
        qsizetype pos = 0;
        bool failed = false;
        while (pos < input.size() && !failed) {
            const qsizetype n = std::min<qsizetype>(input.size() - pos, 1 + rng() % 64);
            parser.feed(QByteArrayView(input).sliced(pos, n));
            pos += n;
            for (;;) {
                const Status s = parser.next();
                if (s == Status::Complete) {
                    const HttpRequest r = parser.takeRequest();
                    ASSERT_FALSE(r.method.isEmpty());
                    ASSERT_LE(r.body.size(), limits.maxBodyBytes);
                    ++completes;
                    continue;
                }
                if (s == Status::Error) {
                    ASSERT_GE(parser.error().status, 400);
                    ASSERT_NE(parser.error().code, nullptr);
                    failed = true;
                    ++errors;
                } else if (!parser.awaitingBody()) {
                    ASSERT_LE(parser.bufferedBytes(), limits.maxHeaderBytes);
                }
                break;
            }
        }
    }
    // Both outcomes must actually have been exercised.
    EXPECT_GT(completes, 100);
    EXPECT_GT(errors, 100);
}
