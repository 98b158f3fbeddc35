#include "tests/e2e/e2e_env.h"

#include "tests/support/free_port.h"
#include "tests/support/test_postgres.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QRandomGenerator>
#include <QTest>

#include <algorithm>
#include <csignal>
#include <cstdio>

namespace atende::e2e {

namespace {
// ATENDE_E2E_LOG_LEVEL=info|debug shows the server's reasoning when a test fails (default: warnings only).
QString logLevel()
{
    const QString level = qEnvironmentVariable("ATENDE_E2E_LOG_LEVEL");
    return level.isEmpty() ? QStringLiteral("warning") : level;
}

QString str(const QJsonObject &o, const char *key)
{
    return o.value(QLatin1String(key)).toString();
}
} // namespace

void E2eTest::SetUp()
{
    wasim = std::make_unique<WasimProcess>();
    ASSERT_TRUE(wasim->start(QStringLiteral(ATENDE_WASIM_BINARY))) << "atende-wasim did not start";
    const AdminReply user = wasim->admin(
        "POST", QStringLiteral("/admin/users"),
        QJsonObject{{QStringLiteral("phone"), business()}, {QStringLiteral("push_name"), QStringLiteral("Loja E2E")}});
    ASSERT_EQ(user.status, 201);

    m_dir = std::make_unique<QTemporaryDir>(test::testTmp() + QStringLiteral("/e2e-XXXXXX"));
    QFile::setPermissions(m_dir->path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner |
                                             QFileDevice::ExeOther | QFileDevice::ExeGroup);
    m_databaseUrl = test::databaseUrl(test::freshDatabase(QStringLiteral("e2e")));
    QByteArray raw(32, '\0');
    for (char &c : raw)
        c = char(QRandomGenerator::system()->bounded(256));
    m_masterKey = QString::fromLatin1(raw.toBase64());
    m_port = test::freePort();
    ASSERT_TRUE(startServer()) << "atende-server not ready";
    ASSERT_TRUE(prepareTenant());
    ASSERT_TRUE(pairConnection());

    customer = std::make_unique<BaileysCustomer>();
    ASSERT_TRUE(customer->start(QStringLiteral(ATENDE_NODE), QStringLiteral(ATENDE_CUSTOMER_SCRIPT), *wasim,
                                QLatin1String(kCustomerPhone), QStringLiteral("Cliente Baileys")))
        << customer->diagnostics().toStdString();
    ASSERT_EQ(customer->jid(), QLatin1String(kCustomerPhone) + QStringLiteral("@s.whatsapp.net"));
    ASSERT_TRUE(agent->openEvents()) << "agent WebSocket";
}

void E2eTest::TearDown()
{
    if (HasFailure() && customer)
        std::printf("%s\n", qPrintable(customer->diagnostics()));
    customer.reset();
    agent.reset();
    admin.reset();
    if (server && server->proc().state() != QProcess::NotRunning) {
        ::kill(pid_t(server->proc().processId()), SIGTERM);
        server->proc().waitForFinished(15000);
    }
    server.reset();
    wasim.reset();
}

bool E2eTest::startServer()
{
    server.reset();
    server = std::make_unique<test::ServerProcess>(
        QStringLiteral(ATENDE_SERVER_BINARY), m_dir->path() + QStringLiteral("/data"), m_port,
        QStringList{QStringLiteral("--database-url=") + m_databaseUrl, QStringLiteral("--master-key=") + m_masterKey,
                    QStringLiteral("--database-workers=2"), QStringLiteral("--log-format=text"),
                    QStringLiteral("--log-level=") + logLevel(), QStringLiteral("--instance-id=e2e"),
                    QStringLiteral("--rate-limit-ip-per-second=0"), QStringLiteral("--rate-limit-user-per-second=0"),
                    QStringLiteral("--whatsapp-url=") + wasim->wsUrl(),
                    QStringLiteral("--whatsapp-trust-root=") + wasim->trustRoot(),
                    QStringLiteral("--whatsapp-trust-root-serial=0")});
    if (!server->waitReady(60000))
        return false;
    // After a restart: sign in again (a token may outlive the process, but the test must not depend on it).
    if (agent && !agent->login(m_agentEmail, m_agentPassword))
        return false;
    if (admin && !admin->login(m_adminEmail, m_adminPassword))
        return false;
    return true;
}

void E2eTest::killServer()
{
    ::kill(pid_t(server->proc().processId()), SIGKILL);
    server->proc().waitForFinished(10000);
}

bool E2eTest::prepareTenant()
{
    QProcess demo;
    demo.start(QStringLiteral(ATENDE_SERVER_BINARY),
               QStringList{QStringLiteral("admin"), QStringLiteral("demo"), QStringLiteral("--slug=e2e"),
                           QStringLiteral("--database-url=") + m_databaseUrl,
                           QStringLiteral("--master-key=") + m_masterKey, QStringLiteral("--log-level=warning")});
    if (!demo.waitForFinished(60000) || demo.exitCode() != 0) {
        ADD_FAILURE() << "admin demo: " << demo.readAllStandardError().toStdString();
        return false;
    }
    // "  agent       agent@e2e.atende.example   PASSWORD"
    for (const QByteArray &line : demo.readAllStandardOutput().split('\n')) {
        const QList<QByteArray> f = line.simplified().split(' ');
        if (f.size() != 3)
            continue;
        if (f[0] == "agent") {
            m_agentEmail = QString::fromUtf8(f[1]);
            m_agentPassword = QString::fromUtf8(f[2]);
        } else if (f[0] == "admin") {
            m_adminEmail = QString::fromUtf8(f[1]);
            m_adminPassword = QString::fromUtf8(f[2]);
        }
    }
    agent = std::make_unique<DeskClient>(m_port);
    admin = std::make_unique<DeskClient>(m_port);
    const bool ok = agent->login(m_agentEmail, m_agentPassword) && admin->login(m_adminEmail, m_adminPassword);
    EXPECT_TRUE(ok) << "demo users cannot sign in";
    return ok;
}

bool E2eTest::pairConnection()
{
    const ApiReply created = admin->call("POST", QStringLiteral("/api/v1/connections"),
                                         QJsonObject{{QStringLiteral("name"), QStringLiteral("WhatsApp E2E")},
                                                     {QStringLiteral("kind"), QStringLiteral("whatsapp")}});
    connectionId = str(created.json, "id");
    EXPECT_EQ(created.status, 200);
    if (connectionId.isEmpty())
        return false;
    const ApiReply started = admin->call("POST", QStringLiteral("/api/v1/connections/%1/pairing").arg(connectionId),
                                         QJsonObject{{QStringLiteral("method"), QStringLiteral("qr")}});
    EXPECT_EQ(started.status, 200);
    QString qr;
    (void)QTest::qWaitFor(
        [&] {
            const ApiReply p = admin->call("GET", QStringLiteral("/api/v1/connections/%1/pairing").arg(connectionId));
            if (str(p.json, "kind") == QLatin1String("qr"))
                qr = str(p.json, "value");
            return !qr.isEmpty();
        },
        30000);
    EXPECT_FALSE(qr.isEmpty()) << "no QR";
    if (qr.isEmpty())
        return false;
    const AdminReply scan =
        wasim->admin("POST", QStringLiteral("/admin/scan"),
                     QJsonObject{{QStringLiteral("qr"), qr}, {QStringLiteral("phone"), business()}});
    EXPECT_EQ(scan.status, 200);
    const bool up = waitConnection(QStringLiteral("connected"), 30000);
    EXPECT_TRUE(up) << "the WhatsApp connection did not connect";
    return up;
}

bool E2eTest::waitConnection(const QString &state, int ms)
{
    return QTest::qWaitFor(
        [&] {
            const ApiReply h = admin->call("GET", QStringLiteral("/api/v1/connections/%1/health").arg(connectionId));
            return str(h.json, "state") == state;
        },
        ms);
}

QString E2eTest::openTicket(const QString &text)
{
    if (customer->send(business(), text).isEmpty())
        return {};
    QJsonObject ticket;
    (void)QTest::qWaitFor(
        [&] {
            ticket = agent->ticketOf(QLatin1String(kCustomerPhone));
            return !ticket.isEmpty();
        },
        30000);
    const QString id = str(ticket, "id");
    if (id.isEmpty())
        return {};
    if (str(ticket, "state") != QLatin1String("in_service")) {
        const ApiReply accepted = agent->call("POST", QStringLiteral("/api/v1/tickets/%1/accept").arg(id));
        if (accepted.status != 200) {
            ADD_FAILURE() << "accept: " << accepted.status;
            return {};
        }
    }
    return id;
}

bool E2eTest::waitInbound(const QString &ticketId, int n, int ms)
{
    return QTest::qWaitFor([&] { return inboundOf(agent->messages(ticketId)).size() >= n; }, ms);
}

void E2eTest::dumpState(const QString &ticketId)
{
    const QString device = wasim->deviceOf(business());
    const auto compact = [](const AdminReply &r) {
        return QString::fromUtf8(r.array.isEmpty() ? QJsonDocument(r.object).toJson(QJsonDocument::Compact)
                                                   : QJsonDocument(r.array).toJson(QJsonDocument::Compact));
    };
    std::printf(
        "business device %s queue: %s\n", qPrintable(device),
        qPrintable(compact(wasim->admin("GET", QStringLiteral("/admin/devices/%1/queue").arg(device))).left(3000)));
    std::printf("counters: %s\n",
                qPrintable(compact(wasim->admin("GET", QStringLiteral("/admin/devices/%1/counters").arg(device)))));
    std::printf(
        "health: %s\n",
        qPrintable(QString::fromUtf8(
            QJsonDocument(admin->call("GET", QStringLiteral("/api/v1/connections/%1/health").arg(connectionId)).json)
                .toJson(QJsonDocument::Compact))));
    const QJsonArray events = wasim->admin("GET", QStringLiteral("/admin/events")).array;
    for (qsizetype i = std::max<qsizetype>(0, events.size() - 25); i < events.size(); ++i)
        std::printf("wasim event: %s\n", qPrintable(events[i].toString()));
    if (!ticketId.isEmpty())
        for (const QJsonObject &m : agent->messages(ticketId))
            std::printf("stored %s %s ext=%s status=%s\n", qPrintable(str(m, "kind")),
                        qPrintable(str(m, "body").left(40)), qPrintable(str(m, "externalId")),
                        qPrintable(str(m, "status")));
    std::fflush(stdout);
}

QStringList E2eTest::statusesOf(const QString &messageId) const
{
    QStringList out;
    for (const QJsonObject &e : agent->events()) {
        const QJsonObject m =
            e.value(QStringLiteral("messageChanged")).toObject().value(QStringLiteral("message")).toObject();
        if (str(m, "id") == messageId)
            out << str(m, "status");
    }
    return out;
}

} // namespace atende::e2e
