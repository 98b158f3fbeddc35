// Binary node codec against the spec's byte-exact vectors (PROTOCOL.md §4, §15 "binary_nodes",
// "binary_compressed") plus unit checks of tokens, packed strings and every JID kind.

#include "test_vectors.h"

#include "server/whatsapp/binary_decoder.h"
#include "server/whatsapp/binary_encoder.h"
#include "server/whatsapp/error_codes.h"
#include "server/whatsapp/token_dictionary.h"

#include <gtest/gtest.h>

namespace atende::server::whatsapp::test {
namespace {

std::string hex(const QByteArray &b)
{
    return b.toHex().toStdString();
}

QByteArray encoded(const Node &node)
{
    auto out = BinaryEncoder::encodeFrame(node);
    EXPECT_TRUE(out.ok()) << (out.ok() ? "" : out.error().message.toStdString());
    return out.ok() ? *out : QByteArray();
}

Node decoded(const QByteArray &frame)
{
    auto node = BinaryDecoder::decodeFrame(frame);
    EXPECT_TRUE(node.ok()) << (node.ok() ? "" : node.error().code.toStdString());
    return node.ok() ? *node : Node();
}

TEST(WaBinaryNode, EveryVectorEncodesAndDecodesByteExact)
{
    const OrderedJson *nodes = vector({"binary_nodes"});
    ASSERT_NE(nodes, nullptr);
    ASSERT_EQ(nodes->array.size(), 11u);
    for (const OrderedJson &v : nodes->array) {
        const Node node = nodeFromJson(*v.find(u"node"));
        const QByteArray expected = QByteArray::fromHex(v.find(u"encoded_hex")->string.toLatin1());
        SCOPED_TRACE(node.tag.toStdString() + " " + hex(expected));
        EXPECT_EQ(hex(encoded(node)), hex(expected));
        EXPECT_EQ(decoded(expected), node) << node.describe().toStdString();
    }
}

TEST(WaBinaryNode, SpecWorkedExamples)
{
    // §15: the ping iq and stream:error 515, spelled out in the spec text.
    Node ping(QStringLiteral("iq"),
              {{QStringLiteral("id"), QStringLiteral("1")},
               {QStringLiteral("to"), Jid::serverJid()},
               {QStringLiteral("type"), QStringLiteral("get")},
               {QStringLiteral("xmlns"), QStringLiteral("w:p")}},
              std::vector<Node>{Node(QStringLiteral("ping"))});
    EXPECT_EQ(hex(encoded(ping)), "00f80a19085511fa000304291657f801f80156");
    Node streamError(QStringLiteral("stream:error"), {{QStringLiteral("code"), QStringLiteral("515")}});
    EXPECT_EQ(hex(encoded(streamError)), "00f8039d70ff82515f");
}

TEST(WaBinaryNode, CompressedVectorDecodes)
{
    const QByteArray frame = vectorHex({"binary_compressed", "encoded_hex"});
    const OrderedJson *expected = vector({"binary_compressed", "decodes_to"});
    ASSERT_NE(expected, nullptr);
    const Node node = nodeFromJson(*expected);
    EXPECT_EQ(decoded(frame), node);
    // Same zlib, same default level: our compressed encoding is byte-identical too.
    auto ours = BinaryEncoder::encodeCompressedFrame(node);
    ASSERT_TRUE(ours.ok());
    EXPECT_EQ(hex(*ours), hex(frame));
}

TEST(WaBinaryNode, PackedStrings)
{
    auto attr = [](const char *v) {
        // "iq" and "v" are single-byte tokens: the value starts after 00 f8 03 19 51.
        return encoded(Node(QStringLiteral("iq"), {{QStringLiteral("v"), QString::fromLatin1(v)}})).sliced(5);
    };
    // §4.4 examples (after 00 f8 03 <x> <v>).
    EXPECT_EQ(hex(attr("515")), "ff82515f");
    EXPECT_EQ(hex(attr("-1.5")), "ff02a1b5");
    EXPECT_EQ(hex(attr("3EB0ABCDEF")), "fb053eb0abcdef");
    // Lowercase hex is not packed (it would come back uppercase).
    EXPECT_EQ(hex(attr("3eb0")), "fc0433656230");
    // 127 digits is the packing limit; 128 goes raw.
    EXPECT_EQ(quint8(attr(QByteArray(127, '7').constData())[0]), 0xFF);
    EXPECT_EQ(quint8(attr(QByteArray(128, '7').constData())[0]), 0xFC);
    for (const char *s : {"0", "12", "-", "1.2.3", "0123456789ABCDEF", "F", "ABC", "x-y", "é"}) {
        const Node n(QStringLiteral("x"), {{QStringLiteral("v"), QString::fromUtf8(s)}});
        EXPECT_EQ(decoded(encoded(n)), n) << s;
    }
}

TEST(WaBinaryNode, TokensAndDictionaries)
{
    EXPECT_EQ(TokenDictionary::singleByte(3).value_or(""), "s.whatsapp.net");
    EXPECT_EQ(TokenDictionary::singleByte(0xE6).value_or(""), "device-identity");
    EXPECT_FALSE(TokenDictionary::singleByte(0).has_value());
    EXPECT_FALSE(TokenDictionary::singleByte(236).has_value());
    EXPECT_EQ(TokenDictionary::doubleByte(0, 1).value_or(""), "active");
    EXPECT_EQ(TokenDictionary::doubleByte(1, 238).value_or(""), "pair-device");
    EXPECT_EQ(TokenDictionary::doubleByte(2, 60).value_or(""), "failure");
    EXPECT_FALSE(TokenDictionary::doubleByte(4, 0).has_value());
    const auto retry = TokenDictionary::find("retry");
    ASSERT_TRUE(retry.has_value());
    EXPECT_EQ(retry->dictionary, 1);
    EXPECT_EQ(retry->index, 11);
    const auto iq = TokenDictionary::find("iq");
    ASSERT_TRUE(iq.has_value());
    EXPECT_EQ(iq->dictionary, 0);
    EXPECT_EQ(iq->index, 0x19);
    for (const char *notToken : {"md", "ib", "pair-success", "digest", "remove-companion-device", ""})
        EXPECT_FALSE(TokenDictionary::find(notToken).has_value()) << notToken;
    // Every single-byte token survives encode/decode as one byte.
    for (int i = 1; i < TokenDictionary::kSingleByteCount; ++i) {
        const auto t = *TokenDictionary::singleByte(quint8(i));
        const Node n(QString::fromUtf8(t.data(), qsizetype(t.size())));
        const QByteArray bytes = encoded(n);
        EXPECT_EQ(bytes.size(), 4) << t;
        EXPECT_EQ(decoded(bytes), n);
    }
    for (int d = 0; d < 4; ++d) {
        for (int i = 0; i < 256; ++i) {
            const auto t = *TokenDictionary::doubleByte(d, quint8(i));
            const Node n(QString::fromUtf8(t.data(), qsizetype(t.size())));
            EXPECT_EQ(decoded(encoded(n)), n) << t;
        }
    }
}

TEST(WaBinaryNode, AllJidKinds)
{
    auto jidBytes = [](const Jid &jid) {
        return encoded(Node(QStringLiteral("iq"), {{QStringLiteral("jid"), jid}})).sliced(5);
    };
    auto parsed = [](const char *s) {
        return Jid::parse(QString::fromLatin1(s)).value();
    };
    // §4.5 examples.
    EXPECT_EQ(hex(jidBytes(parsed("15551234567@s.whatsapp.net"))), "faff8615551234567f03");
    EXPECT_EQ(hex(jidBytes(parsed("1234567890:3@s.whatsapp.net"))), "f70003ff051234567890");
    EXPECT_EQ(hex(jidBytes(parsed("98765432109876:12@lid"))), "f7010cff0798765432109876");
    EXPECT_EQ(hex(jidBytes(Jid::serverJid())), "fa0003");
    // LID without device, hosted and hosted LID, messenger, interop, agents, groups.
    EXPECT_EQ(hex(jidBytes(parsed("98765432109876@lid"))), "faff0798765432109876"
                                                           "76");
    EXPECT_EQ(hex(jidBytes(parsed("15551234567@hosted"))), "f78000ff8615551234567f");
    EXPECT_EQ(hex(jidBytes(parsed("98765432109876:2@hosted.lid"))), "f78102ff0798765432109876");
    const std::vector<const char *> forms = {"15551234567@s.whatsapp.net",
                                             "15551234567:5@s.whatsapp.net",
                                             "15551234567.4:2@s.whatsapp.net",
                                             "98765432109876@lid",
                                             "98765432109876:7@lid",
                                             "15551234567@hosted",
                                             "1@hosted.lid",
                                             "120363021234567890@g.us",
                                             "status@broadcast",
                                             "100001234567890:3@msgr",
                                             "7-abc123:4@interop",
                                             "@s.whatsapp.net",
                                             "abc@newsletter",
                                             "123@c.us"};
    for (const char *form : forms) {
        const Jid jid = parsed(form);
        EXPECT_EQ(jid.toString(), QString::fromLatin1(form));
        const Node n(QStringLiteral("x"), {{QStringLiteral("jid"), jid}});
        EXPECT_EQ(decoded(encoded(n)), n) << form;
    }
    EXPECT_EQ(quint8(jidBytes(parsed("100001234567890:3@msgr"))[0]), 0xF6);
    EXPECT_EQ(hex(jidBytes(parsed("7-abc123:4@interop")).sliced(1, 1)), "fc");
    EXPECT_EQ(quint8(jidBytes(parsed("7-abc123:4@interop"))[0]), 0xF5);
    // An AD_JID with an unknown domain byte is kept as a raw agent on the PN server (§4.5).
    const Node odd = decoded(QByteArray::fromHex("00f8031a0cf70502ff8615551234567f"));
    ASSERT_TRUE(odd.attributeJid(u"jid").has_value());
    EXPECT_EQ(odd.attributeJid(u"jid")->agent, 5);
    EXPECT_EQ(hex(encoded(odd)), "00f8031a0cf70502ff8615551234567f");
    // Signal addresses (§4.5).
    EXPECT_EQ(parsed("98765432109876:5@lid").signalAddressName(), QStringLiteral("98765432109876_1"));
    EXPECT_EQ(parsed("15551234567:5@s.whatsapp.net").signalAddressName(), QStringLiteral("15551234567"));
    for (const char *bad : {"no-at-sign", "user@", "1:x@s.whatsapp.net", "1:70000@lid", "x:1@interop"})
        EXPECT_FALSE(Jid::parse(QString::fromLatin1(bad)).has_value()) << bad;
}

TEST(WaBinaryNode, BinaryLengthsAndLists)
{
    for (const qsizetype size :
         {qsizetype(0), qsizetype(255), qsizetype(256), qsizetype((1 << 20) - 1), qsizetype(1 << 20)}) {
        const Node n(QStringLiteral("iq"), {}, QByteArray(size, 'a'));
        const QByteArray bytes = encoded(n);
        const quint8 tag = quint8(bytes[4]);
        EXPECT_EQ(tag, size < 256 ? 0xFC : size < (1 << 20) ? 0xFD : 0xFE) << size;
        EXPECT_EQ(decoded(bytes), n);
    }
    std::vector<Node> many(300, Node(QStringLiteral("item")));
    const Node list(QStringLiteral("list"), {}, many);
    const QByteArray bytes = encoded(list);
    EXPECT_EQ(hex(bytes.sliced(0, 7)), "00f802"
                                       "71"
                                       "f9012c");
    EXPECT_EQ(decoded(bytes), list);
    // Empty attribute values are never sent (§4.4).
    const Node withEmpty(QStringLiteral("x"),
                         {{QStringLiteral("a"), QString()}, {QStringLiteral("id"), QStringLiteral("1")}});
    EXPECT_EQ(hex(encoded(withEmpty)), "00f803fc01780855");
}

TEST(WaBinaryNode, EncoderRefusesWhatTheFormatCannotExpress)
{
    EXPECT_EQ(BinaryEncoder::encodeNode(Node()).error().code, QLatin1String(errc::kNodeNotEncodable));
    Jid bigDevice = Jid::make(QStringLiteral("1"), QStringLiteral("s.whatsapp.net"), 300);
    EXPECT_FALSE(BinaryEncoder::encodeNode(Node(QStringLiteral("x"), {{QStringLiteral("jid"), bigDevice}})).ok());
    EXPECT_FALSE(BinaryEncoder::encodeNode(Node(QStringLiteral("x"), {{QStringLiteral("jid"), Jid()}})).ok());
    const Node tooMany(QStringLiteral("x"), {}, std::vector<Node>(70000, Node(QStringLiteral("y"))));
    EXPECT_FALSE(BinaryEncoder::encodeNode(tooMany).ok());
}

} // namespace
} // namespace atende::server::whatsapp::test
