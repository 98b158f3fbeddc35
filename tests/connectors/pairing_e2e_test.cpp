// End to end with the real Session against the in-process simulated WhatsApp (atende::wasim::Simulator):
// an admin creates a WhatsApp connection and starts pairing through the REST API, receives the QR text as a
// connectionPairing event on the WebSocket, the simulated phone scans it, and the connection reaches
// connected. After a server restart on the same database it is connected again without a new QR.

// First: the protocol headers name atende::core as "core::", which atende::server::core (declared by the
// server fixture's headers) would otherwise shadow.
#include "tests/wasim/simulator.h"

#include "server_fixture.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTest>

#include <gtest/gtest.h>

using namespace atende;

namespace {

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

} // namespace

TEST(PairingEndToEnd, QrThroughTheApiThenRestartWithoutANewQr)
{
    wasim::Simulator sim;
    ASSERT_TRUE(sim.start().ok());
    QByteArray raw(32, '\0');
    for (char &c : raw)
        c = char(QRandomGenerator::system()->bounded(256));
    const QStringList args{QStringLiteral("--whatsapp-url=") + sim.wsUrl().toString(),
                           QStringLiteral("--whatsapp-trust-root=") +
                               QString::fromLatin1(sim.trustRootPublicKey().toHex()),
                           QStringLiteral("--whatsapp-trust-root-serial=%1").arg(wasim::Simulator::trustRootSerial()),
                           QStringLiteral("--master-key=") + QString::fromLatin1(raw.toBase64())};
    auto fx = std::make_unique<test::ServerFixture>();
    ASSERT_TRUE(fx->start(QStringLiteral("wa-e2e"), args + QStringList{QStringLiteral("--instance-id=e2e-1")}));
    const QByteArray token = fx->token(QStringLiteral("acme"), QStringLiteral("admin"));
    ASSERT_FALSE(token.isEmpty());

    test::WsJsonClient ws;
    ASSERT_TRUE(ws.open(fx->port()));
    ws.authenticate(QString::fromUtf8(token));

    const test::TestResponse created = fx->callJson("POST", "/api/v1/connections",
                                                    QJsonObject{{QStringLiteral("name"), QStringLiteral("Vendas")},
                                                                {QStringLiteral("kind"), QStringLiteral("whatsapp")}},
                                                    token);
    ASSERT_EQ(created.status, 200) << created.body.toStdString();
    const QString id = created.json().value(QStringLiteral("id")).toString();
    const test::TestResponse pairing =
        fx->callJson("POST", "/api/v1/connections/" + id.toUtf8() + "/pairing", QJsonObject{}, token);
    ASSERT_EQ(pairing.status, 200) << pairing.body.toStdString();

    ASSERT_TRUE(QTest::qWaitFor([&] { return !qrOf(ws.events()).isEmpty(); }, 20000)) << "no QR event";
    const QString qr = qrOf(ws.events());
    const test::TestResponse current = fx->call("GET", "/api/v1/connections/" + id.toUtf8() + "/pairing", {}, token);
    EXPECT_EQ(current.json().value(QStringLiteral("value")).toString(), qr);

    core::Result<QString> scanned = sim.scan(qr);
    ASSERT_TRUE(scanned.ok()) << scanned.error().message.toStdString();
    ASSERT_TRUE(QTest::qWaitFor([&] { return healthState(*fx, token, id) == QLatin1String("connected"); }, 30000))
        << healthState(*fx, token, id).toStdString();
    EXPECT_TRUE(fx->superuserQuery(QStringLiteral("SELECT paired::text FROM whatsapp_sessions"))
                    .contains(QStringLiteral("true")));

    // Restart on the same database: logs in with the stored credentials, no QR.
    auto second = std::make_unique<test::ServerFixture>();
    const test::ServerFixture &firstRef = *fx;
    fx->stop();
    ASSERT_TRUE(second->startPeer(firstRef, QStringLiteral("wa-e2e-2"),
                                  args + QStringList{QStringLiteral("--instance-id=e2e-2")}));
    const QByteArray token2 = second->token(QStringLiteral("acme"), QStringLiteral("admin"));
    test::WsJsonClient ws2;
    ASSERT_TRUE(ws2.open(second->port()));
    ws2.authenticate(QString::fromUtf8(token2));
    ASSERT_TRUE(QTest::qWaitFor([&] { return healthState(*second, token2, id) == QLatin1String("connected"); }, 30000))
        << healthState(*second, token2, id).toStdString();
    EXPECT_TRUE(qrOf(ws2.events()).isEmpty()) << "a restart must not need a new QR";
    EXPECT_EQ(sim.devices().size(), 1);
    const QStringList states =
        second->superuserQuery(QStringLiteral("SELECT state || '/' || instance_id FROM connection_events ORDER BY id"));
    std::printf("timeline: %s\n", qPrintable(states.join(QLatin1String(", "))));
    EXPECT_TRUE(states.contains(QStringLiteral("connected/e2e-1")));
    EXPECT_TRUE(states.contains(QStringLiteral("connected/e2e-2")));
    second->stop();
}
