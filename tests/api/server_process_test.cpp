// atende-server as a real process: embedded PostgreSQL on an empty data directory, readiness within 15 s,
// SIGTERM -> exit 0 within 10 s with no PostgreSQL left behind, cluster reuse on the second start,
// configuration precedence and --help, and two instances racing their migrations on one database (and then
// sharing tokens and events).

#include "http_test_client.h"

#include "server/core/config.h"
#include "tests/api/server_process.h"
#include "tests/support/free_port.h"
#include "tests/support/test_connection.h"
#include "tests/support/test_postgres.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>
#include <QWebSocket>

#include <gtest/gtest.h>

#include <csignal>

using namespace atende;

namespace {

using test::testTmp;

// The server under test, its log captured for the assertions on what it says.
class ServerProcess : public test::ServerProcess {
public:
    ServerProcess(const QString &dataDir, quint16 port, const QStringList &extra = {})
        : test::ServerProcess(QStringLiteral(ATENDE_SERVER_BINARY), dataDir, port, extra, Output::CaptureStderr)
    {
    }
};

qint64 postmasterPid(const QString &dataDir)
{
    QFile f(dataDir + QStringLiteral("/pgdata/postmaster.pid"));
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    return f.readLine().trimmed().toLongLong();
}

bool processAlive(qint64 pid)
{
    if (pid <= 0 || ::kill(pid_t(pid), 0) != 0)
        return false;
    // A zombie is gone for our purposes (its parent, not us, must reap it).
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    return !(stat.open(QIODevice::ReadOnly) && stat.readAll().contains(") Z "));
}

} // namespace

TEST(ServerProcess, EmbeddedClusterLifecycle)
{
    QTemporaryDir tmp(testTmp() + QStringLiteral("/server-XXXXXX"));
    ASSERT_TRUE(tmp.isValid());
    QFile::setPermissions(tmp.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner |
                                          QFileDevice::ExeOther | QFileDevice::ExeGroup);
    const QString data = tmp.path() + QStringLiteral("/data");
    const quint16 port = test::freePort();

    {
        QElapsedTimer t;
        t.start();
        ServerProcess s(data, port);
        ASSERT_TRUE(s.waitReady(15000)) << "not ready within 15 s";
        std::printf("first start on an empty data dir: ready after %lld ms\n", static_cast<long long>(t.elapsed()));
        EXPECT_EQ(test::httpGet(port, "/healthz").status, 200);

        const auto docs = test::httpGet(port, "/docs/json");
        EXPECT_EQ(docs.status, 200);
        EXPECT_EQ(docs.json().value(QStringLiteral("openapi")).toString(), QStringLiteral("3.0.3"));
        EXPECT_TRUE(test::httpGet(port, "/metrics").body.contains("atende_db_workers"));

        const qint64 pm = postmasterPid(data);
        EXPECT_TRUE(processAlive(pm));

        QElapsedTimer stop;
        stop.start();
        ::kill(pid_t(s.proc().processId()), SIGTERM);
        ASSERT_TRUE(s.proc().waitForFinished(10000)) << "did not exit within 10 s of SIGTERM";
        EXPECT_EQ(s.proc().exitStatus(), QProcess::NormalExit);
        EXPECT_EQ(s.proc().exitCode(), 0);
        std::printf("SIGTERM to exit: %lld ms\n", static_cast<long long>(stop.elapsed()));
        // pg_ctl -w returns once postmaster.pid is gone, which the postmaster removes just before it exits.
        EXPECT_TRUE(QTest::qWaitFor([pm] { return !processAlive(pm); }, 2000)) << "postmaster " << pm << " left behind";
        EXPECT_FALSE(QFile::exists(data + QStringLiteral("/pgdata/postmaster.pid")));
    }
    {
        // The second start reuses the cluster (no initdb: the cluster's system identifier is unchanged).
        const QByteArray before = QFile(data + QStringLiteral("/pgdata/global/pg_control")).exists() ? "yes" : "no";
        EXPECT_EQ(before, "yes");
        QElapsedTimer t;
        t.start();
        ServerProcess s(data, port);
        ASSERT_TRUE(s.waitReady(15000));
        std::printf("second start (existing cluster): ready after %lld ms\n", static_cast<long long>(t.elapsed()));
        ::kill(pid_t(s.proc().processId()), SIGTERM);
        ASSERT_TRUE(s.proc().waitForFinished(10000));
        EXPECT_EQ(s.proc().exitCode(), 0);
    }
}

