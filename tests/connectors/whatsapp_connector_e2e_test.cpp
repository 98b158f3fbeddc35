// The WhatsApp connector end to end inside one process: an in-process atende-server paired with the
// simulated WhatsApp (wasim Simulator), and a customer phone built on our own client library (wasim
// Customer: Session + SignalAccount + Messenger). Customer text → ticket with the right contact and message;
// agent reply through messages.send (job → OutboundSender → connector) → the customer decrypts exactly that
// text; delivery and read receipts move the status; typing both ways; then the server restarts on the same
// database (the Signal state comes back from PgSignalStore): the conversation continues, nothing is
// duplicated.

// First: the protocol headers name atende::core as "core::" (see pairing_e2e_test.cpp).
#include "server/signal/signal_context.h"
#include "tests/wasim/customer.h"
#include "tests/wasim/simulator.h"

#include "server_fixture.h"
#include "tests/support/await.h"

#include <QJsonArray>
#include <QRandomGenerator>
#include <QTest>

#include <gtest/gtest.h>

using namespace atende;
using server::whatsapp::Jid;

namespace {

constexpr auto kBusiness = "15550000001";
constexpr auto kCustomer = "15550000002";

QString healthState(test::ServerFixture &fx, const QByteArray &token, const QString &id)
{
    const test::TestResponse r = fx.call("GET", "/api/v1/connections/" + id.toUtf8() + "/health", {}, token);
    return r.json().value(QStringLiteral("state")).toString();
}

QString qrOf(const QList<QJsonObject> &events)
{
    QString qr;
    for (const QJsonObject &e : events) {
        const QJsonObject p =
            e.value(QStringLiteral("connectionPairing")).toObject().value(QStringLiteral("pairing")).toObject();
        if (p.value(QStringLiteral("kind")).toString() == QLatin1String("qr"))
            qr = p.value(QStringLiteral("value")).toString();
    }
    return qr;
}

int typingEvents(const QList<QJsonObject> &events, bool composing)
{
    int n = 0;
    for (const QJsonObject &e : events)
        if (e.contains(QStringLiteral("typing")) &&
            e.value(QStringLiteral("typing")).toObject().value(QStringLiteral("typing")).toBool() == composing)
            ++n;
    return n;
}

class WhatsAppConnectorE2E : public ::testing::Test {
protected:
    void SetUp() override
    {
        ASSERT_TRUE(sim.start().ok());
        ASSERT_TRUE(sim.createUser({QString::fromLatin1(kBusiness), QStringLiteral("Loja"), {}}).ok());
        ASSERT_TRUE(sim.createUser({QString::fromLatin1(kCustomer), QStringLiteral("Maria"), {}}).ok());
        QByteArray raw(32, '\0');
        for (char &c : raw)
            c = char(QRandomGenerator::system()->bounded(256));
        args = QStringList{QStringLiteral("--whatsapp-url=") + sim.wsUrl().toString(),
                           QStringLiteral("--whatsapp-trust-root=") +
                               QString::fromLatin1(sim.trustRootPublicKey().toHex()),
                           QStringLiteral("--whatsapp-trust-root-serial=%1").arg(wasim::Simulator::trustRootSerial()),
                           QStringLiteral("--master-key=") + QString::fromLatin1(raw.toBase64())};
    }
    void TearDown() override
    {
        customer.reset();
        QTest::qWait(20);
    }
    QStringList q(test::ServerFixture &fx, const QString &sql) { return fx.superuserQuery(sql); }
    // Messages of kind `kind` in the database, as "body|status".
    QStringList messages(test::ServerFixture &fx, const QString &kind)
    {
        return q(fx, QStringLiteral("SELECT body || '|' || status FROM messages WHERE kind = '%1' ORDER BY created_at")
                         .arg(kind));
    }
    bool waitFor(const std::function<bool()> &f, int ms = 20000) { return QTest::qWaitFor(f, ms); }
    core::Result<QString> customerSends(const QString &text)
    {
        const Jid to = Jid::make(QString::fromLatin1(kBusiness), QString(Jid::kUserServer));
        return test::await(customer->messenger()->sendText(to, text));
    }
    int customerGot(const QString &text) const
    {
        int n = 0;
        for (const wasim::CustomerMessage &m : customer->messages())
            n += m.message.content.text == text ? 1 : 0;
        return n;
    }

