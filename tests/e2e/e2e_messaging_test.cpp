// End to end with Baileys 7.0.0-rc14 as the customer's phone (issue 6, label e2e): text → ticket → agent
// reply decrypted exactly; delivery and read receipts both ways; typing both ways; 100 messages each way;
// unicode, a 4,000-character message and a message type nobody knows. Everything goes through the real
// processes: Baileys ⇄ atende-wasim ⇄ atende-server (WhatsApp connector, desk, REST and WebSocket API).

#include "tests/e2e/e2e_env.h"

#include "tests/api/http_test_client.h"

#include <QJsonArray>
#include <QSet>
#include <QTest>

#include <cstdio>

using namespace atende::e2e;

namespace {

QString str(const QJsonObject &o, const char *key)
{
    return o.value(QLatin1String(key)).toString();
}

// The customer's received texts (with prefix) — the business number must be the sender of each.
QStringList textsFrom(const QList<QJsonObject> &messages, const QString &businessJid)
{
    QStringList out;
    for (const QJsonObject &m : messages)
        out << (str(m, "from") == businessJid ? str(m, "text") : QStringLiteral("<from %1>").arg(str(m, "from")));
    return out;
}

} // namespace

class E2eMessaging : public E2eTest {};

TEST_F(E2eMessaging, CustomerTextBecomesATicketAndTheAgentsReplyIsDecryptedExactly)
{
    const QString first = QStringLiteral("Olá, preciso de ajuda com o pedido 4471");
    const QString ticketId = openTicket(first);
    ASSERT_FALSE(ticketId.isEmpty()) << "no ticket for the customer";
    const QJsonObject ticket = agent->call("GET", QStringLiteral("/api/v1/tickets/") + ticketId).json;
    EXPECT_TRUE(str(ticket, "contactPhone").endsWith(QLatin1String(kCustomerPhone)))
        << str(ticket, "contactPhone").toStdString();
    EXPECT_EQ(str(ticket, "connectionId"), connectionId);
    EXPECT_EQ(str(ticket, "contactName"), QStringLiteral("Cliente Baileys")) << "push name as the contact's name";

    const QList<QJsonObject> inbound = inboundOf(agent->messages(ticketId));
    ASSERT_EQ(inbound.size(), 1);
    EXPECT_EQ(str(inbound[0], "body"), first);
    const QString sentId =
        customer->eventsOf(QStringLiteral("sent")).first().json.value(QStringLiteral("id")).toString();
    EXPECT_EQ(str(inbound[0], "externalId"), sentId) << "the WhatsApp message id is kept";

    const QString answer = QStringLiteral("Claro! Já estou verificando o pedido 4471 📦");
    const QJsonObject stored = agent->reply(ticketId, answer);
    ASSERT_FALSE(stored.isEmpty());
    const QString businessJid = business() + QStringLiteral("@s.whatsapp.net");
    ASSERT_TRUE(
        customer->waitFor([&] { return !customer->messagesWithPrefix(QStringLiteral("Claro!")).isEmpty(); }, 30000))
        << customer->diagnostics().toStdString();
    const QList<QJsonObject> got = customer->messagesWithPrefix(QStringLiteral("Claro!"));
    ASSERT_EQ(got.size(), 1);
    EXPECT_EQ(str(got[0], "text"), answer) << "Baileys decrypted exactly what the agent sent";
    EXPECT_EQ(str(got[0], "from"), businessJid);
    // The stored outbound message carries the WhatsApp id Baileys saw.
    EXPECT_TRUE(QTest::qWaitFor(
        [&] {
            for (const QJsonObject &m : agent->messages(ticketId))
                if (str(m, "id") == str(stored, "id"))
                    return str(m, "externalId") == str(got[0], "id");
            return false;
        },
        15000));
}