TEST(ServerProcess, HelpListsEveryKey)
{
    QProcess p;
    p.start(QStringLiteral(ATENDE_SERVER_BINARY), {QStringLiteral("--help")});
    ASSERT_TRUE(p.waitForFinished(10000));
    EXPECT_EQ(p.exitCode(), 0);
    const QString out = QString::fromUtf8(p.readAllStandardOutput());
    for (const server::core::ConfigKey &k : server::core::configKeys()) {
        const QString key = QLatin1String(k.key).toString();
        EXPECT_TRUE(out.contains(QStringLiteral("--") + QString(key).replace(QLatin1Char('_'), QLatin1Char('-'))))
            << k.key;
        EXPECT_TRUE(out.contains(server::core::ServerConfig::envName(key))) << k.key;
    }
}

TEST(ServerProcess, RefusesBadConfigurationClearly)
{
    QProcess p;
    p.start(QStringLiteral(ATENDE_SERVER_BINARY), {QStringLiteral("--listen-address=0.0.0.0")});
    ASSERT_TRUE(p.waitForFinished(10000));
    EXPECT_EQ(p.exitCode(), 2);
    EXPECT_TRUE(p.readAllStandardError().contains("without TLS"));

    QProcess q;
    q.start(QStringLiteral(ATENDE_SERVER_BINARY), {QStringLiteral("--no-such-key=1")});
    ASSERT_TRUE(q.waitForFinished(10000));
    EXPECT_EQ(q.exitCode(), 2);
    EXPECT_TRUE(q.readAllStandardError().contains("unknown option"));
}

