// Receipts and acks (PROTOCOL.md §6.4, §6.5, §8.3, §8.4): builders, the client ack of §6.4, strict parsers of
// incoming receipts and server acks, with malformed input reported by code.
#include "server/whatsapp/binary_decoder.h"
#include "server/whatsapp/binary_encoder.h"
#include "server/whatsapp/error_codes.h"
#include "server/whatsapp/receipt_stanza.h"

#include <gtest/gtest.h>

namespace atende::server::whatsapp {
namespace {

Jid jid(const char *text)
{
    return *Jid::parse(QString::fromLatin1(text));
}

Node wire(const Node &node)
{
    return BinaryDecoder::decodeNode(BinaryEncoder::encodeNode(node).value()).value();
}

PreKeyBundle sampleKeys()
{
    PreKeyBundle b;
    b.identityKey = QByteArray(32, 'i');
    b.signedPreKeyId = 0x010203;
    b.signedPreKey = QByteArray(32, 's');
    b.signedPreKeySignature = QByteArray(64, 'g');
    b.preKeyId = 77;
    b.preKey = QByteArray(32, 'p');
    return b;
}

TEST(ReceiptStanza, DeliveryAndReadReceipts)
{
    OutgoingReceipt delivery;
    delivery.id = QStringLiteral("3EB0BB");
    delivery.to = jid("15550000002:3@s.whatsapp.net");
    Node d = wire(buildReceipt(delivery).value());
    EXPECT_EQ(d.tag, QStringLiteral("receipt"));
    EXPECT_EQ(d.attributeString(u"to"), QStringLiteral("15550000002:3@s.whatsapp.net"));
    EXPECT_EQ(d.attribute(u"type"), nullptr);
    EXPECT_EQ(d.attribute(u"t"), nullptr);

    OutgoingReceipt read = delivery;
    read.to = jid("15550000002@s.whatsapp.net");
    read.type = QStringLiteral("read");
    read.timestamp = 1700000120;
    read.moreIds = {QStringLiteral("3EB0CC"), QStringLiteral("3EB0DD")};
    Node r = wire(buildReceipt(read).value());
    EXPECT_EQ(r.attributeString(u"type"), QStringLiteral("read"));
    EXPECT_EQ(r.attributeString(u"t"), QStringLiteral("1700000120"));
    ASSERT_TRUE(r.child(u"list"));
    ASSERT_EQ(r.child(u"list")->children().size(), 2u);
    EXPECT_EQ(r.child(u"list")->children()[1].attributeString(u"id"), QStringLiteral("3EB0DD"));

    OutgoingReceipt bad = delivery;
    bad.id.clear();
    EXPECT_EQ(buildReceipt(bad).error().code, QLatin1String(errc::kStanzaInvalidInput));
    bad = delivery;
    bad.type = QStringLiteral("retry");
    EXPECT_EQ(buildReceipt(bad).error().code, QLatin1String(errc::kStanzaInvalidInput));
}

TEST(ReceiptStanza, RetryReceiptRoundTrip)
{
    RetryReceipt retry;
    retry.base.id = QStringLiteral("3EB0AA");
    retry.base.to = jid("15550000001:5@s.whatsapp.net");
    retry.count = 2;
    retry.messageTimestamp = 1700000100;
    retry.registrationId = 0x01020304;
    retry.keys = sampleKeys();
    retry.deviceIdentity = QByteArray("account");
    Node built = wire(buildRetryReceipt(retry).value());
    EXPECT_EQ(built.attributeString(u"type"), QStringLiteral("retry"));
    const Node *r = built.child(u"retry");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->attributeString(u"count"), QStringLiteral("2"));
    EXPECT_EQ(r->attributeString(u"id"), QStringLiteral("3EB0AA"));
    EXPECT_EQ(r->attributeString(u"v"), QStringLiteral("1"));
    EXPECT_EQ(built.child(u"registration")->bytes(), QByteArray("\x01\x02\x03\x04", 4));