    // Starts `fx` as instance `instance`, creates a WhatsApp connection and pairs it with the business number.
    QString startAndPair(test::ServerFixture &fx, const QString &instance)
    {
        if (!fx.start(QStringLiteral("wa-conn-") + instance,
                      args + QStringList{QStringLiteral("--instance-id=") + instance}))
            return {};
        const QByteArray token = fx.token(QStringLiteral("acme"), QStringLiteral("admin"));
        test::WsJsonClient ws;
        if (!ws.open(fx.port()))
            return {};
        ws.authenticate(QString::fromUtf8(token));
        const test::TestResponse created =
            fx.callJson("POST", "/api/v1/connections",
                        QJsonObject{{QStringLiteral("name"), QStringLiteral("Vendas")},
                                    {QStringLiteral("kind"), QStringLiteral("whatsapp")}},
                        token);
        const QString id = created.json().value(QStringLiteral("id")).toString();
        if (fx.callJson("POST", "/api/v1/connections/" + id.toUtf8() + "/pairing", QJsonObject{}, token).status != 200)
            return {};
        if (!waitFor([&] { return !qrOf(ws.events()).isEmpty(); }))
            return {};
        wasim::ScanOptions scan;
        scan.phone = QString::fromLatin1(kBusiness);
        if (!sim.scan(qrOf(ws.events()), scan).ok())
            return {};
        if (!waitFor([&] { return healthState(fx, token, id) == QLatin1String("connected"); }, 30000))
            return {};
        return id;
    }
    bool connectCustomer()
    {
        customer = std::make_unique<wasim::Customer>(sim, context, QString::fromLatin1(kCustomer));
        customer->start();
        return waitFor([&] { return customer->isConnected(); });
    }

    wasim::Simulator sim;
    server::signal::SignalContext context;
    std::unique_ptr<wasim::Customer> customer;
    QStringList args;
};

} // namespace

