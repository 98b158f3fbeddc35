// DbExecutor: worker threads, QCoro, transactions, per-key ordering, reconnect after a restart.

#include "server/db/db_executor.h"
#include "server/db/embedded_postgres.h"
#include "server/db/sql_util.h"
#include "tests/support/postgres_dir.h"
#include "tests/support/status_assertions.h"
#include "tests/support/test_connection.h"
#include "tests/support/test_postgres.h"

#include <QCoro/QCoroFuture>
#include <QCoro/QCoroTask>
#include <QSqlQuery>
#include <QThread>
#include <gtest/gtest.h>
#include <memory>
#include <set>
#include <utility>

using atende::core::Status;
using atende::server::db::DbConfig;
using atende::server::db::DbExecutor;
using atende::server::db::EmbeddedPostgres;
using atende::test::freshDatabase;
using atende::test::isOk;
using atende::test::TestConnection;

namespace {

int selectInt(QSqlDatabase &db, const QString &sql)
{
    QSqlQuery q(db);
    if (!q.exec(sql) || !q.next())
        return -1;
    return q.value(0).toInt();
}

QCoro::Task<int> answerFromWorker(DbExecutor *executor, QThread **resumedOn)
{
    const int value =
        co_await executor->run([](QSqlDatabase &db) { return selectInt(db, QStringLiteral("SELECT 6 * 7")); });
    *resumedOn = QThread::currentThread();
    co_return value;
}

} // namespace

TEST(DbExecutor, CallsRunOnAWorkerThreadThatOwnsItsConnection)
{
    DbExecutor executor(freshDatabase(), 2);
    ASSERT_TRUE(isOk(executor.start()));
    auto [thread, connection] =
        executor.run([](QSqlDatabase &db) { return std::make_pair(QThread::currentThread(), db.connectionName()); })
            .result();
    EXPECT_NE(thread, QThread::currentThread());
    EXPECT_TRUE(thread->objectName().startsWith(QLatin1String("db-worker-")));
    // The worker's connection does not belong to the main thread.
    EXPECT_FALSE(QSqlDatabase::database(connection, false).isValid());
    executor.stop();
}

TEST(DbExecutor, AConnectionOpenedOnTheMainThreadCannotBeUsedFromAWorker)
{
    // Why the executor exists (TOOLCHAIN.md pitfalls 18/19): checked with a real QThread, not QtConcurrent,
    // which may run a task inline on the caller's thread.
    TestConnection conn(freshDatabase());
    ASSERT_TRUE(conn.isOpen());
    const QString name = conn.db().connectionName();
    bool valid = true;
    bool executed = true;
    QThread *ranOn = nullptr;
    std::unique_ptr<QThread> worker(QThread::create([&] {
        ranOn = QThread::currentThread();
        QSqlDatabase db = QSqlDatabase::database(name);
        valid = db.isValid();
        QSqlQuery q(db);
        executed = q.exec(QStringLiteral("SELECT 1"));
    }));
    worker->start();
    ASSERT_TRUE(worker->wait(10000));
    EXPECT_EQ(ranOn, worker.get());
    EXPECT_FALSE(valid);
    EXPECT_FALSE(executed);
    EXPECT_EQ(conn.scalar(QStringLiteral("SELECT 1")).toInt(), 1) << "still fine on its own thread";
}

TEST(DbExecutor, CoAwaitFromACoroutineReturnsTheValueOnTheCallersThread)
{
    DbExecutor executor(freshDatabase(), 2);
    ASSERT_TRUE(isOk(executor.start()));
    QThread *resumedOn = nullptr;
    const int value = QCoro::waitFor(answerFromWorker(&executor, &resumedOn));
    EXPECT_EQ(value, 42);
    EXPECT_EQ(resumedOn, QThread::currentThread());
}

