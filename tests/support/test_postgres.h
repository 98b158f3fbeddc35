#pragma once
// One throwaway PostgreSQL cluster per test process (link atende_test_pg).
//
// testPostgres() starts it on first use: an EmbeddedPostgres with unsafeFast (fsync off) in a PostgresDir
// ($TMPDIR/atende-pg-XXXXXX), Unix socket only, so test binaries running in parallel never collide. It
// works as root (the cluster then runs as `postgres`, see embedded_postgres.h) and as a normal user. It is
// stopped and its directory removed when the tests end (a gtest Environment's TearDown, or the process's
// exit handlers when gtest is not in charge); PostgresDir's watchdog covers a process that dies first.
//
// Tests should not share state through the cluster: freshDatabase() creates a new, uniquely named, empty
// database (CREATE DATABASE from template1) and returns its superuser config. The cluster itself must stay
// up: a test that stops or kills a cluster makes its own EmbeddedPostgres in its own PostgresDir.
//
// ATENDE_TEST_PG_KEEP=1 keeps the directory (and its postgresql.log) for a post-mortem; the path is printed.
// ATENDE_TEST_PG_VERBOSE=1 prints how long the cluster took to come up.

#include "server/db/db_config.h"
#include "server/db/embedded_postgres.h"
#include "tests/support/postgres_dir.h"

#include <QMutex>
#include <QString>
#include <memory>

namespace atende::test {

class TestPostgres {
public:
    ~TestPostgres();
    TestPostgres(const TestPostgres &) = delete;
    TestPostgres &operator=(const TestPostgres &) = delete;

    // False when the cluster could not start; error() says why (it was also reported as a test failure).
    bool ok() const { return m_cluster != nullptr; }
    QString error() const { return m_error; }

    server::db::EmbeddedPostgres &cluster() { return *m_cluster; }
    // Superuser (`postgres`) on the `postgres` database, over the socket.
    server::db::DbConfig superuserConfig() const;
    // CREATE DATABASE <prefix>_<n>; returns its config. Thread-safe.
    server::db::DbConfig freshDatabase(const QString &prefix = QStringLiteral("test"));

    // Stops the cluster and removes its directory; called at the end of the test run. Idempotent.
    void shutdown();

private:
    friend TestPostgres &testPostgres();
    TestPostgres() = default;
    void ensureStarted();

    QMutex m_mutex;
    bool m_attempted = false;
    std::unique_ptr<PostgresDir> m_dir;
    std::unique_ptr<server::db::EmbeddedPostgres> m_cluster;
    QString m_error;
    int m_databases = 0;
};

// The process's cluster, started on first call.
TestPostgres &testPostgres();
// The config as a database_url for atende-server (socket directory in ?host=).
QString databaseUrl(const server::db::DbConfig &config);
// Shorthand for testPostgres().freshDatabase().
server::db::DbConfig freshDatabase(const QString &prefix = QStringLiteral("test"));

} // namespace atende::test
