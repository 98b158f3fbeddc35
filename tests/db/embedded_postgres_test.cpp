// EmbeddedPostgres against the real PostgreSQL 15 binaries: create, reuse, crash recovery, clean stop,
// private socket. Each test owns its cluster (in a temp dir) because it stops or kills it.

#include "server/db/embedded_postgres.h"
#include "tests/support/free_port.h"
#include "tests/support/postgres_dir.h"
#include "tests/support/status_assertions.h"
#include "tests/support/test_connection.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSqlError>
#include <QThread>
#include <csignal>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

using atende::server::db::EmbeddedPostgres;
using atende::server::db::EmbeddedPostgresOptions;
using atende::test::isOk;
using atende::test::PostgresDir;
using atende::test::TestConnection;

namespace {

// Gone, or a zombie nobody reaps (PID 1 in containers often does not): either way not running.
bool processGone(qint64 pid)
{
    if (::kill(pid_t(pid), 0) != 0 && errno == ESRCH)
        return true;
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return true;
    const QByteArray line = stat.readAll();
    const int close = line.lastIndexOf(')');
    return close >= 0 && close + 2 < line.size() && line.at(close + 2) == 'Z';
}

bool waitGone(qint64 pid, int ms = 5000)
{
    QDeadlineTimer deadline(ms);
    while (!processGone(pid)) {
        if (deadline.hasExpired())
            return false;
        QThread::msleep(10);
    }
    return true;
}

// Live children of `pid` (the postmaster's checkpointer, walwriter, backends...).
QList<qint64> liveChildren(qint64 pid)
{
    QList<qint64> out;
    const QStringList entries = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &e : entries) {
        bool numeric = false;
        const qint64 child = e.toLongLong(&numeric);
        if (!numeric)
            continue;
        QFile stat(QStringLiteral("/proc/%1/stat").arg(child));
        if (!stat.open(QIODevice::ReadOnly))
            continue;
        const QByteArray line = stat.readAll();
        const QList<QByteArray> rest = line.mid(line.lastIndexOf(')') + 2).split(' ');
        if (rest.size() > 1 && rest.at(1).toLongLong() == pid && rest.at(0) != "Z")
            out << child;
    }
    return out;
}

} // namespace

TEST(EmbeddedPostgres, FirstStartCreatesSecondStartReuses)
{
    PostgresDir dir;
    ASSERT_TRUE(dir.isValid());
    const EmbeddedPostgresOptions options = dir.options();
    QString systemId;
    {
        EmbeddedPostgres pg(options);
        EXPECT_FALSE(pg.isRunning());
        ASSERT_TRUE(isOk(pg.start()));
        EXPECT_TRUE(pg.isRunning());
        EXPECT_TRUE(QFileInfo::exists(pg.clusterDir() + QStringLiteral("/PG_VERSION")));
        TestConnection conn(pg.superuserConfig());
        ASSERT_TRUE(conn.isOpen()) << conn.openError().toStdString();
        systemId = conn.scalar(QStringLiteral("SELECT system_identifier::text FROM pg_control_system()")).toString();
        EXPECT_EQ(conn.scalar(QStringLiteral("SHOW server_encoding")).toString(), QStringLiteral("UTF8"));
        EXPECT_TRUE(conn.exec(QStringLiteral("CREATE TABLE kept(v text); INSERT INTO kept VALUES ('survives')")));
        ASSERT_TRUE(isOk(pg.stop()));
        EXPECT_FALSE(pg.isRunning());
    }
    {
        EmbeddedPostgres pg(options);
        ASSERT_TRUE(isOk(pg.start()));
        TestConnection conn(pg.superuserConfig());
        ASSERT_TRUE(conn.isOpen()) << conn.openError().toStdString();
        // Same cluster (initdb did not run again), same data.
        EXPECT_EQ(conn.scalar(QStringLiteral("SELECT system_identifier::text FROM pg_control_system()")).toString(),
                  systemId);
        EXPECT_EQ(conn.scalar(QStringLiteral("SELECT v FROM kept")).toString(), QStringLiteral("survives"));
        conn.db().close();
        ASSERT_TRUE(isOk(pg.stop()));
    }
    QFile log(dir.path() + QStringLiteral("/postgresql.log"));
    ASSERT_TRUE(log.open(QIODevice::ReadOnly));
    const QByteArray text = log.readAll();
    EXPECT_EQ(text.count("---- "), 1) << "initdb ran more than once";
    EXPECT_TRUE(text.contains("database system is ready to accept connections"));
}

