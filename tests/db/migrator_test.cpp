// Migrator against real databases (one fresh database per test on the process's test cluster).

#include "server/db/migrator.h"
#include "tests/support/status_assertions.h"
#include "tests/support/test_connection.h"
#include "tests/support/test_postgres.h"

#include <QSqlQuery>
#include <QThread>
#include <gtest/gtest.h>
#include <latch>
#include <memory>
#include <optional>

using atende::server::db::Migration;
using atende::server::db::Migrator;
using atende::test::freshDatabase;
using atende::test::isError;
using atende::test::isOk;
using atende::test::TestConnection;

namespace {

Migration migration(int version, const char *name, const char *sql)
{
    Migration m;
    m.version = version;
    m.name = QString::fromLatin1(name);
    m.sql = QByteArray(sql);
    return m;
}

QList<Migration> threeMigrations()
{
    return {migration(1, "one",
                      "CREATE TABLE one(id int PRIMARY KEY); CREATE TABLE runs(migration int);"
                      "INSERT INTO runs VALUES (1);"),
            // Sleeps so that a second migrator arrives while this one still holds the lock.
            migration(2, "two", "SELECT pg_sleep(0.3); CREATE TABLE two(id int); INSERT INTO runs VALUES (2);"),
            migration(3, "three", "CREATE TABLE three(id int); INSERT INTO runs VALUES (3);")};
}

} // namespace

TEST(Migrator, BuiltInMigrationsAreCompiledInAndOrdered)
{
    const QList<Migration> all = Migrator::builtIn();
    ASSERT_FALSE(all.isEmpty());
    EXPECT_EQ(all.first().version, 1);
    EXPECT_EQ(all.first().name, QStringLiteral("init"));
    for (qsizetype i = 0; i < all.size(); ++i) {
        EXPECT_GT(all.at(i).version, i > 0 ? all.at(i - 1).version : 0);
        EXPECT_FALSE(all.at(i).sql.isEmpty());
        EXPECT_EQ(all.at(i).checksum.size(), 64);
    }
    EXPECT_EQ(Migrator(all).latestVersion(), all.last().version);
}

TEST(Migrator, AppliesBuiltInsRecordsThemAndSecondRunIsANoOp)
{
    TestConnection conn(freshDatabase());
    ASSERT_TRUE(conn.isOpen());
    auto before = Migrator::currentVersion(conn.db());
    ASSERT_TRUE(isOk(before));
    EXPECT_EQ(*before, 0);

    const Migrator migrator(Migrator::builtIn());
    auto first = migrator.migrate(conn.db());
    ASSERT_TRUE(isOk(first));
    EXPECT_EQ(*first, migrator.latestVersion());
    EXPECT_EQ(conn.scalar(QStringLiteral("SELECT count(*) FROM schema_migrations")).toInt(),
              Migrator::builtIn().size());
    EXPECT_EQ(conn.scalar(QStringLiteral("SELECT name || ':' || checksum FROM schema_migrations WHERE version = 1"))
                  .toString(),
              QStringLiteral("init:") + QString::fromLatin1(Migrator::builtIn().first().checksum));
    EXPECT_EQ(conn.scalar(QStringLiteral("SELECT to_regclass('server_instances') IS NOT NULL")).toBool(), true);
    const QString appliedAt = conn.scalar(QStringLiteral("SELECT string_agg(applied_at::text, ',' ORDER BY "
                                                         "version) FROM schema_migrations"))
                                  .toString();

    auto second = migrator.migrate(conn.db());
    ASSERT_TRUE(isOk(second));
    EXPECT_EQ(*second, *first);
    EXPECT_EQ(conn.scalar(QStringLiteral("SELECT string_agg(applied_at::text, ',' ORDER BY version) FROM "
                                         "schema_migrations"))
                  .toString(),
              appliedAt);
    auto after = Migrator::currentVersion(conn.db());
    ASSERT_TRUE(isOk(after));
    EXPECT_EQ(*after, migrator.latestVersion());
}

TEST(Migrator, TwoConcurrentMigratorsApplyEachMigrationExactlyOnce)
{
    const auto config = freshDatabase();
    const Migrator migrator(threeMigrations());
    std::latch ready(2);
    std::optional<atende::core::Result<int>> results[2];
    std::unique_ptr<QThread> threads[2];
    for (int i = 0; i < 2; ++i) {
        // Real QThreads, each opening its own connection (QSqlDatabase is per thread).
        threads[i].reset(QThread::create([&, i] {
            TestConnection conn(config);
            ready.arrive_and_wait();
            results[i].emplace(migrator.migrate(conn.db()));
        }));
        threads[i]->start();
    }
    for (auto &t : threads)
        ASSERT_TRUE(t->wait(30000));
    for (auto &r : results) {
        ASSERT_TRUE(r.has_value());
        ASSERT_TRUE(isOk(*r));
        EXPECT_EQ(r->value(), 3);
    }
    TestConnection conn(config);
    EXPECT_EQ(
        conn.scalar(QStringLiteral("SELECT string_agg(migration::text, ',' ORDER BY migration) FROM runs")).toString(),
        QStringLiteral("1,2,3"));
    EXPECT_EQ(conn.scalar(QStringLiteral("SELECT count(*) FROM schema_migrations")).toInt(), 3);
}

