// Device lists, key bundles, presence and chat state stanzas (PROTOCOL.md §6.9, §7.2, §7.3).
#include "server/whatsapp/binary_decoder.h"
#include "server/whatsapp/binary_encoder.h"
#include "server/whatsapp/error_codes.h"
#include "server/whatsapp/key_bundle.h"
#include "server/whatsapp/presence_stanza.h"
#include "server/whatsapp/usync.h"

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

Node bytes(const char *tag, QByteArray b)
{
    return Node(QString::fromLatin1(tag), {}, std::move(b));
}

Node userBundle(const char *device, bool withOneTime)
{
    std::vector<Node> parts{bytes("registration", QByteArray("\x00\x00\x30\x39", 4)),
                            bytes("type", QByteArray(1, '\x05')), bytes("identity", QByteArray(32, 'I'))};
    if (withOneTime)
        parts.push_back(
            Node(QStringLiteral("key"), {},
                 std::vector<Node>{bytes("id", QByteArray("\x00\x00\x2a", 3)), bytes("value", QByteArray(32, 'K'))}));
    parts.push_back(
        Node(QStringLiteral("skey"), {},
             std::vector<Node>{bytes("id", QByteArray("\x00\x00\x01", 3)), bytes("value", QByteArray(32, 'S')),
                               bytes("signature", QByteArray(64, 'G'))}));
    return Node(QStringLiteral("user"), {{QStringLiteral("jid"), jid(device)}}, std::move(parts));
}

Node result(std::vector<Node> children)
{
    return Node(QStringLiteral("iq"),
                {{QStringLiteral("type"), QStringLiteral("result")}, {QStringLiteral("id"), QStringLiteral("1")}},
                std::move(children));
}

TEST(KeyBundle, QueryAndResult)
{
    const Node q =
        wire(buildKeyBundleQuery({jid("15550000002@s.whatsapp.net"), jid("15550000002:3@s.whatsapp.net")}).value());
    EXPECT_EQ(q.attributeString(u"xmlns"), QStringLiteral("encrypt"));
    EXPECT_EQ(q.attributeString(u"type"), QStringLiteral("get"));
    const auto &users = q.child(u"key")->children();
    ASSERT_EQ(users.size(), 2u);
    EXPECT_EQ(users[1].attributeString(u"jid"), QStringLiteral("15550000002:3@s.whatsapp.net"));
    EXPECT_EQ(users[1].attributeString(u"reason"), QStringLiteral("identity"));
    EXPECT_EQ(buildKeyBundleQuery({}).error().code, QLatin1String(errc::kStanzaInvalidInput));

    const Node answer = wire(result(
        {Node(QStringLiteral("list"), {},
              std::vector<Node>{
                  userBundle("15550000002@s.whatsapp.net", false), userBundle("15550000002:3@s.whatsapp.net", true),
                  Node(QStringLiteral("user"), {{QStringLiteral("jid"), jid("15550000002:9@s.whatsapp.net")}},
                       std::vector<Node>{Node(QStringLiteral("error"),
                                              {{QStringLiteral("code"), QStringLiteral("404")},
                                               {QStringLiteral("text"), QStringLiteral("item-not-found")}})})})}));
    auto parsed = parseKeyBundleResult(answer);
    ASSERT_TRUE(parsed.ok()) << parsed.error().message.toStdString();
    ASSERT_EQ(parsed->bundles.size(), 2u);
    const PreKeyBundle &primary = parsed->bundles[0];
    EXPECT_EQ(primary.registrationId, 12345u);
    EXPECT_EQ(primary.identityKey, QByteArray(32, 'I'));
    EXPECT_EQ(primary.signedPreKeyId, 1u);
    EXPECT_EQ(primary.signedPreKeySignature.size(), 64);
    EXPECT_FALSE(primary.preKeyId); // the server had no one-time prekey left
    const PreKeyBundle &companion = parsed->bundles[1];
    EXPECT_EQ(companion.device.toString(), QStringLiteral("15550000002:3@s.whatsapp.net"));
    ASSERT_TRUE(companion.preKeyId);
    EXPECT_EQ(*companion.preKeyId, 42u);
    EXPECT_EQ(companion.preKey, QByteArray(32, 'K'));
    ASSERT_EQ(parsed->failures.size(), 1u);
    EXPECT_EQ(parsed->failures[0].first.device, 9);

    // Round trip through preKeyBundleChildren.
    Node rebuilt(QStringLiteral("user"), {}, preKeyBundleChildren(companion));
    auto again = parsePreKeyBundle(wire(rebuilt));
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again->preKey, companion.preKey);
    EXPECT_EQ(again->registrationId, companion.registrationId);
}