TEST_F(WhatsAppConnectorE2E, ConversationReceiptsTypingAndRestart)
{
    auto fx = std::make_unique<test::ServerFixture>();
    ASSERT_TRUE(fx->start(QStringLiteral("wa-conn"), args + QStringList{QStringLiteral("--instance-id=wc-1")}));
    const QByteArray token = fx->token(QStringLiteral("acme"), QStringLiteral("admin"));
    test::WsJsonClient ws;
    ASSERT_TRUE(ws.open(fx->port()));
    ws.authenticate(QString::fromUtf8(token));

    // Pair the business number.
    const test::TestResponse created = fx->callJson("POST", "/api/v1/connections",
                                                    QJsonObject{{QStringLiteral("name"), QStringLiteral("Vendas")},
                                                                {QStringLiteral("kind"), QStringLiteral("whatsapp")}},
                                                    token);
    ASSERT_EQ(created.status, 200) << created.body.toStdString();
    const QString connectionId = created.json().value(QStringLiteral("id")).toString();
    ASSERT_EQ(
        fx->callJson("POST", "/api/v1/connections/" + connectionId.toUtf8() + "/pairing", QJsonObject{}, token).status,
        200);
    ASSERT_TRUE(waitFor([&] { return !qrOf(ws.events()).isEmpty(); })) << "no QR event";
    wasim::ScanOptions scan;
    scan.phone = QString::fromLatin1(kBusiness);
    ASSERT_TRUE(sim.scan(qrOf(ws.events()), scan).ok());
    ASSERT_TRUE(waitFor([&] { return healthState(*fx, token, connectionId) == QLatin1String("connected"); }, 30000));

    // The customer's phone.
    customer = std::make_unique<wasim::Customer>(sim, context, QString::fromLatin1(kCustomer));
    customer->start();
    ASSERT_TRUE(waitFor([&] { return customer->isConnected(); })) << "customer did not connect";

    // Customer → ticket.
    const QString hello = QStringLiteral("Olá! Preciso de ajuda com o pedido 42 🙂");
    core::Result<QString> sent = customerSends(hello);
    ASSERT_TRUE(sent.ok()) << sent.error().code.toStdString();
    ASSERT_TRUE(waitFor([&] { return messages(*fx, QStringLiteral("inbound")).size() == 1; }))
        << "the message did not reach the desk";
    EXPECT_EQ(messages(*fx, QStringLiteral("inbound")).first(), hello + QStringLiteral("|received"));
    EXPECT_EQ(q(*fx, QStringLiteral("SELECT external_id FROM messages WHERE kind = 'inbound'")).first(), sent.value());
    const QStringList identities =
        q(*fx, QStringLiteral("SELECT kind || ':' || value FROM contact_identities ORDER BY kind"));
    EXPECT_TRUE(identities.contains(QStringLiteral("wa_phone:") + QString::fromLatin1(kCustomer)))
        << identities.join(QLatin1Char(',')).toStdString();
    EXPECT_EQ(q(*fx, QStringLiteral("SELECT count(DISTINCT contact_id) FROM contact_identities")).first(),
              QStringLiteral("1"));
    EXPECT_EQ(q(*fx, QStringLiteral("SELECT name FROM contacts")).first(), QStringLiteral("Maria"));
    const QString ticketId = q(*fx, QStringLiteral("SELECT ticket_id FROM messages WHERE kind = 'inbound'")).first();

    // Agent reply through the API → the job → the connector → the customer's phone.
    ASSERT_EQ(fx->callJson("POST", "/api/v1/tickets/" + ticketId.toUtf8() + "/accept", QJsonObject{}, token).status,
              200);
    const QString reply = QStringLiteral("Oi Maria, já vejo isso para você.");
    const test::TestResponse posted = fx->callJson("POST", "/api/v1/tickets/" + ticketId.toUtf8() + "/messages",
                                                   QJsonObject{{QStringLiteral("body"), reply}}, token);
    ASSERT_EQ(posted.status, 200) << posted.body.toStdString();
    ASSERT_TRUE(waitFor([&] { return customerGot(reply) == 1; })) << "the customer did not receive the reply";
    // The customer's messenger sent the delivery receipt: delivered, then read once the customer reads it.
    ASSERT_TRUE(waitFor([&] {
        return messages(*fx, QStringLiteral("outbound")) == QStringList{reply + QStringLiteral("|delivered")};
    })) << messages(*fx, QStringLiteral("outbound")).join(QLatin1Char(',')).toStdString();
    const wasim::CustomerMessage got = customer->messages().back();
    EXPECT_EQ(got.message.id,
              q(*fx, QStringLiteral("SELECT external_id FROM messages WHERE kind = 'outbound'")).first());
    EXPECT_TRUE(got.message.id.startsWith(QLatin1String("3EB0")));
    ASSERT_TRUE(customer->messenger()->sendRead(got.message.sender, {got.message.id}).ok());
    ASSERT_TRUE(waitFor([&] {
        return messages(*fx, QStringLiteral("outbound")) == QStringList{reply + QStringLiteral("|read")};
    })) << messages(*fx, QStringLiteral("outbound")).join(QLatin1Char(',')).toStdString();

    // The agent opens the ticket: the customer gets a read receipt for their message.
    ASSERT_EQ(fx->callJson("POST", "/api/v1/tickets/" + ticketId.toUtf8() + "/read", QJsonObject{}, token).status, 200);
    ASSERT_TRUE(waitFor([&] {
        for (const wasim::CustomerReceipt &r : customer->receipts())
            if (r.id == sent.value() && r.type == QLatin1String("read"))
                return true;
        return false;
    })) << "no read receipt reached the customer";

    // Typing both ways.
    ASSERT_TRUE(customer->messenger()
                    ->sendChatState(Jid::make(QString::fromLatin1(kBusiness), QString(Jid::kUserServer)), true)
                    .ok());
    ASSERT_TRUE(waitFor([&] { return typingEvents(ws.events(), true) >= 1; })) << "no typing event for the agent";
    const test::TestResponse typing = fx->callJson("POST", "/api/v1/tickets/" + ticketId.toUtf8() + "/typing",
                                                   QJsonObject{{QStringLiteral("composing"), true}}, token);
    ASSERT_EQ(typing.status, 200) << typing.body.toStdString();
    EXPECT_TRUE(typing.json().value(QStringLiteral("delivered")).toBool());
    ASSERT_TRUE(waitFor([&] {
        for (const wasim::CustomerChatState &c : customer->chatStates())
            if (c.composing && c.from.startsWith(QLatin1String(kBusiness)))
                return true;
        return false;
    })) << "the customer did not see the agent typing";

    // The customer's presence reaches the console (the connector subscribed when they wrote).
    ASSERT_TRUE(customer->messenger()->sendPresence(false).ok());
    ASSERT_TRUE(waitFor([&] {
        for (const QJsonObject &e : ws.events())
            if (e.value(QStringLiteral("presence")).toObject().value(QStringLiteral("presence")).toString() ==
                QLatin1String("unavailable"))
                return true;
        return false;
    })) << "no presence event";

    // A message type we do not model (Message field 99) still becomes a message of the ticket.
    {
        const Jid to = Jid::make(QString::fromLatin1(kBusiness), QString(Jid::kUserServer));
        core::Result<QString> odd = test::await(customer->messenger()->sendMessage(to, QByteArray("\x9a\x06\x00", 3)));
        ASSERT_TRUE(odd.ok()) << odd.error().code.toStdString();
        ASSERT_TRUE(waitFor([&] { return messages(*fx, QStringLiteral("inbound")).size() == 2; }))
            << "an unknown message type vanished";
        EXPECT_EQ(
            q(*fx,
              QStringLiteral("SELECT count(*) FROM messages WHERE external_id = '%1' AND body <> ''").arg(odd.value()))
                .first(),
            QStringLiteral("1"));
    }

    // The Signal state is in PostgreSQL, encrypted.
    EXPECT_GE(q(*fx, QStringLiteral("SELECT count(*) FROM whatsapp_signal_sessions")).first().toInt(), 1);
    EXPECT_GE(q(*fx, QStringLiteral("SELECT count(*) FROM whatsapp_signal_identities")).first().toInt(), 1);

    // Restart: a new instance on the same database rebuilds the account from PgSignalStore.
    auto second = std::make_unique<test::ServerFixture>();
    const test::ServerFixture &firstRef = *fx;
    fx->stop();
    ASSERT_TRUE(second->startPeer(firstRef, QStringLiteral("wa-conn-2"),
                                  args + QStringList{QStringLiteral("--instance-id=wc-2")}));
    const QByteArray token2 = second->token(QStringLiteral("acme"), QStringLiteral("admin"));
    ASSERT_TRUE(
        waitFor([&] { return healthState(*second, token2, connectionId) == QLatin1String("connected"); }, 30000));
    const QString again = QStringLiteral("Ainda está aí? (mensagem depois do reinício)");
    core::Result<QString> sent2 = customerSends(again);
    ASSERT_TRUE(sent2.ok()) << sent2.error().code.toStdString();
    ASSERT_TRUE(waitFor([&] { return messages(*second, QStringLiteral("inbound")).size() == 3; }))
        << messages(*second, QStringLiteral("inbound")).join(QLatin1Char(',')).toStdString();
    const QStringList inbound = messages(*second, QStringLiteral("inbound"));
    EXPECT_EQ(inbound.first(), hello + QStringLiteral("|received"));
    EXPECT_EQ(inbound.last(), again + QStringLiteral("|received"));
    EXPECT_EQ(q(*second, QStringLiteral("SELECT count(*) FROM tickets")).first(), QStringLiteral("1"));
    const QString reply2 = QStringLiteral("Sim! Seu pedido sai hoje.");
    ASSERT_EQ(second
                  ->callJson("POST", "/api/v1/tickets/" + ticketId.toUtf8() + "/messages",
                             QJsonObject{{QStringLiteral("body"), reply2}}, token2)
                  .status,
              200);
    ASSERT_TRUE(waitFor([&] { return customerGot(reply2) == 1; })) << "no reply after the restart";
    EXPECT_EQ(customerGot(reply), 1) << "the first reply must not come again";
    EXPECT_EQ(customer->repeatedHandOuts(), 0);
    second->stop();
}