TEST(Migrator, RefusesASchemaNewerThanThisBinary)
{
    TestConnection conn(freshDatabase());
    const Migrator migrator(threeMigrations());
    ASSERT_TRUE(isOk(migrator.migrate(conn.db())));
    ASSERT_TRUE(conn.exec(QStringLiteral("INSERT INTO schema_migrations (version, name, checksum) "
                                         "VALUES (7, 'from_the_future', 'x')")));
    auto r = migrator.migrate(conn.db());
    ASSERT_TRUE(isError(r, "schema_too_new"));
    EXPECT_EQ(r.error().message, QStringLiteral("database schema version 7 is newer than this atende-server "
                                                "(knows up to 3); upgrade atende-server"));
    EXPECT_EQ(r.error().details.value(QStringLiteral("databaseVersion")).toInt(), 7);
}

TEST(Migrator, DetectsAnAppliedMigrationThatWasEdited)
{
    TestConnection conn(freshDatabase());
    ASSERT_TRUE(isOk(Migrator(threeMigrations()).migrate(conn.db())));

    QList<Migration> edited = threeMigrations();
    edited[1].sql += "\n-- a harmless looking edit\n";
    auto r = Migrator(edited).migrate(conn.db());
    ASSERT_TRUE(isError(r, "checksum_mismatch"));
    EXPECT_TRUE(r.error().message.contains(QLatin1String("0002_two"))) << r.error().message.toStdString();

    QList<Migration> missing = threeMigrations();
    missing.removeAt(1); // applied version 2 is unknown to this "binary"
    auto r2 = Migrator(missing).migrate(conn.db());
    ASSERT_TRUE(isError(r2, "checksum_mismatch"));
    EXPECT_TRUE(r2.error().message.contains(QLatin1String("not part of"))) << r2.error().message.toStdString();
}

TEST(Migrator, FailedMigrationRollsBackReportsPostgresErrorAndReleasesTheLock)
{
    TestConnection conn(freshDatabase());
    // The failure is in the SECOND statement of the file: QSqlQuery::exec() alone would report success.
    const Migrator migrator({migration(1, "fine", "CREATE TABLE fine(id int);"),
                             migration(2, "broken", "CREATE TABLE half(x int); INSERT INTO half VALUES ('zz');"),
                             migration(3, "never", "CREATE TABLE never(id int);")});
    auto r = migrator.migrate(conn.db());
    ASSERT_TRUE(isError(r, "migration_failed"));
    EXPECT_TRUE(r.error().message.contains(QLatin1String("0002_broken"))) << r.error().message.toStdString();
    EXPECT_TRUE(r.error().message.contains(QLatin1String("invalid input syntax for type integer")))
        << r.error().message.toStdString();
    EXPECT_EQ(r.error().details.value(QStringLiteral("sqlstate")).toString(), QStringLiteral("22P02"));

    EXPECT_EQ(conn.scalar(QStringLiteral("SELECT to_regclass('fine') IS NOT NULL")).toBool(), true);
    EXPECT_EQ(conn.scalar(QStringLiteral("SELECT to_regclass('half') IS NULL")).toBool(), true);
    EXPECT_EQ(conn.scalar(QStringLiteral("SELECT to_regclass('never') IS NULL")).toBool(), true);
    EXPECT_EQ(conn.scalar(QStringLiteral("SELECT string_agg(version::text, ',') FROM schema_migrations")).toString(),
              QStringLiteral("1"));
    // Same session still open: the advisory lock must be gone anyway.
    EXPECT_EQ(conn.scalar(QStringLiteral("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")).toInt(), 0);
    EXPECT_EQ(conn.scalar(QStringLiteral("SELECT 1")).toInt(), 1) << "connection left in an aborted transaction";
}

TEST(Migrator, MultiStatementFileWithDollarQuotedBodies)
{
    TestConnection conn(freshDatabase());
    const Migrator migrator({migration(1, "functions", R"(
        -- a comment; with a semicolon
        CREATE TABLE counter(n int NOT NULL);
        INSERT INTO counter VALUES (0);
        CREATE FUNCTION bump() RETURNS int LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE counter SET n = n + 1;
            RETURN (SELECT n FROM counter);
        END;
        $$;
        SELECT bump();
        DO $body$ BEGIN PERFORM bump(); END; $body$;
    )")});
    ASSERT_TRUE(isOk(migrator.migrate(conn.db())));
    EXPECT_EQ(conn.scalar(QStringLiteral("SELECT n FROM counter")).toInt(), 2);
    EXPECT_EQ(conn.scalar(QStringLiteral("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")).toInt(), 0);
}