TEST(KeyBundle, MalformedBundlesAreRefused)
{
    auto withPart = [](const char *tag, QByteArray value) {
        Node user = userBundle("1:1@s.whatsapp.net", true);
        for (Node &part : std::get<std::vector<Node>>(user.content))
            if (part.tag == QLatin1String(tag))
                part.content = std::move(value);
        return result({Node(QStringLiteral("list"), {}, std::vector<Node>{user})});
    };
    const QLatin1String malformed(errc::kKeyBundleMalformed);
    EXPECT_EQ(parseKeyBundleResult(withPart("registration", QByteArray(3, 'x'))).error().code, malformed);
    EXPECT_EQ(parseKeyBundleResult(withPart("identity", QByteArray(31, 'x'))).error().code, malformed);
    EXPECT_EQ(parseKeyBundleResult(withPart("type", QByteArray(1, '\x06'))).error().code, malformed);
    Node noSkey = userBundle("1:1@s.whatsapp.net", false);
    std::get<std::vector<Node>>(noSkey.content).pop_back();
    EXPECT_EQ(parseKeyBundleResult(result({Node(QStringLiteral("list"), {}, std::vector<Node>{noSkey})})).error().code,
              malformed);
    EXPECT_EQ(parseKeyBundleResult(result({})).error().code, malformed);
    Node error = result({Node(QStringLiteral("error"), {{QStringLiteral("code"), QStringLiteral("500")}})});
    error.setAttribute(QStringLiteral("type"), QStringLiteral("error"));
    EXPECT_EQ(parseKeyBundleResult(error).error().code, QLatin1String(errc::kStanzaIqError));
}

TEST(Usync, QueryAndDeviceLists)
{
    const Node q = wire(buildUsyncDeviceQuery({jid("15550000002@s.whatsapp.net"), jid("15550000001:5@s.whatsapp.net")},
                                              QStringLiteral("sid-1"))
                            .value());
    EXPECT_EQ(q.attributeString(u"xmlns"), QStringLiteral("usync"));
    const Node *usync = q.child(u"usync");
    ASSERT_TRUE(usync);
    EXPECT_EQ(usync->attributeString(u"context"), QStringLiteral("message"));
    EXPECT_EQ(usync->attributeString(u"mode"), QStringLiteral("query"));
    EXPECT_TRUE(usync->child(u"query")->child(u"devices"));
    EXPECT_TRUE(usync->child(u"query")->child(u"lid"));
    EXPECT_EQ(usync->child(u"list")->children()[1].attributeString(u"jid"),
              QStringLiteral("15550000001@s.whatsapp.net"));
    EXPECT_EQ(buildUsyncDeviceQuery({}, QStringLiteral("s")).error().code, QLatin1String(errc::kStanzaInvalidInput));

    auto device = [](const char *id, QList<Attribute> extra = {}) {
        QList<Attribute> a{{QStringLiteral("id"), QString::fromLatin1(id)}};
        return Node(QStringLiteral("device"), a + extra);
    };
    const Node answer = wire(result({Node(
        QStringLiteral("usync"), {},
        std::vector<Node>{Node(
            QStringLiteral("list"), {},
            std::vector<Node>{
                Node(QStringLiteral("user"), {{QStringLiteral("jid"), jid("15550000002@s.whatsapp.net")}},
                     std::vector<Node>{
                         Node(QStringLiteral("devices"), {},
                              std::vector<Node>{Node(
                                  QStringLiteral("device-list"), {},
                                  std::vector<Node>{
                                      device("0"), device("3", {{QStringLiteral("key-index"), QStringLiteral("2")}}),
                                      device("99", {{QStringLiteral("is_hosted"), QStringLiteral("true")}})})}),
                         Node(QStringLiteral("lid"), {{QStringLiteral("val"), jid("200000000002@lid")}})}),
                Node(QStringLiteral("user"), {{QStringLiteral("jid"), jid("15559999999@s.whatsapp.net")}},
                     std::vector<Node>{
                         Node(QStringLiteral("error"), {{QStringLiteral("code"), QStringLiteral("404")}})})})})}));
    auto parsed = parseUsyncDevices(answer);
    ASSERT_TRUE(parsed.ok()) << parsed.error().message.toStdString();
    ASSERT_EQ(parsed->size(), 1u);
    const UsyncUser &user = parsed->front();
    ASSERT_EQ(user.devices.size(), 3u);
    EXPECT_EQ(user.devices[1].keyIndex, 2u);
    EXPECT_TRUE(user.devices[2].hosted);
    ASSERT_TRUE(user.lid);
    EXPECT_EQ(user.lid->toString(), QStringLiteral("200000000002@lid"));
    const QList<Jid> jids = user.deviceJids();
    EXPECT_EQ(jids[1].toString(), QStringLiteral("15550000002:3@s.whatsapp.net"));
    EXPECT_EQ(jids[2].server, QString(Jid::kHostedServer));

    Node badDevice = result(
        {Node(QStringLiteral("usync"), {},
              std::vector<Node>{
                  Node(QStringLiteral("list"), {},
                       std::vector<Node>{Node(
                           QStringLiteral("user"), {{QStringLiteral("jid"), jid("1@s.whatsapp.net")}},
                           std::vector<Node>{Node(QStringLiteral("devices"), {},
                                                  std::vector<Node>{Node(QStringLiteral("device-list"), {},
                                                                         std::vector<Node>{device("300")})})})})})});
    EXPECT_EQ(parseUsyncDevices(badDevice).error().code, QLatin1String(errc::kStanzaBadChild));
    EXPECT_EQ(parseUsyncDevices(result({})).error().code, QLatin1String(errc::kStanzaBadChild));
}

