// The Session with the stanza layer against the simulator's relay (issue 6): incoming messages and receipts
// are handed out and NOT acknowledged automatically — the simulator keeps them owed until the caller sends
// the delivery receipt (messages) or calls Session::acknowledge() (receipts), as §6.4 requires for a
// "commit first, then ack" product.
#include "server/whatsapp/error_codes.h"
#include "server/whatsapp/message_stanza.h"
#include "server/whatsapp/receipt_stanza.h"
#include "tests/wasim/test_client.h"
#include "tests/whatsapp/session_sim_fixture.h"

namespace atende::test {
namespace {

using namespace server::whatsapp;

TEST_F(SessionSimTest, StanzasStayOwedUntilTheCallerAcknowledges)
{
    const QString ownKey = pairNewSession();
    ASSERT_FALSE(ownKey.isEmpty());
    const Jid own = *session->credentials().jid;
    QList<Node> received;
    QObject::connect(session.get(), &Session::stanzaReceived, session.get(),
                     [&](const Node &n) { received.append(n); });

    ASSERT_TRUE(sim->createUser({QStringLiteral("15550000002"), QStringLiteral("Bob"), {}}).ok());
    const wasim::test::ClientKeys bobKeys = wasim::test::ClientKeys::generate();
    wasim::ScanOptions options;
    options.phone = QStringLiteral("15550000002");
    auto bobPaired = wasim::test::pairWithQr(*sim, bobKeys, options);
    ASSERT_TRUE(bobPaired.ok());
    wasim::test::TestClient bob(sim->wsUrl(), sim->trustRootPublicKey());
    ASSERT_TRUE(wasim::test::login(bob, bobKeys, *bobPaired).ok());
    const Jid bobJid = *Jid::parse(bobPaired->jid);

    // Bob → us: the session hands the message out and the simulator still owes it.
    OutgoingMessage toUs;
    toUs.id = generateMessageId(QStringLiteral("15550000002"), 1700000000);
    toUs.to = Jid::make(own.user, own.server);
    toUs.encs = {{own, QStringLiteral("msg"), QByteArray("opaque"), {}}};
    ASSERT_TRUE(bob.send(buildMessageStanza(toUs).value()).ok());
    ASSERT_TRUE(QTest::qWaitFor([&] { return !received.isEmpty(); }, 5000));
    auto incoming = parseMessageStanza(received.takeFirst(), own);
    ASSERT_TRUE(incoming.ok()) << incoming.error().message.toStdString();
    EXPECT_EQ(incoming->encs.at(0).ciphertext, QByteArray("opaque"));
    QTest::qWait(200);
    EXPECT_EQ(sim->relayCounters(ownKey)->value(u"pending").toInt(), 1);
    // ... committed; now the delivery receipt, which is the message's acknowledgement.
    OutgoingReceipt delivered;
    delivered.id = incoming->id;
    delivered.to = incoming->from;
    ASSERT_TRUE(session->send(buildReceipt(delivered).value()).ok());
    ASSERT_TRUE(QTest::qWaitFor([&] { return sim->relayCounters(ownKey)->value(u"pending").toInt() == 0; }, 5000));
    auto atBob = bob.waitForTag(QStringLiteral("receipt"));
    ASSERT_TRUE(atBob);
    EXPECT_EQ(parseReceiptStanza(*atBob)->id, toUs.id);

    // Bob's receipt for that message id (as if for one we sent): owed until acknowledge().
    OutgoingReceipt read;
    read.id = QStringLiteral("3EB0FROMUS");
    read.to = own;
    read.type = QStringLiteral("read");
    read.timestamp = 1700000001;
    ASSERT_TRUE(bob.send(buildReceipt(read).value()).ok());
    ASSERT_TRUE(QTest::qWaitFor([&] { return !received.isEmpty() && received.last().tag == u"receipt"; }, 5000));
    const Node receipt = received.takeLast();
    EXPECT_EQ(parseReceiptStanza(receipt)->from, bobJid);
    QTest::qWait(200);
    EXPECT_EQ(sim->relayCounters(ownKey)->value(u"pending").toInt(), 1);
    ASSERT_TRUE(session->acknowledge(receipt).ok());
    ASSERT_TRUE(QTest::qWaitFor([&] { return sim->relayCounters(ownKey)->value(u"pending").toInt() == 0; }, 5000));
    EXPECT_EQ(session->acknowledge(Node(QStringLiteral("receipt"))).error().code,
              QLatin1String(server::whatsapp::errc::kStanzaMissingAttribute));
}

} // namespace
} // namespace atende::test
