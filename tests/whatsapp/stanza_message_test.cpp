// The <message> stanza layer (PROTOCOL.md §7.1, §7.6, §7.10, §8.1, §8.4): builders produce the documented
// shapes, survive the binary codec, and the strict parser reports malformed stanzas with stable codes.
#include "server/whatsapp/binary_decoder.h"
#include "server/whatsapp/binary_encoder.h"
#include "server/whatsapp/error_codes.h"
#include "server/whatsapp/message_stanza.h"

#include <QRegularExpression>
#include <gtest/gtest.h>

namespace atende::server::whatsapp {
namespace {

Jid jid(const char *text)
{
    return *Jid::parse(QString::fromLatin1(text));
}

// Encode and decode, as the node would travel.
Node wire(const Node &node)
{
    return BinaryDecoder::decodeNode(BinaryEncoder::encodeNode(node).value()).value();
}

OutgoingMessage twoDevices()
{
    OutgoingMessage m;
    m.id = QStringLiteral("3EB0AA");
    m.to = jid("15550000002@s.whatsapp.net");
    m.encs = {{jid("15550000002:3@s.whatsapp.net"), QStringLiteral("pkmsg"), QByteArray("\x33pk-ciphertext", 14), {}},
              {jid("15550000001@s.whatsapp.net"),
               QStringLiteral("msg"),
               QByteArray("\x33"
                          "dsm",
                          4),
               {}}};
    m.deviceIdentity = QByteArray("account-bytes");
    return m;
}

TEST(MessageId, MatchesTheDocumentedDerivation)
{
    // SHA-256(u64be(1700000000) ‖ "15550000001@c.us" ‖ 00..0f)[0:9], computed independently with Python.
    QByteArray random;
    for (char i = 0; i < 16; ++i)
        random.append(i);
    EXPECT_EQ(generateMessageId(QStringLiteral("15550000001"), 1700000000, random),
              QStringLiteral("3EB01AB8FF56434CF117DD"));
    const QString fresh = generateMessageId(QStringLiteral("15550000001"), 1700000000);
    EXPECT_TRUE(QRegularExpression(QStringLiteral("^3EB0[0-9A-F]{18}$")).match(fresh).hasMatch())
        << fresh.toStdString();
    EXPECT_NE(fresh, generateMessageId(QStringLiteral("15550000001"), 1700000000));
}

TEST(MessageStanza, BuildsParticipantsWithDeviceIdentity)
{
    auto built = buildMessageStanza(twoDevices());
    ASSERT_TRUE(built.ok()) << built.error().message.toStdString();
    const Node n = wire(*built);
    EXPECT_EQ(n.tag, QStringLiteral("message"));
    EXPECT_EQ(n.attributeString(u"id"), QStringLiteral("3EB0AA"));
    EXPECT_EQ(n.attributeString(u"to"), QStringLiteral("15550000002@s.whatsapp.net"));
    EXPECT_EQ(n.attributeString(u"type"), QStringLiteral("text"));
    const Node *participants = n.child(u"participants");
    ASSERT_TRUE(participants && participants->hasChildren());
    ASSERT_EQ(participants->children().size(), 2u);
    const Node &first = participants->children()[0];
    EXPECT_EQ(first.tag, QStringLiteral("to"));
    EXPECT_EQ(first.attributeString(u"jid"), QStringLiteral("15550000002:3@s.whatsapp.net"));
    const Node *enc = first.child(u"enc");
    ASSERT_TRUE(enc);
    EXPECT_EQ(enc->attributeString(u"v"), QStringLiteral("2"));
    EXPECT_EQ(enc->attributeString(u"type"), QStringLiteral("pkmsg"));
    EXPECT_EQ(enc->bytes(), QByteArray("\x33pk-ciphertext", 14));
    ASSERT_TRUE(n.child(u"device-identity"));
    EXPECT_EQ(n.child(u"device-identity")->bytes(), QByteArray("account-bytes"));
}

TEST(MessageStanza, NoDeviceIdentityWithoutPkmsgAndAttributesForEdits)
{
    OutgoingMessage m = twoDevices();
    m.encs[0].type = QStringLiteral("msg");
    m.edit = QStringLiteral("1");
    m.hideDecryptFail = true;
    m.encs[1].mediaType = QStringLiteral("image");
    const Node n = wire(buildMessageStanza(m).value());
    EXPECT_EQ(n.child(u"device-identity"), nullptr);
    EXPECT_EQ(n.attributeString(u"edit"), QStringLiteral("1"));
    const auto &tos = n.child(u"participants")->children();
    EXPECT_EQ(tos[0].child(u"enc")->attributeString(u"decrypt-fail"), QStringLiteral("hide"));
    EXPECT_EQ(tos[1].child(u"enc")->attributeString(u"mediatype"), QStringLiteral("image"));
}

TEST(MessageStanza, PeerAndRetryFormsCarryOneEncDirectly)
{
    OutgoingMessage peer = twoDevices();
    peer.category = QStringLiteral("peer");
    EXPECT_EQ(buildMessageStanza(peer).error().code, QLatin1String(errc::kStanzaInvalidInput));
    peer.encs.pop_back();
    const Node p = wire(buildMessageStanza(peer).value());
    EXPECT_EQ(p.attributeString(u"category"), QStringLiteral("peer"));
    EXPECT_EQ(p.child(u"participants"), nullptr);
    ASSERT_TRUE(p.child(u"enc"));

    OutgoingMessage retry = peer;
    retry.category.clear();
    retry.to = jid("15550000002:3@s.whatsapp.net");
    retry.retryCount = 2;
    retry.originalTimestamp = 1700000100;
    const Node r = wire(buildMessageStanza(retry).value());
    EXPECT_EQ(r.attributeString(u"t"), QStringLiteral("1700000100"));
    EXPECT_EQ(r.attributeString(u"device_fanout"), QStringLiteral("false"));
    EXPECT_EQ(r.child(u"enc")->attributeString(u"count"), QStringLiteral("2"));
    EXPECT_TRUE(r.child(u"device-identity")); // the enc is a pkmsg
}

TEST(MessageStanza, BuilderRefusesInvalidInput)
{
    const auto code = [](const OutgoingMessage &m) {
        return buildMessageStanza(m).error().code;
    };
    const QLatin1String invalid(errc::kStanzaInvalidInput);
    OutgoingMessage m = twoDevices();
    m.id.clear();
    EXPECT_EQ(code(m), invalid);
    m = twoDevices();
    m.encs.clear();
    EXPECT_EQ(code(m), invalid);
    m = twoDevices();
    m.encs[0].type = QStringLiteral("skmsg");
    EXPECT_EQ(code(m), invalid);
    m = twoDevices();
    m.encs[1].ciphertext.clear();
    EXPECT_EQ(code(m), invalid);
    m = twoDevices();
    m.deviceIdentity.clear();
    EXPECT_EQ(code(m), invalid);
    m = twoDevices();
    m.to = Jid();
    EXPECT_EQ(code(m), invalid);
}

Node incoming(QList<Attribute> attributes, std::vector<Node> children)
{
    return wire(Node(QStringLiteral("message"), std::move(attributes), std::move(children)));
}

Node enc(const char *type, QByteArray bytes, QList<Attribute> extra = {})
{
    QList<Attribute> attributes{{QStringLiteral("v"), QStringLiteral("2")},
                                {QStringLiteral("type"), QString::fromLatin1(type)}};
    attributes += extra;
    return Node(QStringLiteral("enc"), attributes, std::move(bytes));
}

TEST(MessageStanza, ParsesAOneToOneMessage)
{
    const Node n = incoming({{QStringLiteral("from"), jid("15550000002:3@s.whatsapp.net")},
                             {QStringLiteral("id"), QStringLiteral("3EB0BB")},
                             {QStringLiteral("t"), QStringLiteral("1700000110")},
                             {QStringLiteral("type"), QStringLiteral("text")},
                             {QStringLiteral("notify"), QStringLiteral("Bob")},
                             {QStringLiteral("offline"), QStringLiteral("1")}},
                            {enc("pkmsg", "ct-1", {{QStringLiteral("count"), QStringLiteral("2")}}),
                             Node(QStringLiteral("device-identity"), {}, QByteArray("di"))});
    auto parsed = parseMessageStanza(n, jid("15550000001:5@s.whatsapp.net"));
    ASSERT_TRUE(parsed.ok()) << parsed.error().message.toStdString();
    EXPECT_EQ(parsed->id, QStringLiteral("3EB0BB"));
    EXPECT_EQ(parsed->timestamp, 1700000110);
    EXPECT_EQ(parsed->notify, QStringLiteral("Bob"));
    EXPECT_TRUE(parsed->offline);
    EXPECT_FALSE(parsed->fromOwnDevice);
    EXPECT_EQ(parsed->chat.toString(), QStringLiteral("15550000002@s.whatsapp.net"));
    EXPECT_EQ(parsed->sender.toString(), QStringLiteral("15550000002:3@s.whatsapp.net"));
    ASSERT_EQ(parsed->encs.size(), 1u);
    EXPECT_EQ(parsed->encs[0].type, QStringLiteral("pkmsg"));
    EXPECT_EQ(parsed->encs[0].retryCount, 2);
    EXPECT_EQ(parsed->encs[0].ciphertext, QByteArray("ct-1"));
    EXPECT_EQ(parsed->deviceIdentity, QByteArray("di"));
}

TEST(MessageStanza, OwnDeviceCopyUsesTheRecipientAsChatAndGroupsTheParticipant)
{
    const Node own = incoming({{QStringLiteral("from"), jid("15550000001:2@s.whatsapp.net")},
                               {QStringLiteral("recipient"), jid("15550000002@s.whatsapp.net")},
                               {QStringLiteral("id"), QStringLiteral("X")},
                               {QStringLiteral("t"), QStringLiteral("1")},
                               {QStringLiteral("type"), QStringLiteral("text")}},
                              {enc("msg", "dsm")});
    auto parsed = parseMessageStanza(own, jid("15550000001:5@s.whatsapp.net"));
    ASSERT_TRUE(parsed.ok());
    EXPECT_TRUE(parsed->fromOwnDevice);
    EXPECT_EQ(parsed->chat.toString(), QStringLiteral("15550000002@s.whatsapp.net"));

    const Node group = incoming({{QStringLiteral("from"), jid("120363000000000001@g.us")},
                                 {QStringLiteral("participant"), jid("15550000003:1@s.whatsapp.net")},
                                 {QStringLiteral("id"), QStringLiteral("G")},
                                 {QStringLiteral("t"), QStringLiteral("1")},
                                 {QStringLiteral("type"), QStringLiteral("text")}},
                                {enc("pkmsg", "skdm"), enc("skmsg", "group")});
    parsed = parseMessageStanza(group);
    ASSERT_TRUE(parsed.ok());
    EXPECT_TRUE(parsed->isGroup);
    EXPECT_EQ(parsed->sender.toString(), QStringLiteral("15550000003:1@s.whatsapp.net"));
    ASSERT_EQ(parsed->encs.size(), 2u);
    EXPECT_EQ(parsed->encs[1].type, QStringLiteral("skmsg")); // document order kept
}

TEST(MessageStanza, MalformedStanzasAreReportedWithStableCodes)
{
    const QList<Attribute> good{{QStringLiteral("from"), jid("15550000002:3@s.whatsapp.net")},
                                {QStringLiteral("id"), QStringLiteral("M")},
                                {QStringLiteral("t"), QStringLiteral("1")},
                                {QStringLiteral("type"), QStringLiteral("text")}};
    auto without = [&](const char *key) {
        QList<Attribute> a = good;
        a.removeIf([&](const Attribute &x) { return x.key == QLatin1String(key); });
        return a;
    };
    auto codeOf = [](const Node &n) {
        return parseMessageStanza(n).error().code;
    };
    EXPECT_EQ(codeOf(Node(QStringLiteral("receipt"), good)), QLatin1String(errc::kStanzaWrongTag));
    EXPECT_EQ(codeOf(incoming(without("id"), {enc("msg", "x")})), QLatin1String(errc::kStanzaMissingAttribute));
    EXPECT_EQ(codeOf(incoming(without("from"), {enc("msg", "x")})), QLatin1String(errc::kStanzaBadJid));
    QList<Attribute> badT = without("t");
    badT.append({QStringLiteral("t"), QStringLiteral("12a")});
    EXPECT_EQ(codeOf(incoming(badT, {enc("msg", "x")})), QLatin1String(errc::kStanzaBadNumber));
    const auto noEnc = parseMessageStanza(incoming(good, {}));
    EXPECT_EQ(noEnc.error().code, QLatin1String(errc::kStanzaNoEnc));
    EXPECT_EQ(nackCodeFor(noEnc.error()), 488);
    const auto emptyEnc = parseMessageStanza(incoming(good, {enc("msg", {})}));
    EXPECT_EQ(emptyEnc.error().code, QLatin1String(errc::kStanzaBadEnc));
    EXPECT_EQ(nackCodeFor(emptyEnc.error()), 487);
    EXPECT_EQ(codeOf(incoming(good, {enc("msg", "x", {{QStringLiteral("count"), QStringLiteral("-1")}})})),
              QLatin1String(errc::kStanzaBadEnc));
    QList<Attribute> group = good;
    group[0].value = jid("1203630001@g.us");
    EXPECT_EQ(codeOf(incoming(group, {enc("skmsg", "x")})), QLatin1String(errc::kStanzaMissingAttribute));
    // A view-once placeholder has no enc and is still a message.
    auto unavailable = parseMessageStanza(
        incoming(good, {Node(QStringLiteral("unavailable"), {{QStringLiteral("type"), QStringLiteral("view_once")}})}));
    ASSERT_TRUE(unavailable.ok());
    EXPECT_EQ(unavailable->unavailableType, QStringLiteral("view_once"));
}

} // namespace
} // namespace atende::server::whatsapp