    // What the sender's device gets: the relay sets from = the device that asked.
    built.attributes.removeIf([](const Attribute &a) { return a.key == u"to"; });
    built.setAttribute(QStringLiteral("from"), jid("15550000002:3@s.whatsapp.net"));
    built.setAttribute(QStringLiteral("t"), QStringLiteral("1700000101"));
    auto parsed = parseReceiptStanza(wire(built));
    ASSERT_TRUE(parsed.ok()) << parsed.error().message.toStdString();
    ASSERT_TRUE(parsed->retry);
    EXPECT_EQ(parsed->retry->count, 2);
    EXPECT_EQ(parsed->retry->timestamp, 1700000100);
    EXPECT_EQ(parsed->retry->registrationId, 0x01020304u);
    ASSERT_TRUE(parsed->retry->keys);
    EXPECT_EQ(parsed->retry->keys->registrationId, 0x01020304u);
    EXPECT_EQ(parsed->retry->keys->signedPreKeyId, 0x010203u);
    EXPECT_EQ(parsed->retry->keys->preKeyId, 77u);
    EXPECT_EQ(parsed->retry->keys->device.toString(), QStringLiteral("15550000002:3@s.whatsapp.net"));
    EXPECT_EQ(parsed->retry->deviceIdentity, QByteArray("account"));

