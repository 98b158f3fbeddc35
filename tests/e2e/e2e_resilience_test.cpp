// End to end under faults (issue 6, label e2e): the simulator cuts the business connection while Baileys
// sends 20 messages; atende-server is SIGKILLed during a burst in both directions. Nothing may be lost or
// stored twice.
//
// "Exactly once" at the customer's phone: WhatsApp clients deduplicate by message id — a stanza delivered
// again with the same id (a redelivery after a crash before the server's ack was recorded) is one message to
// the customer. So the customer side counts DISTINCT message ids per reply text: every reply must arrive
// under exactly one id (two ids for one reply would be a real duplicate on the phone), none may be missing.

#include "tests/e2e/e2e_env.h"

#include "tests/api/http_test_client.h"

#include <QElapsedTimer>
#include <QHash>
#include <QSet>
#include <QTest>

#include <cstdio>

using namespace atende::e2e;

namespace {

QString str(const QJsonObject &o, const char *key)
{
    return o.value(QLatin1String(key)).toString();
}

// body → how many stored inbound messages have it.
QHash<QString, int> inboundCounts(const QList<QJsonObject> &messages)
{
    QHash<QString, int> n;
    for (const QJsonObject &m : inboundOf(messages))
        ++n[str(m, "body")];
    return n;
}

} // namespace

class E2eResilience : public E2eTest {};

TEST_F(E2eResilience, ConnectionCutBySimulatorWhileCustomerSendsTwentyAllAppearOnce)
{
    const QString ticketId = openTicket(QStringLiteral("antes do corte"));
    ASSERT_FALSE(ticketId.isEmpty());
    const QString device = wasim->deviceOf(business());
    ASSERT_FALSE(device.isEmpty());
    // The business connection is cut (TCP close, no stream end) after 5 more stanzas were written to it —
    // in the middle of the burst; the rest waits in the simulator's queue for the reconnect.
    const AdminReply cut = wasim->admin("POST", QStringLiteral("/admin/devices/%1/drop-after").arg(device),
                                        QJsonObject{{QStringLiteral("count"), 5}});
    ASSERT_EQ(cut.status, 200);
    QStringList texts;
    for (int i = 1; i <= 20; ++i)
        texts << QStringLiteral("durante o corte #%1").arg(i);
    for (const QString &t : texts)
        customer->sendAsync(business(), t);
    ASSERT_TRUE(customer->waitFor([&] { return customer->eventsOf(QStringLiteral("sent")).size() >= 21; }, 60000))
        << customer->diagnostics().toStdString();

    if (!waitInbound(ticketId, 21, 60000))
        dumpState(ticketId);
    ASSERT_EQ(inboundOf(agent->messages(ticketId)).size(), 21);
    EXPECT_TRUE(waitConnection(QStringLiteral("connected"), 30000));
    QTest::qWait(1500); // a redelivered duplicate would be stored by now
    const QHash<QString, int> counts = inboundCounts(agent->messages(ticketId));
    for (const QString &t : texts)
        EXPECT_EQ(counts.value(t), 1) << t.toStdString();
    EXPECT_EQ(inboundOf(agent->messages(ticketId)).size(), 21);
    bool dropped = false;
    for (const QJsonValue v : wasim->admin("GET", QStringLiteral("/admin/events")).array)
        dropped = dropped || v.toString().startsWith(QLatin1String("dropped"));
    EXPECT_TRUE(dropped) << "the simulator really cut the connection";
    const ApiReply health = admin->call("GET", QStringLiteral("/api/v1/connections/%1/health").arg(connectionId));
    EXPECT_GE(health.json.value(QStringLiteral("reconnects")).toInt(), 1);
}