TEST(ServerProcess, TwoInstancesRaceTheirMigrations)
{
    const server::db::DbConfig db = test::freshDatabase(QStringLiteral("race"));
    const QString url = test::databaseUrl(db);
    QTemporaryDir a(testTmp() + QStringLiteral("/a-XXXXXX")), b(testTmp() + QStringLiteral("/b-XXXXXX"));
    const quint16 pa = test::freePort();
    quint16 pb = test::freePort();
    while (pb == pa)
        pb = test::freePort();
    // Instances of one database share the master key (a different one is refused: master_key_mismatch).
    QByteArray raw(32, '\0');
    for (char &c : raw)
        c = char(QRandomGenerator::system()->bounded(256));
    const QString masterKey = QStringLiteral("--master-key=") + QString::fromLatin1(raw.toBase64());
    ServerProcess one(a.path(), pa, {QStringLiteral("--database-url=") + url, masterKey});
    ServerProcess two(b.path(), pb, {QStringLiteral("--database-url=") + url, masterKey});
    ASSERT_TRUE(one.waitReady(15000));
    ASSERT_TRUE(two.waitReady(15000));

    test::TestConnection conn(db);
    ASSERT_TRUE(conn.isOpen());
    EXPECT_EQ(conn.scalar(QStringLiteral("SELECT count(*) FROM schema_migrations")).toInt(),
              conn.scalar(QStringLiteral("SELECT count(DISTINCT version) FROM schema_migrations")).toInt());
    EXPECT_GE(conn.scalar(QStringLiteral("SELECT count(*) FROM schema_migrations")).toInt(), 1);

    // The signing keys are shared through the database: a token from one instance works on the other.
    const QStringList common{QStringLiteral("--database-url=") + url, masterKey};
    QProcess tenant;
    tenant.start(QStringLiteral(ATENDE_SERVER_BINARY),
                 QStringList{QStringLiteral("admin"), QStringLiteral("create-tenant"), QStringLiteral("--name=Race"),
                             QStringLiteral("--slug=race")} +
                     common);
    ASSERT_TRUE(tenant.waitForFinished(30000));
    ASSERT_EQ(tenant.exitCode(), 0) << tenant.readAllStandardError().toStdString();
    QProcess user;
    user.start(QStringLiteral(ATENDE_SERVER_BINARY),
               QStringList{QStringLiteral("admin"), QStringLiteral("create-user"), QStringLiteral("--tenant=race"),
                           QStringLiteral("--email=ana@race.example"), QStringLiteral("--name=Ana"),
                           QStringLiteral("--role=agent"), QStringLiteral("--password-stdin")} +
                   common);
    user.write("a-long-enough-password\n");
    user.closeWriteChannel();
    ASSERT_TRUE(user.waitForFinished(30000));
    ASSERT_EQ(user.exitCode(), 0) << user.readAllStandardError().toStdString();
    const auto login = test::httpPost(pa, "/api/v1/auth/login",
                                      R"({"email":"ana@race.example","password":"a-long-enough-password"})");
    ASSERT_EQ(login.status, 200) << login.body.toStdString();
    const QByteArray access = login.json().value(QStringLiteral("accessToken")).toString().toUtf8();
    const auto me = test::rawRequest(pb, "GET /api/v1/auth/me HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                                         "Authorization: Bearer " +
                                             access + "\r\n\r\n");
    EXPECT_EQ(me.status, 200) << me.body.toStdString();

    // Events cross processes (LISTEN/NOTIFY): a contact created through one instance reaches a WebSocket
    // client of the other with the seq stored in the event log.
    QWebSocket ws;
    QList<QJsonObject> events;
    bool session = false;
    QObject::connect(&ws, &QWebSocket::textMessageReceived, [&](const QString &t) {
        const QJsonObject o = QJsonDocument::fromJson(t.toUtf8()).object();
        if (o.contains(QStringLiteral("event")))
            events.append(o.value(QStringLiteral("event")).toObject());
        session = session || o.contains(QStringLiteral("session"));
    });
    ws.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/api/v1/ws").arg(pb)));
    ASSERT_TRUE(QTest::qWaitFor([&] { return ws.state() == QAbstractSocket::ConnectedState; }, 5000));
    ws.sendTextMessage(QStringLiteral(R"({"id":"1","access_token":"%1"})").arg(QString::fromUtf8(access)));
    ASSERT_TRUE(QTest::qWaitFor([&] { return session; }, 10000));
    const QByteArray body = R"({"name":"Maria"})";
    const auto created =
        test::rawRequest(pa, "POST /api/v1/contacts HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                             "Content-Type: application/json\r\nAuthorization: Bearer " +
                                 access + "\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body);
    ASSERT_EQ(created.status, 200) << created.body.toStdString();
    ASSERT_TRUE(QTest::qWaitFor([&] { return !events.isEmpty(); }, 10000)) << "no event on the other instance";
    EXPECT_TRUE(events.first().contains(QStringLiteral("contactChanged")));
    EXPECT_EQ(events.first().value(QStringLiteral("seq")).toString(),
              conn.scalar(QStringLiteral("SELECT max(seq) FROM event_log")).toString());
}

TEST(ServerProcess, AnInstanceWithAnotherMasterKeyIsRefused)
{
    const server::db::DbConfig db = test::freshDatabase(QStringLiteral("mkey"));
    const QString url = test::databaseUrl(db);
    QTemporaryDir a(testTmp() + QStringLiteral("/a-XXXXXX")), b(testTmp() + QStringLiteral("/b-XXXXXX"));
    ServerProcess one(a.path(), test::freePort(), {QStringLiteral("--database-url=") + url});
    ASSERT_TRUE(one.waitReady(15000));
    // b's data dir gets its own, new key file: the database's keys are wrapped by a's.
    QProcess two;
    two.start(QStringLiteral(ATENDE_SERVER_BINARY),
              {QStringLiteral("--data-dir=") + b.path(), QStringLiteral("--port=0"),
               QStringLiteral("--database-url=") + url});
    ASSERT_TRUE(two.waitForFinished(30000));
    EXPECT_NE(two.exitCode(), 0);
    EXPECT_TRUE(two.readAllStandardError().contains("master")) << "the refusal names the master key";
}

TEST(ServerProcess, RefusesANewerSchema)
{
    const server::db::DbConfig db = test::freshDatabase(QStringLiteral("newer"));
    const QString url = test::databaseUrl(db);
    {
        test::TestConnection conn(db);
        ASSERT_TRUE(conn.exec(QStringLiteral(
            "CREATE TABLE schema_migrations (version int PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, "
            "applied_at timestamptz NOT NULL DEFAULT now()); "
            "INSERT INTO schema_migrations VALUES (9999, 'from_the_future', 'x')")));
    }
    QTemporaryDir dir(testTmp() + QStringLiteral("/n-XXXXXX"));
    QProcess p;
    p.start(QStringLiteral(ATENDE_SERVER_BINARY),
            {QStringLiteral("--database-url=") + url, QStringLiteral("--data-dir=") + dir.path(),
             QStringLiteral("--port=%1").arg(test::freePort())});
    ASSERT_TRUE(p.waitForFinished(15000));
    EXPECT_NE(p.exitCode(), 0);
    const QByteArray err = p.readAllStandardError();
    EXPECT_TRUE(err.contains("9999")) << err.toStdString();
    EXPECT_TRUE(err.contains("newer")) << err.toStdString();
}