TEST(PresenceStanza, ChatStateAndPresence)
{
    const Node typing = wire(buildChatState(jid("15550000002@s.whatsapp.net"), ChatState::Recording));
    EXPECT_EQ(typing.attributeString(u"to"), QStringLiteral("15550000002@s.whatsapp.net"));
    ASSERT_TRUE(typing.child(u"composing"));
    EXPECT_EQ(typing.child(u"composing")->attributeString(u"media"), QStringLiteral("audio"));
    EXPECT_TRUE(wire(buildChatState(jid("1@s.whatsapp.net"), ChatState::Paused)).child(u"paused"));

    Node incoming(QStringLiteral("chatstate"), {{QStringLiteral("from"), jid("15550000002@s.whatsapp.net")}},
                  std::vector<Node>{Node(QStringLiteral("composing"))});
    auto state = parseChatState(wire(incoming));
    ASSERT_TRUE(state.ok());
    EXPECT_EQ(state->state, ChatState::Composing);
    incoming.content = std::vector<Node>{Node(QStringLiteral("dancing"))};
    EXPECT_EQ(parseChatState(incoming).error().code, QLatin1String(errc::kStanzaBadChild));
    EXPECT_EQ(parseChatState(Node(QStringLiteral("chatstate"))).error().code, QLatin1String(errc::kStanzaBadJid));

    const Node available = buildPresence(true, QStringLiteral("Support"));
    EXPECT_EQ(available.attributeString(u"type"), QStringLiteral("available"));
    EXPECT_EQ(available.attributeString(u"name"), QStringLiteral("Support"));
    const Node subscribe = wire(buildPresenceSubscribe(jid("15550000002@s.whatsapp.net"), QByteArray("tok")));
    EXPECT_EQ(subscribe.attributeString(u"type"), QStringLiteral("subscribe"));
    EXPECT_EQ(subscribe.child(u"tctoken")->bytes(), QByteArray("tok"));

    auto away = parsePresence(
        wire(Node(QStringLiteral("presence"), {{QStringLiteral("from"), jid("15550000002@s.whatsapp.net")},
                                               {QStringLiteral("type"), QStringLiteral("unavailable")},
                                               {QStringLiteral("last"), QStringLiteral("1700000000")}})));
    ASSERT_TRUE(away.ok());
    EXPECT_FALSE(away->available);
    EXPECT_EQ(away->lastSeen, 1700000000);
    auto hidden = parsePresence(Node(QStringLiteral("presence"), {{QStringLiteral("from"), jid("1@s.whatsapp.net")},
                                                                  {QStringLiteral("last"), QStringLiteral("deny")}}));
    ASSERT_TRUE(hidden.ok());
    EXPECT_TRUE(hidden->available);
    EXPECT_TRUE(hidden->lastSeenHidden);
    EXPECT_EQ(parsePresence(Node(QStringLiteral("presence"), {{QStringLiteral("from"), jid("1@s.whatsapp.net")},
                                                              {QStringLiteral("last"), QStringLiteral("soon")}}))
                  .error()
                  .code,
              QLatin1String(errc::kStanzaBadNumber));
}

} // namespace
} // namespace atende::server::whatsapp
