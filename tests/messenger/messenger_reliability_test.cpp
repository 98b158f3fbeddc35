// What must never happen to a message: loss, duplication, reordering, a receipt before the commit. Bursts,
// offline catch-up, a failing handler, a crash between decrypt and commit, hostile stanzas.
#include "server/whatsapp/message_stanza.h"
#include "server/whatsapp/receipt_stanza.h"
#include "tests/messenger/messenger_fixture.h"
#include "tests/wasim/test_client.h"

namespace atende::test {
namespace {

using namespace server::whatsapp;

QStringList texts(const wasim::Customer &c)
{
    QStringList out;
    for (const auto &m : c.messages())
        out.append(m.message.content.text);
    return out;
}

TEST_F(MessengerTest, HundredMessagesEachWayInOrderWithoutLossOrDuplicates)
{
    wasim::Customer &a = add(QString::fromLatin1(kPhoneA));
    wasim::Customer &b = add(QString::fromLatin1(kPhoneB));
    constexpr int kCount = 100;
    // All sends started at once, both directions interleaved: the messenger serializes each account's sends.
    std::vector<QCoro::Task<core::Result<QString>>> sends;
    QStringList expectAtB, expectAtA;
    for (int i = 0; i < kCount; ++i) {
        expectAtB.append(QStringLiteral("a→b %1").arg(i));
        expectAtA.append(QStringLiteral("b→a %1").arg(i));
        sends.push_back(a.messenger()->sendText(userJid(b), expectAtB.last()));
        sends.push_back(b.messenger()->sendText(userJid(a), expectAtA.last()));
    }
    for (auto &task : sends) {
        auto result = await(std::move(task));
        ASSERT_TRUE(result.ok()) << result.error().code.toStdString();
    }
    ASSERT_TRUE(waitMessages(b, kCount, 30000));
    ASSERT_TRUE(waitMessages(a, kCount, 30000));
    QTest::qWait(300);
    EXPECT_EQ(texts(b), expectAtB);
    EXPECT_EQ(texts(a), expectAtA);
    EXPECT_EQ(a.repeatedHandOuts() + b.repeatedHandOuts(), 0);
    ASSERT_TRUE(
        QTest::qWaitFor([&] { return sim->relayCounters(deviceKey(a))->value(u"pending").toInt() == 0; }, 10000));
    ASSERT_TRUE(
        QTest::qWaitFor([&] { return sim->relayCounters(deviceKey(b))->value(u"pending").toInt() == 0; }, 10000));
}

TEST_F(MessengerTest, MessagesSentWhileOfflineArriveOnceAfterReconnect)
{
    wasim::Customer &a = add(QString::fromLatin1(kPhoneA));
    wasim::Customer &b = add(QString::fromLatin1(kPhoneB));
    ASSERT_TRUE(send(a, b, QStringLiteral("antes")).ok());
    ASSERT_TRUE(waitMessages(b, 1));
    b.stop();
    ASSERT_TRUE(QTest::qWaitFor([&] { return !sim->isConnected(deviceKey(b)); }, 5000));
    QStringList expected{QStringLiteral("antes")};
    for (int i = 0; i < 20; ++i) {
        expected.append(QStringLiteral("offline %1").arg(i));
        ASSERT_TRUE(send(a, b, expected.last()).ok());
    }
    QTest::qWait(200);
    EXPECT_EQ(b.messages().size(), 1u);
    b.start();
    ASSERT_TRUE(waitMessages(b, 21, 15000));
    QTest::qWait(500);
    EXPECT_EQ(texts(b), expected);
    EXPECT_TRUE(b.messages().back().message.offline);
    EXPECT_EQ(b.repeatedHandOuts(), 0);

    // Held delivery (connected but the server queues): released later, each message once.
    ASSERT_TRUE(sim->holdDelivery(deviceKey(b), true).ok());
    for (int i = 0; i < 5; ++i) {
        expected.append(QStringLiteral("held %1").arg(i));
        ASSERT_TRUE(send(a, b, expected.last()).ok());
    }
    QTest::qWait(200);
    EXPECT_EQ(b.messages().size(), 21u);
    ASSERT_TRUE(sim->holdDelivery(deviceKey(b), false).ok());
    ASSERT_TRUE(waitMessages(b, 26, 10000));
    QTest::qWait(300);
    EXPECT_EQ(texts(b), expected);
    EXPECT_EQ(b.repeatedHandOuts(), 0);
}

TEST_F(MessengerTest, FailingHandlerIsRetriedAndTheReceiptWaitsForTheCommit)
{
    wasim::Customer &a = add(QString::fromLatin1(kPhoneA));
    wasim::Customer &b = add(QString::fromLatin1(kPhoneB));
    int failures = 0;
    b.beforeCommit = [&](const server::messenger::ReceivedMessage &) -> core::Status {
        if (failures < 2) {
            ++failures;
            return core::Error::make(core::errc::kUnavailable, QStringLiteral("database down (test)"));
        }
        return {};
    };
    auto sent = send(a, b, QStringLiteral("persistente"));
    ASSERT_TRUE(sent.ok());
    ASSERT_TRUE(QTest::qWaitFor([&] { return failures == 2; }, 5000));
    EXPECT_EQ(receiptCount(a, *sent, QStringLiteral("delivered")), 0); // not committed yet: no receipt
    EXPECT_EQ(sim->relayCounters(deviceKey(b))->value(u"pending").toInt(), 1);
    ASSERT_TRUE(waitMessages(b, 1, 10000));
    ASSERT_TRUE(QTest::qWaitFor([&] { return receiptCount(a, *sent, QStringLiteral("delivered")) == 1; }, 5000));
    EXPECT_EQ(b.handlerCalls(), 3);
    EXPECT_EQ(b.messages().size(), 1u);
    EXPECT_EQ(b.messages().front().message.content.text, QStringLiteral("persistente"));
}

TEST_F(MessengerTest, CrashBetweenDecryptAndCommitStillDeliversOnce)
{
    wasim::Customer &a = add(QString::fromLatin1(kPhoneA));
    wasim::Customer &b = add(QString::fromLatin1(kPhoneB));
    for (int round = 0; round < 2; ++round) {
        // Round 0: the first message (pkmsg, consumes a one-time prekey); round 1: a msg on the session.
        b.beforeCommit = [](const server::messenger::ReceivedMessage &) -> core::Status {
            return core::Error::make(core::errc::kUnavailable, QStringLiteral("crashing (test)"));
        };
        const QString text = QStringLiteral("sobrevive %1").arg(round);
        ASSERT_TRUE(send(a, b, text).ok());
        ASSERT_TRUE(QTest::qWaitFor([&] { return b.handlerCalls() >= 1; }, 5000));
        const int flushesBefore = b.signalStore().flushes();
        b.beforeCommit = nullptr;
        b.crashAndRebuild(); // decrypted in memory, never flushed, never receipted
        EXPECT_EQ(b.signalStore().flushes(), flushesBefore);
        ASSERT_TRUE(waitConnected(b, 10000));
        ASSERT_TRUE(waitMessages(b, size_t(round + 1), 10000));
        EXPECT_EQ(b.messages().back().message.content.text, text);
        EXPECT_EQ(b.repeatedHandOuts(), 0);
        // Per round: the failed call before the crash and the successful one after it.
        EXPECT_EQ(b.handlerCalls(), 2 * (round + 1));
        ASSERT_TRUE(
            QTest::qWaitFor([&] { return sim->relayCounters(deviceKey(b))->value(u"pending").toInt() == 0; }, 5000));
    }
    // Both directions still work on the rebuilt account.
    ASSERT_TRUE(send(b, a, QStringLiteral("de volta")).ok());
    ASSERT_TRUE(waitMessages(a, 1));
    EXPECT_EQ(a.messages().back().message.content.text, QStringLiteral("de volta"));
    ASSERT_TRUE(send(a, b, QStringLiteral("e mais uma")).ok());
    ASSERT_TRUE(waitMessages(b, 3));
    EXPECT_EQ(b.messages().back().message.content.text, QStringLiteral("e mais uma"));
}

TEST_F(MessengerTest, HostileStanzasGetRetryReceiptsOrNacksAndNothingBreaks)
{
    wasim::Customer &a = add(QString::fromLatin1(kPhoneA));
    wasim::Customer &b = add(QString::fromLatin1(kPhoneB));
    ASSERT_TRUE(sim->createUser({QStringLiteral("15550000003"), QStringLiteral("Mallory"), {}}).ok());
    const wasim::test::ClientKeys keys = wasim::test::ClientKeys::generate();
    wasim::ScanOptions options;
    options.phone = QStringLiteral("15550000003");
    auto paired = wasim::test::pairWithQr(*sim, keys, options);
    ASSERT_TRUE(paired.ok());
    wasim::test::TestClient mallory(sim->wsUrl(), sim->trustRootPublicKey());
    ASSERT_TRUE(wasim::test::login(mallory, keys, *paired).ok());
    const Jid bDevice = *b.deviceJid();

    auto hostile = [&](const QString &id, const QString &type, const QByteArray &bytes) {
        OutgoingMessage m;
        m.id = id;
        m.to = userJid(b);
        m.encs = {{bDevice, type, bytes, {}}};
        m.deviceIdentity = QByteArray("not an identity");
        auto built = buildMessageStanza(m);
        Node node = built ? *built : Node();
        if (node.tag.isEmpty()) { // the builder refuses unknown enc types: shape it by hand
            node = Node(QStringLiteral("message"),
                        {{QStringLiteral("id"), id},
                         {QStringLiteral("to"), userJid(b)},
                         {QStringLiteral("type"), QStringLiteral("text")}},
                        std::vector<Node>{Node(
                            QStringLiteral("participants"), {},
                            std::vector<Node>{Node(QStringLiteral("to"), {{QStringLiteral("jid"), bDevice}},
                                                   std::vector<Node>{Node(QStringLiteral("enc"),
                                                                          {{QStringLiteral("v"), QStringLiteral("2")},
                                                                           {QStringLiteral("type"), type}},
                                                                          bytes)})})});
        }
        return mallory.send(node);
    };
    // Garbage ciphertexts: decrypt fails → retry receipt (§8.4) back to the sender's device.
    ASSERT_TRUE(hostile(QStringLiteral("3EB0BAD1"), QStringLiteral("msg"), QByteArray("garbage")).ok());
    auto retry = mallory.waitFor([](const Node &n) { return n.tag == u"receipt"; }, 5000);
    ASSERT_TRUE(retry.has_value());
    auto parsedRetry = parseReceiptStanza(*retry);
    ASSERT_TRUE(parsedRetry.ok());
    EXPECT_EQ(parsedRetry->type, QStringLiteral("retry"));
    ASSERT_TRUE(parsedRetry->retry.has_value());
    EXPECT_EQ(parsedRetry->retry->count, 1);
    ASSERT_TRUE(hostile(QStringLiteral("3EB0BAD2"), QStringLiteral("pkmsg"), QByteArray(300, '\x33')).ok());
    // An enc type nobody can read: nacked (the server stops redelivering it).
    ASSERT_TRUE(hostile(QStringLiteral("3EB0BAD3"), QStringLiteral("frob"), QByteArray("x")).ok());
    ASSERT_TRUE(
        QTest::qWaitFor([&] { return sim->relayCounters(deviceKey(b))->value(u"pending").toInt() == 0; }, 5000));
    EXPECT_EQ(b.handlerCalls(), 0);

    // A receipt that names nothing sensible and a notification of an unknown type: acked, no crash.
    ASSERT_TRUE(mallory
                    .send(Node(QStringLiteral("receipt"), {{QStringLiteral("id"), QStringLiteral("nope")},
                                                           {QStringLiteral("to"), userJid(b)},
                                                           {QStringLiteral("type"), QStringLiteral("weird")}}))
                    .ok());
    // Real traffic still flows both ways.
    ASSERT_TRUE(send(a, b, QStringLiteral("ainda funciona")).ok());
    ASSERT_TRUE(waitMessages(b, 1));
    EXPECT_EQ(b.messages().front().message.content.text, QStringLiteral("ainda funciona"));
    ASSERT_TRUE(send(b, a, QStringLiteral("sim")).ok());
    ASSERT_TRUE(waitMessages(a, 1));
}

TEST_F(MessengerTest, RetryReceiptIsAnsweredByReencryptingForThatDevice)
{
    wasim::Customer &a = add(QString::fromLatin1(kPhoneA));
    wasim::Customer &b = add(QString::fromLatin1(kPhoneB));
    auto sent = send(a, b, QStringLiteral("de novo, por favor"));
    ASSERT_TRUE(sent.ok());
    ASSERT_TRUE(waitMessages(b, 1));
    // B's device asks again as if it had failed to decrypt (count 1, no keys): A re-encrypts for B's device
    // only; B gets the same id again, decrypts it and recognises it as already committed.
    RetryReceipt retry;
    retry.base.id = *sent;
    retry.base.to = *a.deviceJid();
    retry.count = 1;
    retry.messageTimestamp = QDateTime::currentSecsSinceEpoch();
    retry.registrationId = b.session()->credentials().registrationId;
    ASSERT_TRUE(b.session()->send(buildRetryReceipt(retry).value()).ok());
    ASSERT_TRUE(QTest::qWaitFor([&] { return b.repeatedHandOuts() == 1; }, 5000));
    EXPECT_EQ(b.messages().size(), 1u);
    ASSERT_TRUE(
        QTest::qWaitFor([&] { return sim->relayCounters(deviceKey(b))->value(u"pending").toInt() == 0; }, 5000));
}

} // namespace
} // namespace atende::test