TEST(EmbeddedPostgres, StopLeavesNoPostgresProcess)
{
    PostgresDir dir;
    EmbeddedPostgres pg(dir.options());
    ASSERT_TRUE(isOk(pg.start()));
    const qint64 pid = pg.postmasterPid();
    ASSERT_GT(pid, 0);
    TestConnection conn(pg.superuserConfig()); // one backend too
    ASSERT_TRUE(conn.isOpen());
    const QList<qint64> children = liveChildren(pid);
    EXPECT_GE(children.size(), 3) << "expected checkpointer, walwriter, a backend...";

    ASSERT_TRUE(isOk(pg.stop()));
    EXPECT_TRUE(processGone(pid)) << "postmaster " << pid << " still running";
    for (qint64 child : children)
        EXPECT_TRUE(waitGone(child, 2000)) << "postgres child " << child << " still running";
    EXPECT_FALSE(QFileInfo::exists(pg.clusterDir() + QStringLiteral("/postmaster.pid")));
    EXPECT_EQ(pg.postmasterPid(), 0);
    EXPECT_TRUE(isOk(pg.stop())) << "second stop must be harmless";
}

TEST(EmbeddedPostgres, RestartsAfterPostmasterWasKilled)
{
    PostgresDir dir;
    // Durable settings: the committed row must survive the crash because it reached the WAL.
    EmbeddedPostgres pg(dir.options(/*unsafeFast=*/false));
    ASSERT_TRUE(isOk(pg.start()));
    const qint64 pid = pg.postmasterPid();
    {
        TestConnection conn(pg.superuserConfig());
        ASSERT_TRUE(conn.isOpen());
        EXPECT_TRUE(conn.exec(QStringLiteral("CREATE TABLE crash(v int); INSERT INTO crash VALUES (42)")));

        ASSERT_EQ(::kill(pid_t(pid), SIGKILL), 0);
        ASSERT_TRUE(waitGone(pid));
    }
    // postmaster.pid is left behind, naming a dead (or zombie) process.
    EXPECT_TRUE(QFileInfo::exists(pg.clusterDir() + QStringLiteral("/postmaster.pid")));
    EXPECT_FALSE(pg.isRunning());

    ASSERT_TRUE(isOk(pg.start()));
    EXPECT_NE(pg.postmasterPid(), pid);
    {
        TestConnection conn(pg.superuserConfig());
        ASSERT_TRUE(conn.isOpen()) << conn.openError().toStdString();
        EXPECT_EQ(conn.scalar(QStringLiteral("SELECT v FROM crash")).toInt(), 42);
    }
    ASSERT_TRUE(isOk(pg.stop()));
    QFile log(pg.logFile());
    ASSERT_TRUE(log.open(QIODevice::ReadOnly));
    EXPECT_TRUE(log.readAll().contains("database system was interrupted"));
}

TEST(EmbeddedPostgres, DoesNotRestartWhileAnOrphanedBackendIsStillAttached)
{
    PostgresDir dir;
    EmbeddedPostgres pg(dir.options());
    ASSERT_TRUE(isOk(pg.start()));
    const qint64 postmaster = pg.postmasterPid();
    TestConnection conn(pg.superuserConfig());
    ASSERT_TRUE(conn.isOpen());
    const qint64 backend = conn.scalar(QStringLiteral("SELECT pg_backend_pid()")).toLongLong();
    ASSERT_GT(backend, 0);
    // A frozen backend cannot notice its postmaster's death: it stays attached to the shared memory.
    ASSERT_EQ(::kill(pid_t(backend), SIGSTOP), 0);
    ASSERT_EQ(::kill(pid_t(postmaster), SIGKILL), 0);
    ASSERT_TRUE(waitGone(postmaster));

    const auto refused = pg.start();
    ::kill(pid_t(backend), SIGCONT);
    ASSERT_FALSE(refused.ok()) << "a second postmaster next to a live backend would corrupt the cluster";
    EXPECT_TRUE(refused.error().message.contains(QLatin1String("processes attached")))
        << refused.error().message.toStdString();

    ASSERT_TRUE(waitGone(backend));
    ASSERT_TRUE(isOk(pg.start()));
    TestConnection again(pg.superuserConfig());
    EXPECT_EQ(again.scalar(QStringLiteral("SELECT 1")).toInt(), 1);
    ASSERT_TRUE(isOk(pg.stop()));
}