// Found with this test: Baileys, decrypting a reply and encrypting its next message of one session at once,
// sometimes sends a NEW message under a message key it already used. Such a message decrypts as a duplicate;
// the messenger now receipts a duplicate only when its id was committed, and asks for anything else again with a
// retry receipt, which Baileys answers by re-encrypting (the customer script keeps each message from before it
// leaves, as a phone does, so the retry finds it).
TEST_F(E2eResilience, ServerKilledDuringABurstEveryMessageOnceEveryReplyDeliveredOnce)
{
    const QString ticketId = openTicket(QStringLiteral("antes do kill"));
    ASSERT_FALSE(ticketId.isEmpty());
    QStringList replies;
    for (int i = 1; i <= 10; ++i)
        replies << QStringLiteral("resposta #%1").arg(i);
    QStringList texts;
    for (int i = 1; i <= 30; ++i)
        texts << QStringLiteral("rajada #%1").arg(i);
    // Replies accepted by the API (stored as pending, sending queued) during the customer's burst, then the
    // kill while both are in flight.
    // Interleaved, so the connector sends (each send stores the Signal state) while it decrypts and commits.
    for (qsizetype i = 0; i < texts.size(); ++i) {
        customer->sendAsync(business(), texts[i]);
        if (i % 3 == 0 && i / 3 < replies.size()) {
            ASSERT_FALSE(agent->reply(ticketId, replies[i / 3]).isEmpty());
        }
    }
    ASSERT_TRUE(QTest::qWaitFor([&] { return inboundOf(agent->messages(ticketId)).size() >= 6; }, 30000));
    QElapsedTimer since;
    since.start();
    const auto mark = [&](const char *what) {
        std::printf("  %6lld ms after the kill: %s\n", static_cast<long long>(since.elapsed()), what);
        std::fflush(stdout);
    };
    killServer();
    ASSERT_TRUE(customer->waitFor([&] { return customer->eventsOf(QStringLiteral("sent")).size() >= 31; }, 60000))
        << "the customer keeps sending while the server is down: " << customer->diagnostics().toStdString();

    mark("the customer's burst is sent");
    ASSERT_TRUE(startServer()) << "restart after SIGKILL";
    mark("server ready again");
    EXPECT_TRUE(waitConnection(QStringLiteral("connected"), 60000));
    mark("WhatsApp connection connected");
    QStringList after;
    for (int i = 1; i <= 5; ++i)
        after << QStringLiteral("resposta depois #%1").arg(i);
    for (const QString &r : after)
        ASSERT_FALSE(agent->reply(ticketId, r).isEmpty());

    if (!waitInbound(ticketId, 31, 60000))
        dumpState(ticketId);
    ASSERT_EQ(inboundOf(agent->messages(ticketId)).size(), 31);
    mark("all 31 inbound stored");
    const QStringList allReplies = replies + after;
    ASSERT_TRUE(customer->waitFor(
        [&] {
            QSet<QString> got;
            for (const QJsonObject &m : customer->messagesWithPrefix(QStringLiteral("resposta ")))
                got.insert(str(m, "text"));
            return got.size() >= allReplies.size();
        },
        90000))
        << customer->messagesWithPrefix(QStringLiteral("resposta ")).size();
    mark("every reply at the customer");
    QTest::qWait(2000); // late duplicates

    const QHash<QString, int> counts = inboundCounts(agent->messages(ticketId));
    for (const QString &t : texts)
        EXPECT_EQ(counts.value(t), 1) << "inbound " << t.toStdString();
    EXPECT_EQ(inboundOf(agent->messages(ticketId)).size(), 31);
    QHash<QString, QSet<QString>> idsByText;
    for (const QJsonObject &m : customer->messagesWithPrefix(QStringLiteral("resposta ")))
        idsByText[str(m, "text")].insert(str(m, "id"));
    for (const QString &r : allReplies)
        EXPECT_EQ(idsByText.value(r).size(), 1) << "reply " << r.toStdString() << " under distinct ids";
    // And the desk agrees: every reply stored once, none left pending or failed. A reply whose job the
    // killed process had claimed is sent again (same WhatsApp id) only when that claim's lease expires.
    const auto pendingReplies = [&] {
        int n = 0;
        for (const QJsonObject &m : agent->messages(ticketId))
            n += str(m, "kind") == QLatin1String("outbound") && str(m, "status") == QLatin1String("pending");
        return n;
    };
    EXPECT_TRUE(QTest::qWaitFor([&] { return pendingReplies() == 0; }, 90000));
    mark("no reply pending");
    int outbound = 0;
    for (const QJsonObject &m : agent->messages(ticketId))
        if (str(m, "kind") == QLatin1String("outbound") && str(m, "body").startsWith(QLatin1String("resposta "))) {
            ++outbound;
            EXPECT_TRUE(str(m, "status") == QLatin1String("sent") || str(m, "status") == QLatin1String("delivered") ||
                        str(m, "status") == QLatin1String("read"))
                << str(m, "body").toStdString() << ": " << str(m, "status").toStdString();
        }
    EXPECT_EQ(outbound, allReplies.size());
}
