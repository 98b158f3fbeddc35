// Messaging between real peers (Session + SignalAccount + Messenger each) through the simulated network:
// texts decrypt exactly both ways, quotes, receipts, chat states, presence, the device-sent copy, unknown
// content, unknown numbers.
#include "server/messenger/error_codes.h"
#include "server/whatsapp/error_codes.h"
#include "tests/messenger/messenger_fixture.h"

namespace atende::test {
namespace {

using namespace server::whatsapp;
using server::messenger::SendOptions;

TEST_F(MessengerTest, TextsDecryptExactlyBothWays)
{
    wasim::Customer &a = add(QString::fromLatin1(kPhoneA));
    wasim::Customer &b = add(QString::fromLatin1(kPhoneB));
    const QString long4000 = QString(4000, QChar(u'x')).replace(1000, 3, QStringLiteral("end"));
    const QStringList texts{QStringLiteral("Olá, tudo bem? 👋🏽"), long4000,
                            QStringLiteral("مرحبا بالعالم — שלום 🇧🇷 e acentuação: ção, ü, ñ"),
                            QStringLiteral("linha 1\nlinha 2\t\u200f")};
    for (const QString &text : texts) {
        auto sent = send(a, b, text);
        ASSERT_TRUE(sent.ok()) << sent.error().code.toStdString();
    }
    ASSERT_TRUE(waitMessages(b, size_t(texts.size())));
    for (int i = 0; i < texts.size(); ++i) {
        const auto &m = b.messages().at(size_t(i)).message;
        EXPECT_EQ(m.content.kind, MessageContent::Kind::Text);
        EXPECT_EQ(m.content.text, texts.at(i));
        EXPECT_EQ(m.chat, userJid(a));
        EXPECT_EQ(Jid::make(m.sender.user, m.sender.server), userJid(a));
        EXPECT_EQ(m.sender.device, a.deviceJid()->device);
        EXPECT_EQ(m.senderPn, userJid(a));
        EXPECT_FALSE(m.fromOwnDevice);
    }
    auto reply = send(b, a, QStringLiteral("resposta 🙂"));
    ASSERT_TRUE(reply.ok()) << reply.error().code.toStdString();
    ASSERT_TRUE(waitMessages(a, 1));
    EXPECT_EQ(a.messages().front().message.content.text, QStringLiteral("resposta 🙂"));
    EXPECT_EQ(a.messages().front().message.id, *reply);
    EXPECT_EQ(b.repeatedHandOuts(), 0);
    // B learned A's LID from the usync of its reply (§7.8): later messages from A carry both identities.
    ASSERT_TRUE(send(a, b, QStringLiteral("de novo")).ok());
    ASSERT_TRUE(waitMessages(b, size_t(texts.size()) + 1));
    const auto &again = b.messages().back().message;
    ASSERT_TRUE(again.senderLid.has_value());
    EXPECT_EQ(again.senderLid->user, a.lidJid()->user);
    EXPECT_EQ(again.senderPn, userJid(a));
}

TEST_F(MessengerTest, QuotedReplyCarriesTheQuote)
{
    wasim::Customer &a = add(QString::fromLatin1(kPhoneA));
    wasim::Customer &b = add(QString::fromLatin1(kPhoneB));
    auto first = send(a, b, QStringLiteral("Qual o prazo?"));
    ASSERT_TRUE(first.ok());
    ASSERT_TRUE(waitMessages(b, 1));
    SendOptions options;
    options.quote = OutgoingQuote{*first, userJid(a).toString(), QStringLiteral("Qual o prazo?")};
    auto answer = send(b, a, QStringLiteral("Amanhã."), options);
    ASSERT_TRUE(answer.ok());
    ASSERT_TRUE(waitMessages(a, 1));
    const MessageContent &c = a.messages().front().message.content;
    EXPECT_EQ(c.text, QStringLiteral("Amanhã."));
    ASSERT_TRUE(c.quote.has_value());
    EXPECT_EQ(c.quote->stanzaId, *first);
    EXPECT_EQ(c.quote->text, QStringLiteral("Qual o prazo?"));
}

TEST_F(MessengerTest, DeliveryAndReadReceiptsReachTheSender)
{
    wasim::Customer &a = add(QString::fromLatin1(kPhoneA));
    wasim::Customer &b = add(QString::fromLatin1(kPhoneB));
    auto sent = send(a, b, QStringLiteral("recibo?"));
    ASSERT_TRUE(sent.ok());
    ASSERT_TRUE(QTest::qWaitFor([&] { return receiptCount(a, *sent, QStringLiteral("delivered")) == 1; }, 5000));
    ASSERT_TRUE(waitMessages(b, 1));
    const auto &m = b.messages().front().message;
    ASSERT_TRUE(b.messenger()->sendRead(m.sender, {m.id}).ok());
    ASSERT_TRUE(QTest::qWaitFor([&] { return receiptCount(a, *sent, QStringLiteral("read")) == 1; }, 5000));
    // Acknowledged receipts are not delivered again.
    QTest::qWait(300);
    EXPECT_EQ(receiptCount(a, *sent, QStringLiteral("delivered")), 1);
    EXPECT_EQ(sim->relayCounters(deviceKey(a))->value(u"pending").toInt(), 0);
}

TEST_F(MessengerTest, ChatStatesAndPresence)
{
    wasim::Customer &a = add(QString::fromLatin1(kPhoneA));
    wasim::Customer &b = add(QString::fromLatin1(kPhoneB));
    ASSERT_TRUE(a.messenger()->sendChatState(userJid(b), true).ok());
    ASSERT_TRUE(QTest::qWaitFor([&] { return b.chatStates().size() == 1; }, 5000));
    EXPECT_TRUE(b.chatStates().back().composing);
    EXPECT_EQ(b.chatStates().back().from, userJid(a).toString());
    ASSERT_TRUE(a.messenger()->sendChatState(userJid(b), false).ok());
    ASSERT_TRUE(QTest::qWaitFor([&] { return b.chatStates().size() == 2; }, 5000));
    EXPECT_FALSE(b.chatStates().back().composing);

    ASSERT_TRUE(b.messenger()->subscribePresence(userJid(a)).ok());
    ASSERT_TRUE(QTest::qWaitFor([&] { return !b.presences().empty(); }, 5000));
    EXPECT_EQ(b.presences().back().from, userJid(a).toString());
    EXPECT_TRUE(b.presences().back().available);
    ASSERT_TRUE(a.messenger()->sendPresence(false).ok());
    ASSERT_TRUE(QTest::qWaitFor([&] { return !b.presences().back().available; }, 5000));
}

TEST_F(MessengerTest, OwnOtherCompanionGetsTheDeviceSentCopy)
{
    wasim::Customer &a1 = add(QString::fromLatin1(kPhoneA));
    wasim::Customer &a2 = add(QString::fromLatin1(kPhoneA));
    wasim::Customer &b = add(QString::fromLatin1(kPhoneB));
    auto sent = send(a1, b, QStringLiteral("cópia para mim 📱"));
    ASSERT_TRUE(sent.ok()) << sent.error().code.toStdString();
    ASSERT_TRUE(waitMessages(b, 1));
    ASSERT_TRUE(waitMessages(a2, 1));
    const auto &copy = a2.messages().front().message;
    EXPECT_TRUE(copy.fromOwnDevice);
    EXPECT_EQ(copy.id, *sent);
    EXPECT_EQ(copy.chat, userJid(b));
    EXPECT_EQ(copy.content.text, QStringLiteral("cópia para mim 📱"));
    ASSERT_TRUE(copy.content.deviceSentTo.has_value());
    EXPECT_EQ(*copy.content.deviceSentTo, userJid(b).toString());
    EXPECT_FALSE(b.messages().front().message.fromOwnDevice);
    EXPECT_EQ(b.messages().front().message.content.text, QStringLiteral("cópia para mim 📱"));
}

TEST_F(MessengerTest, UnknownContentIsHandedAsUnknown)
{
    wasim::Customer &a = add(QString::fromLatin1(kPhoneA));
    wasim::Customer &b = add(QString::fromLatin1(kPhoneB));
    // Message{field 200 (varint) = 1}: a content type this client does not model.
    const QByteArray unknown = QByteArray::fromHex("c00c01");
    auto sent = await(a.messenger()->sendMessage(userJid(b), unknown));
    ASSERT_TRUE(sent.ok()) << sent.error().code.toStdString();
    ASSERT_TRUE(waitMessages(b, 1));
    const MessageContent &c = b.messages().front().message.content;
    EXPECT_EQ(c.kind, MessageContent::Kind::Unknown);
    EXPECT_EQ(c.unknownField, 200);
    EXPECT_EQ(c.raw, unknown);
    ASSERT_TRUE(QTest::qWaitFor([&] { return receiptCount(a, *sent, QStringLiteral("delivered")) == 1; }, 5000));
}

TEST_F(MessengerTest, UnknownNumberAndBadRecipientFailWithStableCodes)
{
    wasim::Customer &a = add(QString::fromLatin1(kPhoneA));
    auto unknown = await(a.messenger()->sendText(Jid::make(QStringLiteral("15559999999"), QString(Jid::kUserServer)),
                                                 QStringLiteral("oi")));
    ASSERT_FALSE(unknown.ok());
    EXPECT_EQ(unknown.error().code, QLatin1String(server::messenger::errc::kPeerUnknown));
    auto group = await(a.messenger()->sendText(Jid::make(QStringLiteral("1203630001"), QString(Jid::kGroupServer)),
                                               QStringLiteral("oi")));
    ASSERT_FALSE(group.ok());
    EXPECT_EQ(group.error().code, QLatin1String(server::messenger::errc::kInvalidRecipient));
    a.stop();
    ASSERT_TRUE(QTest::qWaitFor([&] { return !a.isConnected(); }, 5000));
    auto offline = await(a.messenger()->sendText(Jid::make(QString::fromLatin1(kPhoneB), QString(Jid::kUserServer)),
                                                 QStringLiteral("oi")));
    ASSERT_FALSE(offline.ok());
    EXPECT_EQ(offline.error().code, QLatin1String(server::whatsapp::errc::kNotConnected));
}

} // namespace
} // namespace atende::test