TEST(EmbeddedPostgres, SocketIsPrivateAndThereIsNoTcpListenerByDefault)
{
    PostgresDir dir;
    EmbeddedPostgres pg(dir.options());
    ASSERT_TRUE(isOk(pg.start()));
    struct stat st {};
    ASSERT_EQ(::stat(QFile::encodeName(pg.socketDir()).constData(), &st), 0);
    EXPECT_EQ(st.st_mode & 07777, 0700u);
    if (::geteuid() == 0) {
        EXPECT_NE(st.st_uid, 0u) << "the cluster must not run as root";
        EXPECT_NE(pg.osUser(), QStringLiteral("root"));
    }
    {
        TestConnection conn(pg.superuserConfig());
        ASSERT_TRUE(conn.isOpen());
        EXPECT_EQ(conn.scalar(QStringLiteral("SHOW listen_addresses")).toString(), QString());
        EXPECT_EQ(conn.scalar(QStringLiteral("SHOW unix_socket_permissions")).toString(), QStringLiteral("0700"));
        EXPECT_EQ(conn.scalar(QStringLiteral("SHOW fsync")).toString(), QStringLiteral("off"));
        EXPECT_EQ(conn.scalar(QStringLiteral("SHOW lc_ctype")).toString(), QStringLiteral("C.UTF-8"));
        EXPECT_EQ(conn.scalar(QStringLiteral("SELECT upper('ação')")).toString(), QStringLiteral("AÇÃO"));
    }
    EXPECT_TRUE(isOk(pg.start())) << "start() on a running cluster is a no-op";
    // Another object (another process, in real life) can stop what this one started, also as root.
    EmbeddedPostgres other(dir.options());
    EXPECT_TRUE(other.isRunning());
    ASSERT_TRUE(isOk(other.stop()));
    EXPECT_FALSE(pg.isRunning());
}

TEST(EmbeddedPostgres, TcpListenerAsksForAPassword)
{
    PostgresDir dir;
    EmbeddedPostgresOptions options = dir.options();
    options.tcpPort = atende::test::freePort();
    ASSERT_GT(options.tcpPort, 0);
    EmbeddedPostgres pg(options);
    ASSERT_TRUE(isOk(pg.start()));
    atende::server::db::DbConfig tcp = pg.superuserConfig();
    tcp.host = QStringLiteral("127.0.0.1");
    EXPECT_EQ(tcp.port, options.tcpPort);
    {
        TestConnection conn(tcp);
        EXPECT_FALSE(conn.isOpen());
        EXPECT_TRUE(conn.openError().contains(QLatin1String("password"))) << conn.openError().toStdString();
    }
    {
        TestConnection conn(pg.superuserConfig()); // the socket is trusted
        EXPECT_TRUE(conn.isOpen());
    }
    ASSERT_TRUE(isOk(pg.stop()));
}

TEST(EmbeddedPostgres, AsRootRefusesAParentTheClusterUserCannotEnterUnlessAllowed)
{
    if (::geteuid() != 0)
        GTEST_SKIP() << "only root switches the cluster to another OS user";
    PostgresDir dir; // 0700, owned by root
    ASSERT_TRUE(QDir().mkpath(dir.path() + QStringLiteral("/private")));
    QFile::setPermissions(dir.path() + QStringLiteral("/private"),
                          QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    EmbeddedPostgresOptions options;
    options.dataDir = dir.path() + QStringLiteral("/private/data");
    options.unsafeFast = true;
    {
        EmbeddedPostgres pg(options);
        const auto status = pg.start();
        ASSERT_FALSE(status.ok());
        EXPECT_TRUE(status.error().message.contains(QStringLiteral("cannot enter %1").arg(dir.path())))
            << status.error().message.toStdString();
        EXPECT_FALSE(pg.isRunning());
    }
    options.grantParentSearch = true;
    EmbeddedPostgres pg(options);
    ASSERT_TRUE(isOk(pg.start()));
    EXPECT_TRUE(QFileInfo(dir.path()).permissions() & QFile::ExeOther);
    // The data dir itself is only opened to the cluster user's group, never to others.
    EXPECT_FALSE(QFileInfo(options.dataDir).permissions() & QFile::ExeOther);
    ASSERT_TRUE(isOk(pg.stop()));
}
