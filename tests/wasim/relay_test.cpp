// The simulator's message relay with raw nodes (PROTOCOL.md §6.4-§6.7, §7.6, §8.1, §12.1 items 8-10): fan-out
// to recipient and own devices with byte-exact encs, the server ack, receipts routed back and settling the
// outbox, refused stanzas, chat state and presence.
#include "server/whatsapp/presence_stanza.h"
#include "tests/wasim/relay_fixture.h"

#include <QTest>

namespace atende::wasim::test {
namespace {

using namespace server::whatsapp;

TEST_F(RelayTest, FansOutToRecipientAndOwnDevicesWithTheServerAck)
{
    auto alice = connect(a1);
    auto alice2 = connect(a2);
    auto bob = connect(b1);
    // B's phone (device 0) gets a copy like on the real network; the simulator drops it.
    ASSERT_TRUE(alice
                    ->send(message(QStringLiteral("M1"), QStringLiteral("15550000002@s.whatsapp.net"),
                                   {b1.paired.jid, QStringLiteral("15550000002@s.whatsapp.net"), a2.paired.jid},
                                   QStringLiteral("pkmsg")))
                    .ok());
    auto ack = alice->waitForTag(QStringLiteral("ack"));
    ASSERT_TRUE(ack);
    auto parsedAck = parseServerAck(*ack);
    ASSERT_TRUE(parsedAck.ok());
    EXPECT_EQ(parsedAck->cls, QStringLiteral("message"));
    EXPECT_EQ(parsedAck->id, QStringLiteral("M1"));
    EXPECT_EQ(parsedAck->error, 0);
    EXPECT_GT(parsedAck->timestamp, 0);

    auto atBob = nextMessage(*bob);
    ASSERT_TRUE(atBob);
    auto m = parseMessageStanza(*atBob, b1.jid());
    ASSERT_TRUE(m.ok()) << m.error().message.toStdString();
    EXPECT_EQ(m->from.toString(), a1.paired.jid);
    EXPECT_EQ(m->id, QStringLiteral("M1"));
    EXPECT_EQ(m->timestamp, parsedAck->timestamp);
    EXPECT_EQ(m->type, QStringLiteral("text"));
    EXPECT_EQ(m->notify, QStringLiteral("Alice Phone")); // no push name from the device: the user's
    EXPECT_FALSE(m->recipient);
    ASSERT_EQ(m->encs.size(), 1u);
    EXPECT_EQ(m->encs[0].ciphertext, QByteArray("ct:") + b1.paired.jid.toUtf8()); // only B1's enc, unchanged
    EXPECT_EQ(m->deviceIdentity, QByteArray("account-of-sender"));                // pkmsg → identity passed on

    auto atAlice2 = nextMessage(*alice2);
    ASSERT_TRUE(atAlice2);
    auto copy = parseMessageStanza(*atAlice2, a2.jid());
    ASSERT_TRUE(copy.ok());
    EXPECT_TRUE(copy->fromOwnDevice);
    ASSERT_TRUE(copy->recipient);
    EXPECT_EQ(copy->recipient->toString(), QStringLiteral("15550000002@s.whatsapp.net"));
    EXPECT_EQ(copy->chat.toString(), QStringLiteral("15550000002@s.whatsapp.net"));
    EXPECT_EQ(copy->encs[0].ciphertext, QByteArray("ct:") + a2.paired.jid.toUtf8());
    EXPECT_FALSE(nextMessage(*alice, 200)); // the sender gets no copy of its own

    EXPECT_EQ(sim->relayCounters(a1.key())->value(u"sent").toInt(), 1);
    EXPECT_EQ(sim->relayCounters(b1.key())->value(u"delivered").toInt(), 1);
    EXPECT_EQ(sim->relayCounters(b1.key())->value(u"pending").toInt(), 1); // until B acknowledges it
}

TEST_F(RelayTest, ReceiptsReachTheSenderDevicesAndSettleOutboxes)
{
    auto alice = connect(a1);
    auto alice2 = connect(a2);
    auto bob = connect(b1);
    ASSERT_TRUE(
        alice->send(message(QStringLiteral("M2"), QStringLiteral("15550000002@s.whatsapp.net"), {b1.paired.jid})).ok());
    auto atBob = nextMessage(*bob);
    ASSERT_TRUE(atBob);

    OutgoingReceipt delivery;
    delivery.id = QStringLiteral("M2");
    delivery.to = *atBob->attributeJid(u"from");
    ASSERT_TRUE(bob->send(buildReceipt(delivery).value()).ok());
    auto serverAck = bob->waitForTag(QStringLiteral("ack"));
    ASSERT_TRUE(serverAck);
    EXPECT_EQ(serverAck->attributeString(u"class"), QStringLiteral("receipt"));
    EXPECT_EQ(sim->relayCounters(b1.key())->value(u"pending").toInt(), 0); // the receipt acknowledged M2
    EXPECT_EQ(sim->relayCounters(b1.key())->value(u"acked").toInt(), 1);

    OutgoingReceipt read = delivery;
    read.to = Jid::make(QString::fromLatin1(kPhoneA), QString(Jid::kUserServer));
    read.type = QStringLiteral("read");
    read.timestamp = 1700000500;
    ASSERT_TRUE(bob->send(buildReceipt(read).value()).ok());

    for (TestClient *sender : {alice.get(), alice2.get()}) {
        auto first = sender->waitForTag(QStringLiteral("receipt"));
        auto second = sender->waitForTag(QStringLiteral("receipt"));
        ASSERT_TRUE(first && second);
        auto d = parseReceiptStanza(*first);
        auto r = parseReceiptStanza(*second);
        ASSERT_TRUE(d.ok() && r.ok());
        EXPECT_EQ(d->from.toString(), b1.paired.jid);
        EXPECT_EQ(d->id, QStringLiteral("M2"));
        EXPECT_TRUE(d->type.isEmpty());
        EXPECT_EQ(r->type, QStringLiteral("read"));
        EXPECT_EQ(r->timestamp, 1700000500);
    }
    // A1 acknowledges both receipts (§6.4); A2 does not, so they stay owed to A2.
    for (const char *type : {"", "read"}) {
        Node receipt(QStringLiteral("receipt"),
                     {{QStringLiteral("from"), b1.jid()}, {QStringLiteral("id"), QStringLiteral("M2")}});
        if (*type)
            receipt.setAttribute(QStringLiteral("type"), QString::fromLatin1(type));
        ASSERT_TRUE(alice->send(buildClientAck(receipt).value()).ok());
    }
    auto receiptsOwed = [&](const Companion &c) {
        int n = 0;
        const QJsonArray queue = sim->queuedStanzas(c.key()).value();
        for (const QJsonValue &e : queue)
            n += e.toObject().value(u"tag").toString() == u"receipt";
        return n;
    };
    ASSERT_TRUE(QTest::qWaitFor([&] { return receiptsOwed(a1) == 0; }, 3000));
    const QJsonArray owedToA2 = sim->queuedStanzas(a2.key()).value();
    ASSERT_EQ(owedToA2.size(), 2);
    EXPECT_EQ(owedToA2[0].toObject().value(u"tag").toString(), QStringLiteral("receipt"));
    EXPECT_EQ(owedToA2[1].toObject().value(u"type").toString(), QStringLiteral("read"));
}

TEST_F(RelayTest, RetryReceiptGoesOnlyToTheSendingDevice)
{
    auto alice = connect(a1);
    auto alice2 = connect(a2);
    auto bob = connect(b1);
    ASSERT_TRUE(
        alice->send(message(QStringLiteral("M3"), QStringLiteral("15550000002@s.whatsapp.net"), {b1.paired.jid})).ok());
    ASSERT_TRUE(nextMessage(*bob));
    RetryReceipt retry;
    retry.base.id = QStringLiteral("M3");
    retry.base.to = a1.jid();
    retry.count = 1;
    retry.messageTimestamp = 1;
    retry.registrationId = 4242;
    ASSERT_TRUE(bob->send(buildRetryReceipt(retry).value()).ok());
    auto atAlice = alice->waitForTag(QStringLiteral("receipt"));
    ASSERT_TRUE(atAlice);
    auto parsed = parseReceiptStanza(*atAlice);
    ASSERT_TRUE(parsed.ok() && parsed->retry);
    EXPECT_EQ(parsed->retry->registrationId, 4242u);
    EXPECT_FALSE(alice2->waitForTag(QStringLiteral("receipt"), 300));

    // The resend to the device that asked: one enc directly under <message>, with count.
    OutgoingMessage resend;
    resend.id = QStringLiteral("M3");
    resend.to = b1.jid();
    resend.retryCount = 1;
    resend.originalTimestamp = 1;
    resend.encs = {{b1.jid(), QStringLiteral("msg"), QByteArray("again"), {}}};
    ASSERT_TRUE(alice->send(buildMessageStanza(resend).value()).ok());
    auto again = nextMessage(*bob);
    ASSERT_TRUE(again);
    auto m = parseMessageStanza(*again);
    ASSERT_TRUE(m.ok());
    EXPECT_EQ(m->encs[0].ciphertext, QByteArray("again"));
    EXPECT_EQ(m->encs[0].retryCount, 1);
}

TEST_F(RelayTest, MalformedMessagesAreRefusedWithAnAckErrorAndDeliverNothing)
{
    auto alice = connect(a1);
    auto bob = connect(b1);
    auto refused = [&](Node n) {
        EXPECT_TRUE(alice->send(n).ok());
        auto ack = alice->waitForTag(QStringLiteral("ack"));
        return ack ? ack->attributeString(u"error").toInt() : -1; // an ack without id does not parse
    };
    Node noEnc = message(QStringLiteral("X1"), QStringLiteral("15550000002@s.whatsapp.net"), {b1.paired.jid});
    std::get<std::vector<Node>>(std::get<std::vector<Node>>(noEnc.content)[0].content)[0].content = std::vector<Node>{};
    EXPECT_EQ(refused(noEnc), 479);
    EXPECT_EQ(refused(message(QStringLiteral("X2"), QStringLiteral("15559999999@s.whatsapp.net"),
                              {QStringLiteral("15559999999:1@s.whatsapp.net")})),
              479);
    EXPECT_EQ(refused(message(QStringLiteral("X3"), QStringLiteral("1203630001@g.us"), {b1.paired.jid})), 479);
    // A participant of a third user is not part of this chat.
    ASSERT_TRUE(sim->createUser({QStringLiteral("15550000003"), {}, {}}).ok());
    EXPECT_EQ(refused(message(QStringLiteral("X4"), QStringLiteral("15550000002@s.whatsapp.net"),
                              {b1.paired.jid, QStringLiteral("15550000003@s.whatsapp.net")})),
              479);
    Node noId(QStringLiteral("message"),
              {{QStringLiteral("to"), b1.jid()}, {QStringLiteral("type"), QStringLiteral("text")}});
    EXPECT_EQ(refused(noId), 479);
    EXPECT_FALSE(nextMessage(*bob, 300));
    EXPECT_EQ(sim->relayCounters(a1.key())->value(u"rejected").toInt(), 5);
    EXPECT_EQ(sim->relayCounters(b1.key())->value(u"relayed").toInt(), 0);
}

TEST_F(RelayTest, ChatStateAndPresenceReachConnectedPeers)
{
    auto alice = connect(a1);
    auto bob = connect(b1);
    ASSERT_TRUE(alice
                    ->send(buildChatState(Jid::make(QString::fromLatin1(kPhoneB), QString(Jid::kUserServer)),
                                          ChatState::Composing))
                    .ok());
    auto typing = bob->waitForTag(QStringLiteral("chatstate"));
    ASSERT_TRUE(typing);
    auto state = parseChatState(*typing);
    ASSERT_TRUE(state.ok());
    EXPECT_EQ(state->from.toString(), QStringLiteral("15550000001@s.whatsapp.net"));
    EXPECT_EQ(state->state, ChatState::Composing);

    ASSERT_TRUE(
        bob->send(buildPresenceSubscribe(Jid::make(QString::fromLatin1(kPhoneA), QString(Jid::kUserServer)))).ok());
    auto initial = bob->waitForTag(QStringLiteral("presence"));
    ASSERT_TRUE(initial);
    EXPECT_FALSE(parsePresence(*initial)->available);
    ASSERT_TRUE(alice->send(buildPresence(true, QStringLiteral("Alice Desk"))).ok());
    auto online = bob->waitForTag(QStringLiteral("presence"));
    ASSERT_TRUE(online);
    EXPECT_TRUE(parsePresence(*online)->available);
    // The push name from presence is what the next message carries as notify.
    ASSERT_TRUE(
        alice->send(message(QStringLiteral("M4"), QStringLiteral("15550000002@s.whatsapp.net"), {b1.paired.jid})).ok());
    auto m = nextMessage(*bob);
    ASSERT_TRUE(m);
    EXPECT_EQ(m->attributeString(u"notify"), QStringLiteral("Alice Desk"));
}

} // namespace
} // namespace atende::wasim::test