    RetryReceipt noIdentity = retry;
    noIdentity.deviceIdentity.clear();
    EXPECT_EQ(buildRetryReceipt(noIdentity).error().code, QLatin1String(errc::kStanzaInvalidInput));
    RetryReceipt badCount = retry;
    badCount.count = 0;
    EXPECT_EQ(buildRetryReceipt(badCount).error().code, QLatin1String(errc::kStanzaInvalidInput));
}

TEST(ReceiptStanza, ParsesDeliveryWithListAndRejectsMalformed)
{
    const Node ok =
        wire(Node(QStringLiteral("receipt"),
                  {{QStringLiteral("from"), jid("15550000002:3@s.whatsapp.net")},
                   {QStringLiteral("id"), QStringLiteral("A")},
                   {QStringLiteral("t"), QStringLiteral("1700000101")},
                   {QStringLiteral("type"), QStringLiteral("read")}},
                  std::vector<Node>{Node(QStringLiteral("list"), {},
                                         std::vector<Node>{Node(QStringLiteral("item"),
                                                                {{QStringLiteral("id"), QStringLiteral("B")}})})}));
    auto parsed = parseReceiptStanza(ok);
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(parsed->ids, (QStringList{QStringLiteral("A"), QStringLiteral("B")}));
    EXPECT_EQ(parsed->type, QStringLiteral("read"));
    EXPECT_EQ(parsed->timestamp, 1700000101);

    auto codeOf = [](Node n) {
        return parseReceiptStanza(wire(n)).error().code;
    };
    EXPECT_EQ(codeOf(Node(QStringLiteral("message"), {{QStringLiteral("id"), QStringLiteral("A")}})),
              QLatin1String(errc::kStanzaWrongTag));
    EXPECT_EQ(codeOf(Node(QStringLiteral("receipt"), {{QStringLiteral("from"), jid("1@s.whatsapp.net")}})),
              QLatin1String(errc::kStanzaMissingAttribute));
    EXPECT_EQ(codeOf(Node(QStringLiteral("receipt"), {{QStringLiteral("id"), QStringLiteral("A")}})),
              QLatin1String(errc::kStanzaBadJid));
    EXPECT_EQ(codeOf(Node(QStringLiteral("receipt"), {{QStringLiteral("from"), jid("1@s.whatsapp.net")},
                                                      {QStringLiteral("id"), QStringLiteral("A")},
                                                      {QStringLiteral("t"), QStringLiteral("x")}})),
              QLatin1String(errc::kStanzaBadNumber));
    // A retry receipt must carry <retry> and a 4-byte registration.
    Node retry(QStringLiteral("receipt"), {{QStringLiteral("from"), jid("1:2@s.whatsapp.net")},
                                           {QStringLiteral("id"), QStringLiteral("A")},
                                           {QStringLiteral("type"), QStringLiteral("retry")}});
    EXPECT_EQ(codeOf(retry), QLatin1String(errc::kStanzaBadChild));
    retry.content = std::vector<Node>{Node(QStringLiteral("retry"), {{QStringLiteral("count"), QStringLiteral("1")},
                                                                     {QStringLiteral("id"), QStringLiteral("A")},
                                                                     {QStringLiteral("t"), QStringLiteral("5")}}),
                                      Node(QStringLiteral("registration"), {}, QByteArray("\x01\x02", 2))};
    EXPECT_EQ(codeOf(retry), QLatin1String(errc::kStanzaBadChild));
    std::get<std::vector<Node>>(retry.content)[1].content = QByteArray("\x01\x02\x03\x04", 4);
    std::get<std::vector<Node>>(retry.content).push_back(Node(QStringLiteral("keys"), {}, std::vector<Node>{}));
    EXPECT_EQ(codeOf(retry), QLatin1String(errc::kKeyBundleMalformed));
}

TEST(ClientAck, FollowsSection64)
{
    const Node receipt(QStringLiteral("receipt"), {{QStringLiteral("from"), jid("15550000002:3@s.whatsapp.net")},
                                                   {QStringLiteral("id"), QStringLiteral("R1")},
                                                   {QStringLiteral("type"), QStringLiteral("read")},
                                                   {QStringLiteral("participant"), jid("15550000003@s.whatsapp.net")}});
    const Node ack = buildClientAck(receipt).value();
    EXPECT_EQ(ack.tag, QStringLiteral("ack"));
    EXPECT_EQ(ack.attributeString(u"id"), QStringLiteral("R1"));
    EXPECT_EQ(ack.attributeString(u"to"), QStringLiteral("15550000002:3@s.whatsapp.net"));
    EXPECT_EQ(ack.attributeString(u"class"), QStringLiteral("receipt"));
    EXPECT_EQ(ack.attributeString(u"type"), QStringLiteral("read"));
    EXPECT_EQ(ack.attributeString(u"participant"), QStringLiteral("15550000003@s.whatsapp.net"));
    EXPECT_EQ(ack.attribute(u"error"), nullptr);

    const Node message(QStringLiteral("message"), {{QStringLiteral("from"), jid("15550000002:3@s.whatsapp.net")},
                                                   {QStringLiteral("id"), QStringLiteral("M1")},
                                                   {QStringLiteral("type"), QStringLiteral("text")}});
    const Node nack = buildClientAck(message, 491).value();
    EXPECT_EQ(nack.attribute(u"type"), nullptr); // WM leaves type out for class="message"
    EXPECT_EQ(nack.attributeString(u"error"), QStringLiteral("491"));
    EXPECT_EQ(buildClientAck(Node(QStringLiteral("notification"))).error().code,
              QLatin1String(errc::kStanzaMissingAttribute));
}

TEST(ServerAck, ParsesMessageAcks)
{
    auto ack =
        parseServerAck(wire(Node(QStringLiteral("ack"), {{QStringLiteral("class"), QStringLiteral("message")},
                                                         {QStringLiteral("id"), QStringLiteral("3EB0AA")},
                                                         {QStringLiteral("from"), jid("15550000002@s.whatsapp.net")},
                                                         {QStringLiteral("t"), QStringLiteral("1700000100")}})));
    ASSERT_TRUE(ack.ok());
    EXPECT_EQ(ack->cls, QStringLiteral("message"));
    EXPECT_EQ(ack->timestamp, 1700000100);
    EXPECT_EQ(ack->error, 0);
    auto refused = parseServerAck(Node(QStringLiteral("ack"), {{QStringLiteral("class"), QStringLiteral("message")},
                                                               {QStringLiteral("id"), QStringLiteral("X")},
                                                               {QStringLiteral("error"), QStringLiteral("479")}}));
    ASSERT_TRUE(refused.ok());
    EXPECT_EQ(refused->error, 479);
    EXPECT_EQ(parseServerAck(Node(QStringLiteral("ack"), {{QStringLiteral("id"), QStringLiteral("X")}})).error().code,
              QLatin1String(errc::kStanzaMissingAttribute));
    EXPECT_EQ(parseServerAck(Node(QStringLiteral("ack"), {{QStringLiteral("class"), QStringLiteral("message")},
                                                          {QStringLiteral("id"), QStringLiteral("X")},
                                                          {QStringLiteral("error"), QStringLiteral("4x")}}))
                  .error()
                  .code,
              QLatin1String(errc::kStanzaBadNumber));
}

} // namespace
} // namespace atende::server::whatsapp