TEST_F(E2eMessaging, DeliveryAndReadReceiptsBothWays)
{
    const QString ticketId = openTicket(QStringLiteral("Bom dia"));
    ASSERT_FALSE(ticketId.isEmpty());
    const QString inboundId =
        customer->eventsOf(QStringLiteral("sent")).first().json.value(QStringLiteral("id")).toString();
    const auto customerGot = [&](const QString &type) {
        for (const CustomerEvent &e : customer->eventsOf(QStringLiteral("receipt")))
            if (e.json.value(QStringLiteral("type")).toString() == type &&
                e.json.value(QStringLiteral("ids")).toArray().contains(inboundId))
                return true;
        return false;
    };
    // Server → customer: delivered once the message is committed; read when the agent opens the ticket.
    EXPECT_TRUE(customer->waitFor([&] { return customerGot(QStringLiteral("delivered")); }, 20000));
    const ApiReply read = agent->call("POST", QStringLiteral("/api/v1/tickets/%1/read").arg(ticketId));
    ASSERT_EQ(read.status, 200);
    EXPECT_TRUE(read.json.value(QStringLiteral("receiptQueued")).toBool());
    EXPECT_TRUE(customer->waitFor([&] { return customerGot(QStringLiteral("read")); }, 20000))
        << customer->diagnostics().toStdString();

    // Customer → server: the reply goes sent → delivered (Baileys' automatic receipt) → read (the customer
    // reads it), visible through the API and as messageChanged events on the agent's WebSocket.
    const QJsonObject stored = agent->reply(ticketId, QStringLiteral("Recibo: em que posso ajudar?"));
    ASSERT_FALSE(stored.isEmpty());
    const QString messageId = str(stored, "id");
    const auto statusNow = [&] {
        for (const QJsonObject &m : agent->messages(ticketId))
            if (str(m, "id") == messageId)
                return str(m, "status");
        return QString();
    };
    ASSERT_TRUE(QTest::qWaitFor([&] { return statusNow() == QLatin1String("delivered"); }, 30000))
        << statusNow().toStdString();
    ASSERT_TRUE(
        customer->waitFor([&] { return !customer->messagesWithPrefix(QStringLiteral("Recibo:")).isEmpty(); }, 5000));
    const QString waId = str(customer->messagesWithPrefix(QStringLiteral("Recibo:")).first(), "id");
    ASSERT_TRUE(customer->read(business(), {waId}));
    ASSERT_TRUE(QTest::qWaitFor([&] { return statusNow() == QLatin1String("read"); }, 30000))
        << statusNow().toStdString();
    EXPECT_TRUE(QTest::qWaitFor([&] { return statusesOf(messageId).contains(QStringLiteral("read")); }, 5000));
    const QStringList seen = statusesOf(messageId);
    EXPECT_TRUE(seen.contains(QStringLiteral("delivered"))) << seen.join(QLatin1Char(',')).toStdString();
    for (const QJsonObject &m : agent->messages(ticketId))
        if (str(m, "id") == messageId) {
            EXPECT_FALSE(str(m, "deliveredAt").isEmpty());
            EXPECT_FALSE(str(m, "readAt").isEmpty());
        }
}

TEST_F(E2eMessaging, TypingBothWays)
{
    const QString ticketId = openTicket(QStringLiteral("Oi"));
    ASSERT_FALSE(ticketId.isEmpty());
    const auto typingEvents = [&](bool state) {
        int n = 0;
        for (const QJsonObject &e : agent->events()) {
            const QJsonObject t = e.value(QStringLiteral("typing")).toObject();
            if (!t.isEmpty() && str(t, "ticketId") == ticketId && t.value(QStringLiteral("typing")).toBool() == state)
                ++n;
        }
        return n;
    };
    ASSERT_TRUE(customer->typing(business(), true));
    EXPECT_TRUE(QTest::qWaitFor([&] { return typingEvents(true) > 0; }, 15000)) << "customer composing → agent event";
    ASSERT_TRUE(customer->typing(business(), false));
    EXPECT_TRUE(QTest::qWaitFor([&] { return typingEvents(false) > 0; }, 15000)) << "customer paused → agent event";

    const auto chatstates = [&](const QString &state) {
        int n = 0;
        for (const CustomerEvent &e : customer->eventsOf(QStringLiteral("chatstate")))
            if (str(e.json, "state") == state && str(e.json, "from") == business() + QStringLiteral("@s.whatsapp.net"))
                ++n;
        return n;
    };
    const ApiReply on = agent->call("POST", QStringLiteral("/api/v1/tickets/%1/typing").arg(ticketId),
                                    QJsonObject{{QStringLiteral("composing"), true}});
    ASSERT_EQ(on.status, 200);
    EXPECT_TRUE(on.json.value(QStringLiteral("delivered")).toBool()) << "a live connector serves the connection";
    EXPECT_TRUE(customer->waitFor([&] { return chatstates(QStringLiteral("composing")) > 0; }, 15000));
    const ApiReply off = agent->call("POST", QStringLiteral("/api/v1/tickets/%1/typing").arg(ticketId),
                                     QJsonObject{{QStringLiteral("composing"), false}});
    ASSERT_EQ(off.status, 200);
    EXPECT_TRUE(customer->waitFor([&] { return chatstates(QStringLiteral("paused")) > 0; }, 15000));
}