TEST(DbExecutor, AFailedTransactionRollsBack)
{
    const DbConfig config = freshDatabase();
    TestConnection conn(config);
    ASSERT_TRUE(conn.exec(QStringLiteral("CREATE TABLE accounts(id int PRIMARY KEY)")));
    DbExecutor executor(config, 1);
    ASSERT_TRUE(isOk(executor.start()));
    namespace db = atende::server::db;

    // A statement fails half-way: the insert before it must not stay.
    const Status failed =
        executor
            .run([](QSqlDatabase &d) {
                return db::transaction(d, [&]() -> Status {
                    if (auto s = db::exec(d, QStringLiteral("INSERT INTO accounts VALUES (1)")); !s.ok())
                        return s;
                    return db::exec(d, QStringLiteral("INSERT INTO accounts VALUES (1)"));
                });
            })
            .result();
    EXPECT_FALSE(failed.ok());
    EXPECT_EQ(conn.scalar(QStringLiteral("SELECT count(*) FROM accounts")).toInt(), 0);

    // The same worker connection is usable afterwards (not stuck in an aborted transaction).
    const Status ok = executor
                          .run([](QSqlDatabase &d) {
                              return db::transaction(
                                  d, [&] { return db::exec(d, QStringLiteral("INSERT INTO accounts VALUES (2)")); });
                          })
                          .result();
    EXPECT_TRUE(isOk(ok));
    EXPECT_EQ(conn.scalar(QStringLiteral("SELECT string_agg(id::text, ',') FROM accounts")).toString(),
              QStringLiteral("2"));
}

TEST(DbExecutor, RunKeyedKeepsTheOrderOfOneKey)
{
    const DbConfig config = freshDatabase();
    TestConnection conn(config);
    ASSERT_TRUE(conn.exec(QStringLiteral("CREATE TABLE ordered(id bigserial PRIMARY KEY, n int NOT NULL)")));
    DbExecutor executor(config, 4);
    ASSERT_TRUE(isOk(executor.start()));

    QList<QFuture<QThread *>> calls;
    for (int n = 0; n < 100; ++n) {
        // Other keys in between keep the other workers busy.
        executor.runKeyed(quint64(n), [](QSqlDatabase &d) { return selectInt(d, QStringLiteral("SELECT 1")); });
        calls << executor.runKeyed(42, [n](QSqlDatabase &d) {
            QSqlQuery q(d);
            q.prepare(QStringLiteral("INSERT INTO ordered (n) VALUES (?)"));
            q.addBindValue(n);
            return q.exec() ? QThread::currentThread() : nullptr;
        });
    }
    std::set<QThread *> threads;
    for (auto &call : calls)
        threads.insert(call.result());
    EXPECT_EQ(threads.size(), 1u);
    EXPECT_EQ(threads.count(nullptr), 0u) << "an insert failed";

    QSqlQuery q(conn.db());
    ASSERT_TRUE(q.exec(QStringLiteral("SELECT n FROM ordered ORDER BY id")));
    QList<int> seen;
    while (q.next())
        seen << q.value(0).toInt();
    QList<int> expected;
    for (int n = 0; n < 100; ++n)
        expected << n;
    EXPECT_EQ(seen, expected);
}

TEST(DbExecutor, NextCallSucceedsAfterTheDatabaseRestarted)
{
    atende::test::PostgresDir dir; // own cluster: this test restarts it
    EmbeddedPostgres pg(dir.options());
    ASSERT_TRUE(isOk(pg.start()));
    DbExecutor executor(pg.superuserConfig(), 2);
    ASSERT_TRUE(isOk(executor.start()));
    auto backendPid = [](QSqlDatabase &db) {
        return selectInt(db, QStringLiteral("SELECT pg_backend_pid()"));
    };
    const int before = executor.runKeyed(0, backendPid).result();
    ASSERT_GT(before, 0);

    ASSERT_TRUE(isOk(pg.stop()));
    ASSERT_TRUE(isOk(pg.start()));

    // Both workers had a connection to the old server; both must recover on their next call.
    const int after0 = executor.runKeyed(0, backendPid).result();
    const int after1 = executor.runKeyed(1, backendPid).result();
    EXPECT_GT(after0, 0);
    EXPECT_GT(after1, 0);
    EXPECT_NE(after0, before);
    EXPECT_GE(executor.reconnects(), 2);
    executor.stop();
    EXPECT_TRUE(isOk(pg.stop()));
}
