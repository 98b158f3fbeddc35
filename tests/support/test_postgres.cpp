#include "tests/support/test_postgres.h"

#include "tests/support/test_connection.h"

#include <QDir>
#include <QElapsedTimer>
#include <cstdio>
#include <gtest/gtest.h>

namespace atende::test {

namespace {

// Stops the cluster while QCoreApplication still exists (at the end of RUN_ALL_TESTS).
class StopClusterEnvironment : public ::testing::Environment {
public:
    explicit StopClusterEnvironment(TestPostgres *pg)
        : m_pg(pg)
    {}
    void TearDown() override { m_pg->shutdown(); }

private:
    TestPostgres *m_pg;
};

} // namespace

TestPostgres &testPostgres()
{
    // The one process-wide object of this library: the cluster belongs to the test process as a whole.
    static TestPostgres instance;
    instance.ensureStarted();
    return instance;
}

server::db::DbConfig freshDatabase(const QString &prefix)
{
    return testPostgres().freshDatabase(prefix);
}

TestPostgres::~TestPostgres()
{
    shutdown();
}

void TestPostgres::ensureStarted()
{
    QMutexLocker lock(&m_mutex);
    if (m_attempted) {
        if (!m_cluster)
            ADD_FAILURE() << "test PostgreSQL cluster is not available: " << m_error.toStdString();
        return;
    }
    m_attempted = true;
    QElapsedTimer timer;
    timer.start();
    // The directory (and its watchdog) first: a test killed during initdb must not leave it behind.
    m_dir = std::make_unique<PostgresDir>();
    if (!m_dir->isValid()) {
        m_error = QStringLiteral("could not create a temp dir in %1: %2").arg(QDir::tempPath(), m_dir->errorString());
        ADD_FAILURE() << m_error.toStdString();
        return;
    }
    auto cluster = std::make_unique<server::db::EmbeddedPostgres>(m_dir->options(/*unsafeFast=*/true));
    if (auto s = cluster->start(); !s.ok()) {
        m_error = s.error().message;
        ADD_FAILURE() << "test PostgreSQL cluster did not start: " << m_error.toStdString();
        static_cast<void>(cluster->stop()); // best effort: a half-started postmaster must not linger
        return;                             // the error carries the log tail; shutdown() removes the directory
    }
    m_cluster = std::move(cluster);
    // Registered on first use; gtest tears environments down after the last test, in reverse order.
    ::testing::AddGlobalTestEnvironment(new StopClusterEnvironment(this));
    if (qEnvironmentVariableIntValue("ATENDE_TEST_PG_VERBOSE") == 1)
        std::fprintf(stderr, "test PostgreSQL cluster up in %lld ms (%s)\n", qint64(timer.elapsed()),
                     qPrintable(m_dir->path()));
}

server::db::DbConfig TestPostgres::superuserConfig() const
{
    return m_cluster ? m_cluster->superuserConfig() : server::db::DbConfig{};
}

server::db::DbConfig TestPostgres::freshDatabase(const QString &prefix)
{
    server::db::DbConfig config = superuserConfig();
    int n = 0;
    {
        QMutexLocker lock(&m_mutex);
        n = ++m_databases;
    }
    const QString name = QStringLiteral("%1_%2").arg(prefix).arg(n).toLower();
    if (!m_cluster) {
        ADD_FAILURE() << "no test PostgreSQL cluster: " << m_error.toStdString();
        config.database = name;
        return config;
    }
    TestConnection admin(config);
    if (!admin.isOpen()) {
        ADD_FAILURE() << "cannot connect to the test cluster: " << admin.openError().toStdString();
    } else {
        QString quoted = name;
        quoted.replace(QLatin1Char('"'), QStringLiteral("\"\""));
        admin.exec(QStringLiteral("CREATE DATABASE \"%1\"").arg(quoted));
    }
    config.database = name;
    return config;
}

void TestPostgres::shutdown()
{
    QMutexLocker lock(&m_mutex);
    if (m_cluster) {
        if (auto s = m_cluster->stop(); !s.ok())
            std::fprintf(stderr, "test PostgreSQL cluster did not stop: %s\n", qPrintable(s.error().message));
        m_cluster.reset();
    }
    m_dir.reset(); // stops whatever still runs there, removes the directory unless ATENDE_TEST_PG_KEEP
}

QString databaseUrl(const server::db::DbConfig &config)
{
    return QStringLiteral("postgresql://%1@localhost:%2/%3?host=%4")
        .arg(config.user)
        .arg(config.port)
        .arg(config.database, config.host);
}

} // namespace atende::test