TEST_F(E2eMessaging, HundredMessagesEachWayNoLossNoDuplicatesInOrder)
{
    const QString ticketId = openTicket(QStringLiteral("começando"));
    ASSERT_FALSE(ticketId.isEmpty());
    QStringList inbound;
    for (int i = 1; i <= 100; ++i)
        inbound << QStringLiteral("cliente #%1").arg(i, 3, 10, QLatin1Char('0'));
    for (const QString &t : inbound)
        customer->sendAsync(business(), t);
    ASSERT_TRUE(customer->waitFor([&] { return customer->eventsOf(QStringLiteral("sent")).size() >= 101; }, 90000))
        << customer->diagnostics().toStdString();
    QStringList sentIds;
    for (const CustomerEvent &e : customer->eventsOf(QStringLiteral("sent")).mid(1))
        sentIds << str(e.json, "id");
    ASSERT_TRUE(waitInbound(ticketId, 101, 60000)) << inboundOf(agent->messages(ticketId)).size();
    QTest::qWait(1000); // a duplicate would be stored by now
    const QList<QJsonObject> stored = inboundOf(agent->messages(ticketId)).mid(1);
    QStringList bodies, externalIds;
    for (const QJsonObject &m : stored) {
        bodies << str(m, "body");
        externalIds << str(m, "externalId");
    }
    EXPECT_EQ(bodies.join(QLatin1Char('|')).toStdString(), inbound.join(QLatin1Char('|')).toStdString())
        << "stored in the order sent, each once";
    EXPECT_EQ(externalIds, sentIds);

    QStringList outbound;
    for (int i = 1; i <= 100; ++i)
        outbound << QStringLiteral("agente #%1").arg(i, 3, 10, QLatin1Char('0'));
    for (const QString &t : outbound)
        ASSERT_FALSE(agent->reply(ticketId, t).isEmpty());
    const QString businessJid = business() + QStringLiteral("@s.whatsapp.net");
    ASSERT_TRUE(customer->waitFor(
        [&] { return customer->messagesWithPrefix(QStringLiteral("agente #")).size() >= 100; }, 90000))
        << customer->messagesWithPrefix(QStringLiteral("agente #")).size();
    QTest::qWait(1000);
    const QList<QJsonObject> got = customer->messagesWithPrefix(QStringLiteral("agente #"));
    EXPECT_EQ(textsFrom(got, businessJid).join(QLatin1Char('|')).toStdString(),
              outbound.join(QLatin1Char('|')).toStdString())
        << "Baileys got every reply once, in order";
    if (HasFailure()) {
        // Where the order changed: the order the server stored the WhatsApp ids and sent times.
        for (const QJsonObject &m : agent->messages(ticketId))
            if (str(m, "kind") == QLatin1String("outbound"))
                std::printf("stored %s ext=%s sent_at=%s\n", qPrintable(str(m, "body")),
                            qPrintable(str(m, "externalId")), qPrintable(str(m, "sentAt")));
    }
    QSet<QString> ids;
    for (const QJsonObject &m : got)
        ids.insert(str(m, "id"));
    EXPECT_EQ(ids.size(), 100);
}

TEST_F(E2eMessaging, UnicodeLongMessagesAndAnUnknownMessageType)
{
    const QString ticketId = openTicket(QStringLiteral("Olá! Ação, coração, pão — ñ ü ç 🇧🇷👍🏽"));
    ASSERT_FALSE(ticketId.isEmpty());
    QString longText;
    const QString chunk = QStringLiteral("Atenção à descrição: ");
    while (longText.size() < 4000)
        longText += chunk;
    longText.truncate(4000);
    const QStringList texts{QStringLiteral("مرحبا، أحتاج إلى مساعدة في طلبي"),
                            QStringLiteral("שלום, ההזמנה שלי לא הגיעה"),
                            QStringLiteral("mixed: abc עברית 123 العربية 😀"), longText};
    for (const QString &t : texts)
        ASSERT_FALSE(customer->send(business(), t).isEmpty());
    const QString unknownId = customer->sendUnknown(business());
    ASSERT_FALSE(unknownId.isEmpty()) << customer->diagnostics().toStdString();
    const QString after = QStringLiteral("depois do desconhecido");
    ASSERT_FALSE(customer->send(business(), after).isEmpty());

    ASSERT_TRUE(waitInbound(ticketId, 7, 60000)) << inboundOf(agent->messages(ticketId)).size();
    const QList<QJsonObject> stored = inboundOf(agent->messages(ticketId));
    QStringList bodies;
    bool unknownKept = false;
    for (const QJsonObject &m : stored) {
        if (str(m, "externalId") == unknownId)
            unknownKept = true;
        else
            bodies << str(m, "body");
    }
    EXPECT_TRUE(unknownKept) << "the unknown message must appear, never vanish";
    EXPECT_EQ(bodies.mid(1).join(QLatin1Char('|')).toStdString(),
              (texts + QStringList{after}).join(QLatin1Char('|')).toStdString());
    EXPECT_EQ(bodies.value(4).size(), 4000);
    EXPECT_EQ(atende::test::httpGet(server->port(), "/readyz").status, 200) << "the server survived";

    for (const QString &t : texts)
        ASSERT_FALSE(agent->reply(ticketId, QStringLiteral("R: ") + t).isEmpty());
    ASSERT_TRUE(
        customer->waitFor([&] { return customer->messagesWithPrefix(QStringLiteral("R: ")).size() >= 4; }, 60000));
    QStringList got;
    for (const QJsonObject &m : customer->messagesWithPrefix(QStringLiteral("R: ")))
        got << str(m, "text").mid(3);
    EXPECT_EQ(got.join(QLatin1Char('|')).toStdString(), texts.join(QLatin1Char('|')).toStdString())
        << "Baileys decrypted the unicode and the 4,000 characters exactly";
}
