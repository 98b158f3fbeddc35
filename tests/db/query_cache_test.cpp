// db::Query: one server-side prepared statement per SQL text and DbExecutor connection, reused across calls,
// transactions (committed, rolled back, failed) and reconnects; a nested use of the same SQL gets its own.

#include "server/db/db_executor.h"
#include "server/db/embedded_postgres.h"
#include "server/db/sql_util.h"
#include "tests/support/postgres_dir.h"
#include "tests/support/status_assertions.h"
#include "tests/support/test_postgres.h"

#include <gtest/gtest.h>

namespace db = atende::server::db;
using atende::core::Status;
using atende::test::isOk;

namespace {

const QString kAddOne = QStringLiteral("SELECT ?::int + 1");

// Runs kAddOne with `value`; -1 on any failure.
int addOne(QSqlDatabase &d, int value, bool *cached = nullptr)
{
    db::Query q(d, kAddOne);
    if (cached)
        *cached = q.cached();
    q.addBindValue(value);
    if (!db::exec(q).ok() || !q.next())
        return -1;
    return q.value(0).toInt();
}

int preparedStatements(QSqlDatabase &d)
{
    QSqlQuery q(d);
    if (!q.exec(QStringLiteral("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE '%$1::int + 1%'")) ||
        !q.next())
        return -1;
    return q.value(0).toInt();
}

} // namespace

TEST(DbQuery, OnePreparedStatementServesEveryCallOfAConnection)
{
    db::DbExecutor executor(atende::test::freshDatabase(), 1);
    ASSERT_TRUE(isOk(executor.start()));
    for (int i = 0; i < 20; ++i) {
        bool cached = false;
        EXPECT_EQ(executor.run([i, &cached](QSqlDatabase &d) { return addOne(d, i, &cached); }).result(), i + 1);
        EXPECT_TRUE(cached);
    }
    EXPECT_EQ(executor.run([](QSqlDatabase &d) { return preparedStatements(d); }).result(), 1);

    // Inside transactions: committed, rolled back, and one that failed after using the statement.
    const Status committed = executor
                                 .run([](QSqlDatabase &d) {
                                     return db::transaction(d, [&]() -> Status {
                                         return addOne(d, 41) == 42 ? Status() : db::toError(d.lastError());
                                     });
                                 })
                                 .result();
    EXPECT_TRUE(isOk(committed));
    const Status failed = executor
                              .run([](QSqlDatabase &d) {
                                  return db::transaction(d, [&]() -> Status {
                                      EXPECT_EQ(addOne(d, 1), 2);
                                      return db::exec(d, QStringLiteral("SELECT 1 / 0"));
                                  });
                              })
                              .result();
    EXPECT_FALSE(failed.ok());
    EXPECT_EQ(executor.run([](QSqlDatabase &d) { return addOne(d, 7); }).result(), 8);
    EXPECT_EQ(executor.run([](QSqlDatabase &d) { return preparedStatements(d); }).result(), 1);
    executor.stop();
}

TEST(DbQuery, ANestedUseOfTheSameSqlPreparesItsOwnAndBothReadTheirRows)
{
    db::DbExecutor executor(atende::test::freshDatabase(), 1);
    ASSERT_TRUE(isOk(executor.start()));
    const QString series = QStringLiteral("SELECT generate_series(1, ?)");
    const QList<int> sums = executor
                                .run([&](QSqlDatabase &d) {
                                    QList<int> out;
                                    db::Query outer(d, series);
                                    outer.addBindValue(3);
                                    if (!db::exec(outer).ok())
                                        return out;
                                    EXPECT_TRUE(outer.cached());
                                    while (outer.next()) {
                                        db::Query inner(d, series);
                                        EXPECT_FALSE(inner.cached()); // the cached one is busy
                                        inner.addBindValue(outer.value(0).toInt());
                                        int sum = 0;
                                        if (db::exec(inner).ok())
                                            while (inner.next())
                                                sum += inner.value(0).toInt();
                                        out.append(sum);
                                    }
                                    return out;
                                })
                                .result();
    EXPECT_EQ(sums, (QList<int>{1, 3, 6}));
    // Free again afterwards.
    bool cached = false;
    EXPECT_EQ(executor.run([&](QSqlDatabase &d) { return addOne(d, 1, &cached); }).result(), 2);
    EXPECT_TRUE(cached);
    executor.stop();
}

TEST(DbQuery, StatementsArePreparedAgainAfterAReconnect)
{
    atende::test::PostgresDir dir; // own cluster: this test restarts it
    db::EmbeddedPostgres pg(dir.options());
    ASSERT_TRUE(isOk(pg.start()));
    db::DbExecutor executor(pg.superuserConfig(), 1);
    ASSERT_TRUE(isOk(executor.start()));
    EXPECT_EQ(executor.run([](QSqlDatabase &d) { return addOne(d, 1); }).result(), 2);
    ASSERT_TRUE(isOk(pg.stop()));
    ASSERT_TRUE(isOk(pg.start()));
    // The first call after the restart may find the connection broken and run again; either way it answers.
    EXPECT_EQ(executor.run([](QSqlDatabase &d) { return addOne(d, 2); }).result(), 3);
    EXPECT_EQ(executor.run([](QSqlDatabase &d) { return addOne(d, 3); }).result(), 4);
    EXPECT_EQ(executor.run([](QSqlDatabase &d) { return preparedStatements(d); }).result(), 1);
    executor.stop();
    EXPECT_TRUE(isOk(pg.stop()));
}

TEST(DbQuery, AConnectionWithoutACacheJustPrepares)
{
    const db::DbConfig config = atende::test::freshDatabase();
    QSqlDatabase d = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), QStringLiteral("query-cache-plain"));
    d.setHostName(config.host);
    d.setPort(config.port);
    d.setUserName(config.user);
    d.setDatabaseName(config.database);
    ASSERT_TRUE(d.open());
    {
        bool cached = true;
        EXPECT_EQ(addOne(d, 5, &cached), 6);
        EXPECT_FALSE(cached);
        EXPECT_EQ(preparedStatements(d), 0); // deallocated with the query
    }
    d.close();
    d = QSqlDatabase();
    QSqlDatabase::removeDatabase(QStringLiteral("query-cache-plain"));
}