TEST_F(WhatsAppConnectorE2E, MessagesSentWhileTheServerIsDownArriveOnceInOrder)
{
    auto fx = std::make_unique<test::ServerFixture>();
    const QString connectionId = startAndPair(*fx, QStringLiteral("wo-1"));
    ASSERT_FALSE(connectionId.isEmpty()) << "pairing failed";
    ASSERT_TRUE(connectCustomer()) << "customer did not connect";
    ASSERT_TRUE(customerSends(QStringLiteral("primeira")).ok());
    ASSERT_TRUE(waitFor([&] { return messages(*fx, QStringLiteral("inbound")).size() == 1; }));

    // The server goes away; the customer keeps writing (the simulator queues for the offline device).
    const test::ServerFixture &firstRef = *fx;
    auto second = std::make_unique<test::ServerFixture>();
    fx->stop();
    QStringList expected{QStringLiteral("primeira|received")};
    for (int i = 1; i <= 20; ++i) {
        const QString text = QStringLiteral("offline %1 — ñ 🚀").arg(i);
        core::Result<QString> sent = customerSends(text);
        ASSERT_TRUE(sent.ok()) << i << ": " << sent.error().code.toStdString();
        expected.append(text + QStringLiteral("|received"));
    }
    ASSERT_TRUE(second->startPeer(firstRef, QStringLiteral("wa-conn-wo-2"),
                                  args + QStringList{QStringLiteral("--instance-id=wo-2")}));
    ASSERT_TRUE(waitFor([&] { return messages(*second, QStringLiteral("inbound")).size() >= 21; }, 30000))
        << messages(*second, QStringLiteral("inbound")).size();
    QTest::qWait(500); // a duplicate would arrive right behind
    EXPECT_EQ(messages(*second, QStringLiteral("inbound")), expected);
    EXPECT_EQ(q(*second, QStringLiteral("SELECT count(*) FROM tickets")).first(), QStringLiteral("1"));
    // Phone and LID of the customer belong to the one contact (the LID when the network told us).
    const QStringList identities =
        q(*second, QStringLiteral("SELECT kind || ':' || value FROM contact_identities ORDER BY kind"));
    std::printf("identities: %s\n", qPrintable(identities.join(QLatin1String(", "))));
    EXPECT_EQ(q(*second, QStringLiteral("SELECT count(DISTINCT contact_id) FROM contact_identities")).first(),
              QStringLiteral("1"));
    second->stop();
}
