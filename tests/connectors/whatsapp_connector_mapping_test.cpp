// What the WhatsApp connector hands the desk for each kind of received content, which WhatsApp user a desk
// peer is written to, and the message ids it derives for outbound messages. Pure functions: no network, no
// database.

#include "server/connectors/whatsapp_connector.h"

#include <gtest/gtest.h>

namespace atende::test {

namespace cn = server::connectors;
namespace wa = server::whatsapp;
using Kind = wa::MessageContent::Kind;

namespace {

server::messenger::ReceivedMessage received(Kind kind)
{
    server::messenger::ReceivedMessage r;
    r.id = QStringLiteral("ABCDEF0123456789");
    r.chat = wa::Jid::make(QStringLiteral("5511987650001"), QString(wa::Jid::kUserServer));
    r.sender = wa::Jid::make(QStringLiteral("5511987650001"), QString(wa::Jid::kUserServer), 3);
    r.pushName = QStringLiteral("Maria");
    r.timestamp = QDateTime::currentDateTimeUtc();
    r.content.kind = kind;
    return r;
}

wa::MessageRef target(const char *id)
{
    wa::MessageRef t;
    t.id = QString::fromLatin1(id);
    return t;
}

} // namespace

TEST(WhatsAppConnectorMapping, TextWithQuoteAndBothIdentities)
{
    auto r = received(Kind::Text);
    r.content.text = QStringLiteral("olá 👋");
    r.content.quote = wa::QuoteInfo{QStringLiteral("3EB0AAAA"), QString(), QStringLiteral("antes")};
    r.senderLid = wa::Jid::make(QStringLiteral("100000000000042"), QString(wa::Jid::kLidServer));
    std::optional<server::desk::InboundMessage> m = cn::WhatsAppConnector::inboundOf(r, true);
    ASSERT_TRUE(m);
    EXPECT_EQ(m->senderKind, QStringLiteral("wa_phone"));
    EXPECT_EQ(m->senderValue, QStringLiteral("5511987650001"));
    EXPECT_EQ(m->alsoKind, QStringLiteral("wa_lid"));
    EXPECT_EQ(m->alsoValue, QStringLiteral("100000000000042"));
    EXPECT_EQ(m->body, QStringLiteral("olá 👋"));
    EXPECT_EQ(m->quotedExternalId, QStringLiteral("3EB0AAAA"));
    EXPECT_EQ(m->externalId, r.id);
    EXPECT_EQ(m->displayName, QStringLiteral("Maria"));

    // A LID-addressed sender with no phone known: the LID is the identity.
    auto lidOnly = received(Kind::Text);
    lidOnly.sender = wa::Jid::make(QStringLiteral("100000000000042"), QString(wa::Jid::kLidServer), 2);
    m = cn::WhatsAppConnector::inboundOf(lidOnly, true);
    ASSERT_TRUE(m);
    EXPECT_EQ(m->senderKind, QStringLiteral("wa_lid"));
    EXPECT_EQ(m->senderValue, QStringLiteral("100000000000042"));
    EXPECT_TRUE(m->alsoKind.isEmpty());
}

TEST(WhatsAppConnectorMapping, MediaKeepsTypeCaptionAndMetadata)
{
    auto r = received(Kind::Audio);
    wa::MediaInfo media;
    media.mimetype = QStringLiteral("audio/ogg; codecs=opus");
    media.voiceNote = true;
    media.seconds = 7;
    media.fileLength = 12345;
    media.fileSha256 = QByteArray(32, '\x01');
    r.content.media = media;
    std::optional<server::desk::InboundMessage> m = cn::WhatsAppConnector::inboundOf(r, true);
    ASSERT_TRUE(m);
    EXPECT_EQ(m->media.kind, QStringLiteral("voice"));
    EXPECT_EQ(m->media.mime, QStringLiteral("audio/ogg; codecs=opus"));
    EXPECT_EQ(m->media.durationS, 7);
    EXPECT_EQ(m->media.size, 12345);
    EXPECT_EQ(m->media.sha256, QString(QStringLiteral("01")).repeated(32));

    auto image = received(Kind::Image);
    media = wa::MediaInfo();
    media.mimetype = QStringLiteral("image/jpeg");
    media.caption = QStringLiteral("a nota fiscal");
    media.width = 800;
    media.height = 600;
    image.content.media = media;
    m = cn::WhatsAppConnector::inboundOf(image, true);
    ASSERT_TRUE(m);
    EXPECT_EQ(m->media.kind, QStringLiteral("image"));
    EXPECT_EQ(m->body, QStringLiteral("a nota fiscal"));
    EXPECT_EQ(m->media.width, 800);
}

TEST(WhatsAppConnectorMapping, ReactionsEditsRevokesAndUnknownBecomeMessages)
{
    auto reaction = received(Kind::Reaction);
    reaction.content.reaction = QStringLiteral("👍");
    reaction.content.target = target("3EB0TARGET");
    std::optional<server::desk::InboundMessage> m = cn::WhatsAppConnector::inboundOf(reaction, true);
    ASSERT_TRUE(m);
    EXPECT_TRUE(m->body.contains(QStringLiteral("👍")));
    EXPECT_EQ(m->quotedExternalId, QStringLiteral("3EB0TARGET"));

    auto edit = received(Kind::Edit);
    edit.content.text = QStringLiteral("texto corrigido");
    edit.content.target = target("ORIGINAL");
    m = cn::WhatsAppConnector::inboundOf(edit, true);
    ASSERT_TRUE(m);
    EXPECT_TRUE(m->body.contains(QStringLiteral("texto corrigido")));
    EXPECT_EQ(m->quotedExternalId, QStringLiteral("ORIGINAL"));

    auto revoke = received(Kind::Revoke);
    revoke.content.target = target("GONE");
    m = cn::WhatsAppConnector::inboundOf(revoke, true);
    ASSERT_TRUE(m);
    EXPECT_FALSE(m->body.isEmpty());
    EXPECT_EQ(m->quotedExternalId, QStringLiteral("GONE"));

    auto unknown = received(Kind::Unknown);
    unknown.content.unknownField = 99;
    unknown.content.raw = QByteArrayLiteral("\x9a\x06\x00");
    m = cn::WhatsAppConnector::inboundOf(unknown, true);
    ASSERT_TRUE(m) << "an unknown message type must never be dropped";
    EXPECT_FALSE(m->body.isEmpty());
}

TEST(WhatsAppConnectorMapping, WhatTheDeskDoesNotGet)
{
    // Protocol plumbing and our own devices' copies are not customer messages.
    EXPECT_FALSE(cn::WhatsAppConnector::inboundOf(received(Kind::Protocol), true));
    EXPECT_FALSE(cn::WhatsAppConnector::inboundOf(received(Kind::SenderKeyDistributionOnly), true));
    auto own = received(Kind::Text);
    own.fromOwnDevice = true;
    EXPECT_FALSE(cn::WhatsAppConnector::inboundOf(own, true));
    // Groups only when the connection does not ignore them; then the group is named in the body.
    auto group = received(Kind::Text);
    group.chat = wa::Jid::make(QStringLiteral("120363000000000001"), QString(wa::Jid::kGroupServer));
    group.content.text = QStringLiteral("oi grupo");
    EXPECT_FALSE(cn::WhatsAppConnector::inboundOf(group, true));
    std::optional<server::desk::InboundMessage> m = cn::WhatsAppConnector::inboundOf(group, false);
    ASSERT_TRUE(m);
    EXPECT_TRUE(m->body.startsWith(QStringLiteral("[120363000000000001@g.us]")));
    EXPECT_EQ(m->senderValue, QStringLiteral("5511987650001"));
}

TEST(WhatsAppConnectorMapping, RecipientsAndMessageIds)
{
    server::desk::ConnectorPeer peer;
    peer.identities.append({{}, {}, QStringLiteral("wa_lid"), QStringLiteral("100000000000042"), {}});
    EXPECT_EQ(cn::WhatsAppConnector::recipientOf(peer)->toString(), QStringLiteral("100000000000042@lid"));
    peer.identities.append({{}, {}, QStringLiteral("wa_phone"), QStringLiteral("5511987650001"), {}});
    EXPECT_EQ(cn::WhatsAppConnector::recipientOf(peer)->toString(), QStringLiteral("5511987650001@s.whatsapp.net"));
    EXPECT_FALSE(cn::WhatsAppConnector::recipientOf(server::desk::ConnectorPeer{}));

    const QUuid a = QUuid::createUuid(), b = QUuid::createUuid();
    const QString id = cn::WhatsAppConnector::messageIdFor(a);
    EXPECT_EQ(id, cn::WhatsAppConnector::messageIdFor(a)) << "a retried job must reuse the id";
    EXPECT_NE(id, cn::WhatsAppConnector::messageIdFor(b));
    EXPECT_EQ(id.size(), 22);
    EXPECT_TRUE(id.startsWith(QStringLiteral("3EB0")));
    for (const QChar c : id)
        EXPECT_TRUE(c.isDigit() || (c >= QLatin1Char('A') && c <= QLatin1Char('F')));
}

} // namespace atende::test
